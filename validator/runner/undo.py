"""Undo commands are commands: during a rollback each one is shown with its values filled in
and confirmed before it runs, like the step it reverses.

Backing out of a failed restore once ran ``docker-compose start backend`` at once, restarting
the API on a still-corrupt database.  Now the responder sees every undo command and answers
for it (the step id typed when the step it reverses was destructive); unattended, an undo of
a destructive or confirm-first step is left for a person, as the step itself would have been.
An undo is as risky as its step or as what it runs, whichever is higher: ``undo: rm -rf …`` of a
mutating step is destructive.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from validator import commands
from validator.model import Step
from validator.runner.prepare import PrepareError, shell

if TYPE_CHECKING:
    from validator.runner.session import Session

CHOICES = [("u", "undo"), ("s", "skip this undo"), ("n", "note")]
_ORDER = ("read-only", "mutating", "destructive")


def undo_risk(step: Step) -> str:
    """The higher of the step's risk and what its undo command does."""
    found = commands.destructive(step.undo or "")
    detected = ("destructive" if any(d.lasting for d in found)
                else "mutating" if found or commands.mutating(step.undo or "") else "read-only")
    return max(step.effective_risk, detected, key=_ORDER.index)


def shown(s: Session, done: Step) -> str:
    assert done.undo is not None
    try:
        return shell(done.undo, s.state).shown
    except PrepareError as err:
        return f"{done.undo}  (cannot run: {err})"


def run_undo(s: Session, done: Step) -> str:
    """Show, confirm and run ``done``'s undo: ``ok``, ``failed`` or ``declined`` (not run)."""
    from validator.runner.commands import attempt_once

    assert done.undo is not None
    risky = undo_risk(done) == "destructive"
    label = " (a DESTRUCTIVE step)" if done.effective_risk == "destructive" else " (a DESTRUCTIVE undo)" if risky else ""
    hosts = s.state.hosts_ok.get(done.id, []) if done.is_targeted else []
    where = f" on the {len(hosts)} host(s) it succeeded on ({', '.join(hosts)})" if done.is_targeted else ""
    s.console.say(f"Undo {done.id}{label}{where}: $ {shown(s, done)}", bold=risky)
    if not s.mode.interactive:
        why = _unattended_refusal(s, done)
        if why:
            s.console.say(f"Not run: {why}. Run it by hand if it is still needed.", bold=True)
            s.journal.write("skipped", step=done.id, by="policy", undo=True, reason=why)
            return "declined"
    elif not _confirmed(s, done):
        return "declined"
    return attempt_once(s, done, 1, command=done.undo)


def _unattended_refusal(s: Session, done: Step) -> str:
    if done.effective_risk == "destructive" and not s.mode.drill:
        return "the undo of a destructive step never runs unattended"
    if undo_risk(done) == "destructive" and not (s.mode.drill and s.mode.ack_manual):
        return "a destructive undo never runs unattended"
    if done.needs_confirmation and not s.mode.ack_manual:
        return "the step asks for confirmation (pass --ack-manual to accept its undo)"
    return ""


def _confirmed(s: Session, done: Step) -> bool:
    while True:
        answer = s.console.choose(f"Undo {done.id}?", CHOICES)
        s.journal.write("answer", step=done.id, answer=dict(CHOICES)[answer], after="rollback")
        if answer == "n":
            s.note(done)
            continue
        if answer == "s":
            reason = s.console.line("Why skip it?") or "no reason given"
            s.journal.write("skipped", step=done.id, by="responder", undo=True, reason=reason)
            return False
        if undo_risk(done) != "destructive":
            return True
        what = "undoes a DESTRUCTIVE step" if done.effective_risk == "destructive" else "undo is DESTRUCTIVE"
        typed = s.console.line(f"This {what}. Type the step id ({done.id}) to run it")
        ok = typed == done.id
        s.journal.write("confirm", step=done.id, confirmed=ok, undo=True, typed=typed if ok else "(mismatch)")
        if ok:
            return True
        s.console.say("Not confirmed: the undo did not run.")

"""A notify step whose recipients have channels: render with live values, show, let the responder
edit or confirm, send, journal each delivery, and hand over the text when a delivery fails.

Without channels (or under ``--yes``) the step stays what it was: a message shown ready to
paste and acknowledged by the responder.  Drills send only to channels marked ``drills: true``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from validator.model import Contact, Step
from validator.runner import answers, deliver, render
from validator.runner.state import Outcome

if TYPE_CHECKING:
    from validator.runner.session import Session

CHOICES = [("s", "send"), ("e", "edit the text"), ("m", "sent by hand"), ("k", "skip"), ("a", "abort")]


def _sent_so_far(s: Session) -> int:
    return int(getattr(s.state, "updates_sent", 0))


def send_step(s: Session, step: Step) -> Outcome | None:
    """The step's outcome, or None when no recipient has a channel (the caller shows it to paste)."""
    policy = s.state.runbook.policy
    contacts = deliver.recipients(policy, step.notify)
    reachable = [c for c in contacts if deliver.channels_for(c, s.mode.drill)]
    if not reachable or s.mode.yes:
        return None
    summary = s.console.line("Summary for this update (one line, Enter for none)", default="")
    extra = {"update_summary": summary, "update_number": str(_sent_so_far(s) + 1)}
    subject, body, _ = render.for_step(s.state, step, "in progress", extra)
    by_hand = [c.name for c in contacts if c not in reachable]
    while True:
        s.console.say("Message:", bold=True)
        if subject:
            s.console.say(f"Subject: {subject}")
        s.console.say(body)
        for contact in reachable:
            ways = ", ".join(deliver.shown(ch) for ch in deliver.channels_for(contact, s.mode.drill))
            s.console.say(f"  to {contact.name} via {ways}")
        for name in by_hand:
            s.console.say(f"  to {name}: no channel, send it yourself")
        answer = s.console.choose("Send it?", CHOICES)
        s.journal.write("answer", step=step.id, answer=dict(CHOICES)[answer])
        if answer == "e":
            edited = click.edit(body)
            body = edited.rstrip("\n") if edited is not None else body
            continue
        if answer == "k":
            return _skipped(s, step, "the responder chose not to send it")
        if answer == "a":
            return answers.abort(step)
        if answer == "m":
            s.state.clock.last_update = s.state.clock.now()
            s.journal.write("message", step=step.id, template=step.template, subject=subject, body=body,
                            to=[c.name for c in contacts], by="responder", delivered=0)
            return Outcome("done")
        return _send(s, step, reachable, subject, body, [c.name for c in contacts])


def _send(s: Session, step: Step, reachable: list[Contact], subject: str, body: str, to: list[str]) -> Outcome:
    results = deliver.send(reachable, subject, body, s.mode.drill)
    for r in results:
        s.journal.write("delivery", step=step.id, recipient=r.recipient, channel=r.channel, ok=r.ok, attempts=r.attempts,
                        error=r.error)
        mark = "sent" if r.ok else f"FAILED after {r.attempts} attempt(s): {r.error}"
        s.console.say(f"  {r.recipient} via {r.channel}: {mark}", bold=not r.ok)
    delivered = sum(1 for r in results if r.ok)
    if delivered < len(results):
        s.console.say("Send this by hand to the ones that failed:", bold=True)
        s.console.say((f"Subject: {subject}\n" if subject else "") + body)
    if delivered:
        s.state.clock.last_update = s.state.clock.now()
        setattr(s.state, "updates_sent", _sent_so_far(s) + 1)  # noqa: B010
        s.journal.write("message", step=step.id, template=step.template, subject=subject, body=body, to=to,
                        by="responder", delivered=delivered)
        return Outcome("done", reason="" if delivered == len(results) else f"{len(results) - delivered} deliveries failed")
    if s.console.yes_no("Nothing was delivered. Did you send it by hand?"):
        s.state.clock.last_update = s.state.clock.now()
        s.journal.write("message", step=step.id, template=step.template, subject=subject, body=body, to=to,
                        by="responder", delivered=0)
        return Outcome("done", reason="no channel accepted the message; sent by hand")
    return _skipped(s, step, "no channel accepted the message and it was not sent by hand")


def _skipped(s: Session, step: Step, why: str) -> Outcome:
    s.journal.write("skipped", step=step.id, by="responder", reason=why)
    return Outcome("skipped", reason=why)

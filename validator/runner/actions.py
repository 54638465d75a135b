"""What each kind of step does once it is on screen: commands, manual steps and checklists,
communication steps and waits; plus the dry run, which only shows.

Each handler asks (or, in ``--yes`` mode, decides by the step's risk), acts, records, and
returns an :class:`~validator.runner.state.Outcome`.  A handler only performs its step: what
a failure leads to, and which step comes next, is the walker's to decide.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from validator.model import Step
from validator.runner import answers, backout, messaging, render, targeted
from validator.runner.commands import run_attempts
from validator.runner.state import Outcome
from validator.runner.waiting import wait_step

if TYPE_CHECKING:
    from validator.runner.session import Session

HELP = """  Destructive steps ask you to type the step id before they run.
  A skipped step is recorded with your reason; notes are tied to the step on screen.
  Failed (manual and checklist steps) follows the step's on_failure, as a failed command does.
  Abort ends the run; `runbook run --resume JOURNAL` continues after the last finished step."""


def _stop(s: Session, step: Step, why: str) -> Outcome:
    s.journal.write("stopped", step=step.id, reason=why)
    return Outcome("stopped", stop="stopped", reason=f"Stopped at {step.id}: {why}.")


def _confirmed(s: Session, step: Step) -> bool:
    """Destructive steps need the step id typed; confirm steps a yes; re-running a non-idempotent step a yes."""
    if step.id in s.state.unfinished:
        s.console.say(f"Warning: {step.id} was started when the runner stopped and its result was never recorded: "
                      "it may have run.", bold=True)
    if s.state.runs.get(step.id) and not step.is_idempotent:
        s.console.say(f"Warning: {step.id} already ran {s.state.runs[step.id]} time(s) and is not idempotent.", bold=True)
        s.journal.write("warning", step=step.id, reason="not idempotent and already ran", runs=s.state.runs[step.id])
        if s.mode.interactive and not s.console.yes_no("Run it again?"):
            return False
    if not s.mode.interactive:
        return True
    if step.effective_risk == "destructive":
        lasting = f"DESTRUCTIVE and cannot be undone ({step.irreversible})" if step.irreversible else "DESTRUCTIVE"
        typed = s.console.line(f"This step is {lasting}. Type the step id ({step.id}) to run it")
        ok = typed == step.id
        s.journal.write("confirm", step=step.id, confirmed=ok, typed=typed if ok else "(mismatch)")
        if not ok:
            s.console.say("Not confirmed: the step did not run.")
        return ok
    if step.irreversible:
        ok = s.console.yes_no(f"This step cannot be undone ({step.irreversible}). Run it?")
        s.journal.write("confirm", step=step.id, confirmed=ok, irreversible=step.irreversible)
        return ok
    if step.confirm:
        ok = s.console.yes_no("This step asks for confirmation. Run it?")
        s.journal.write("confirm", step=step.id, confirmed=ok)
        return ok
    return True


def command_step(s: Session, step: Step) -> Outcome:
    if s.mode.yes:
        if step.effective_risk == "destructive" and not s.mode.drill:
            return _stop(s, step, "destructive steps never run unattended; run it interactively")
        if step.effective_risk == "destructive" and not s.mode.ack_manual:
            return _stop(s, step, "in a drill a destructive step runs unattended only with --ack-manual")
        if step.irreversible and not s.mode.ack_manual:
            return _stop(s, step, f"the step cannot be undone ({step.irreversible}); pass --ack-manual to accept it")
        if step.confirm and not s.mode.ack_manual:
            return _stop(s, step, "the step asks for confirmation (pass --ack-manual to accept it)")
        if step.id in s.state.unfinished and not step.is_idempotent:
            return _stop(s, step, "it was started before the runner stopped and its result was never recorded, so it "
                                  "may have run; check by hand, then resume without --yes to run or skip it")
        if not _confirmed(s, step):
            return _stop(s, step, "not confirmed")
        if step.needs_confirmation:
            s.journal.write("confirm", step=step.id, confirmed=True, by="--ack-manual")
    else:
        stopped = _ask_to_proceed(s, step, "Run it?", ("r", "run"))
        if stopped is not None:
            return stopped
    return after_command(s, step)


def after_command(s: Session, step: Step) -> Outcome:
    """Run the command (again) and say how it ended."""
    return _after(s, step, run_attempts(s, step))


def _after(s: Session, step: Step, result: str) -> Outcome:
    """``result`` is ok | failed | interrupted."""
    if result == "ok":
        s.state.completed.append(step.id)
        return Outcome("done")
    if result == "interrupted":
        if not s.mode.interactive:
            return Outcome("interrupted", stop="interrupted", reason=f"Interrupted during {step.id}.")
        answer = s.console.choose("The command was stopped.", [("r", "retry"), ("s", "skip"), ("a", "abort")])
        s.journal.write("answer", step=step.id, answer={"r": "retry", "s": "skip", "a": "abort"}[answer], after="interrupt")
        if answer == "r":
            return _after(s, step, run_attempts(s, step))
        return answers.skip(s, step) if answer == "s" else answers.abort(step)
    return Outcome("failed")


def manual_step(s: Session, step: Step) -> Outcome:
    """A person does the step and says how it went: done, failed (its on_failure follows), skip."""
    if s.mode.yes:
        if step.effective_risk == "destructive" and not s.mode.drill:
            return _stop(s, step, "a destructive step is never acknowledged unattended, not even with --ack-manual; "
                                  "run it interactively")
        if not s.mode.ack_manual:
            return _stop(s, step, "a person must do this step (pass --ack-manual to acknowledge manual steps)")
        s.journal.write("answer", step=step.id, answer="acknowledged", by="--ack-manual")
        return Outcome("acknowledged")
    if step.needs_confirmation:
        stopped = _go_ahead(s, step)
        if stopped is not None:
            return stopped
    fail = [("f", "failed")] if step.can_fail else []
    while True:
        options = backout.menu(s, [("d", "done"), *fail, ("s", "skip"), ("n", "note"), ("a", "abort")])
        answer = s.console.choose("When it is done:", options, HELP)
        s.journal.write("answer", step=step.id, answer=dict(options)[answer].split()[0])
        if answer == "d":
            s.state.completed.append(step.id)
            return Outcome("done", reason=_tick(s, step))
        if answer == "f":
            return Outcome("failed", reason=s.console.line("What went wrong?") or "reported failed by the responder")
        if (ended := answers.shared(s, step, answer)) is not None:
            return ended


def _go_ahead(s: Session, step: Step) -> Outcome | None:
    """A manual step that is destructive or asks for confirmation is confirmed before the responder
    does it, as a command would be (the step id typed for a destructive one); None: go ahead."""
    return _ask_to_proceed(s, step, "Do it now?", ("g", "go ahead"))


def _ask_to_proceed(s: Session, step: Step, prompt: str, proceed: tuple[str, str]) -> Outcome | None:
    """Ask until the responder goes ahead (None, once confirmed) or skips, backs out or aborts (the outcome)."""
    while True:
        options = backout.menu(s, [proceed, ("s", "skip"), ("n", "note"), ("a", "abort")])
        answer = s.console.choose(prompt, options, HELP)
        s.journal.write("answer", step=step.id, answer=proceed[1] if answer == proceed[0] else dict(options)[answer].split()[0])
        if answer != proceed[0]:
            if (ended := answers.shared(s, step, answer)) is not None:
                return ended
        elif _confirmed(s, step):
            return None


def _tick(s: Session, step: Step) -> str:
    """A checklist is ticked item by item, so the record says which items were really done."""
    if not step.checklist:
        return ""
    ticked = [s.console.yes_no(f"  [ ] {item} - done?") for item in step.checklist]
    items = [{"item": i, "done": d} for i, d in zip(step.checklist, ticked, strict=True)]
    s.journal.write("checklist", step=step.id, items=items)
    return "" if all(ticked) else f"{sum(ticked)} of {len(ticked)} items done"


def notify_step(s: Session, step: Step) -> Outcome:
    sent = messaging.send_step(s, step)  # recipients with channels: rendered, confirmed and sent through them
    if sent is not None:
        return sent
    subject, body, to = render.for_step(s.state, step, "in progress")
    s.console.say("Message to send (ready to paste):", bold=True)
    if subject:
        s.console.say(f"Subject: {subject}")
    s.console.say(body)
    for line in to:
        s.console.say(f"  send to: {line}")
    outcome = manual_step(s, step)
    if outcome.status in ("done", "acknowledged"):
        if outcome.status == "done":  # only a person saying it was sent resets the status-update clock
            s.state.clock.last_update = s.state.clock.now()
        by = "responder" if outcome.status == "done" else "--ack-manual"
        s.journal.write("message", step=step.id, template=step.template, subject=subject, body=body, to=to, by=by)
    return outcome


def dry_run(s: Session, step: Step) -> Outcome:
    if step.is_targeted:
        targeted.show_hosts(s, step)
    if step.decide is not None:
        for choice in step.decide.choices:
            s.console.say(f"  answer {choice.answer}: {_leads(choice.goto, choice.rollback)}"
                          + (f", severity {choice.severity}" if choice.severity else ""))
    if step.call is not None:
        s.console.say(f"  runs runbook {step.call}" + (f" with {step.call_inputs}" if step.call_inputs else ""))
    if step.kind == "notify":
        subject, body, to = render.for_step(s.state, step, "in progress")
        s.console.say((f"Subject: {subject}\n" if subject else "") + body)
        for line in to:
            s.console.say(f"  send to: {line}")
    s.console.say("(dry run: not run)", dim=True)
    return Outcome("shown")


def _leads(goto: str | None, rollback: bool) -> str:
    return "roll back" if rollback else f"go to {goto}" if goto else "carry on"


HANDLERS: dict[str, Callable[[Session, Step], Outcome]] = {
    "run": command_step, "script": command_step, "manual": manual_step, "checklist": manual_step,
    "notify": notify_step, "wait": wait_step,
}

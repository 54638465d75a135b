"""The answers every step prompt shares, whatever the step does: a note, skip (with a reason),
back out (when there is something to roll back) and abort.  One place, so a wait, a manual step
and a command's "Run it?" record and end them the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from validator.model import Step
from validator.runner import backout
from validator.runner.state import Outcome

if TYPE_CHECKING:
    from validator.runner.session import Session


def skip(s: Session, step: Step) -> Outcome:
    reason = s.console.line("Why skip it?") or "no reason given"
    s.journal.write("skipped", step=step.id, by="responder", reason=reason)
    return Outcome("skipped", reason=reason)


def abort(step: Step) -> Outcome:
    return Outcome("aborted", stop="aborted", reason=f"Aborted at {step.id}.")


def shared(s: Session, step: Step, answer: str) -> Outcome | None:
    """Act on ``n``, ``s``, ``b`` or ``a`` (anything else aborts): the step's outcome, or None to
    ask again (after a note, or a back-out the responder did not confirm)."""
    if answer == "n":
        s.note(step)
        return None
    if answer == "s":
        return skip(s, step)
    if answer == "b":
        return backout.offer_back_out(s, step)
    return abort(step)

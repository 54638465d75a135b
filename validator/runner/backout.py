"""Backing out: wherever the runbook has something to back out (rollback steps, or the ``undo`` of
a completed step), every prompt offers "back out", and choosing it hands the run to the walker's
rollback after the responder confirms.  Kept apart from the failure policy so the prompts of every
step kind can offer it without depending on how failures are handled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from validator.model import Step
from validator.runner.state import Outcome

if TYPE_CHECKING:
    from validator.runner.session import Session

BACK_OUT = [("b", "back out (roll back)"), ("a", "abort: end the run here")]


def can_roll_back(s: Session) -> bool:
    """There is something to back out: the runbook's rollback steps or the undo of a completed step."""
    if s.rolling_back or s.state.section == "rollback":
        return False
    rb = s.state.runbook
    return bool(rb.rollback) or any((st := rb.step(sid)) is not None and st.undo for sid in s.state.completed)


def menu(s: Session, options: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A prompt's ``options`` with "back out" before the last (abort) wherever there is something to roll back."""
    return [*options[:-1], BACK_OUT[0], options[-1]] if can_roll_back(s) else options


def offer_back_out(s: Session, step: Step) -> Outcome | None:
    """The responder chose to back out at ``step``'s prompt: say what it means, roll back on a yes."""
    rb = s.state.runbook
    undos = [sid for sid in reversed(s.state.completed) if (st := rb.step(sid)) is not None and st.undo]
    s.console.say(f"Backing out undoes {len(undos)} completed step(s) ({', '.join(undos) or 'none'}), each asked "
                  f"first, then runs {len(rb.rollback)} rollback step(s); the run then ends.")
    if not s.console.yes_no("Roll back now?"):
        return None
    return Outcome("skipped", rollback=True, backed_out=True, reason="the responder backed out before doing it")

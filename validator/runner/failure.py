"""A failed step's policy: abort, continue, retry once more, go to another step (at most
``max`` times), roll back, or ask the responder.

Where each policy leads is the walker's rule (:meth:`validator.walk.Walk.on_failure`); this
module says it on screen, records it and asks when the policy is ``ask``.  It never runs a step
itself: a retry goes through ``rerun``, a rollback is handed back to the walker, which undoes
every completed step in reverse (each shown and confirmed, :mod:`validator.runner.undo`) and then
runs the rollback steps.  Whenever there is something to back out, a failure that would end the
run offers the rollback first, and the responder can choose it at any step's prompt.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from validator.model import Step
from validator.runner.backout import BACK_OUT, can_roll_back
from validator.runner.state import Outcome

if TYPE_CHECKING:
    from validator.runner.session import Session

ASK = [("r", "retry"), ("c", "continue"), ("g", "goto"), ("b", "back out (roll back)"), ("a", "abort")]


def handle(s: Session, step: Step, rerun: Callable[[], Outcome]) -> Outcome:
    policy = step.on_failure
    action = policy.action
    s.journal.write("failure", step=step.id, policy=action if action != "goto" else f"goto {policy.goto}")
    if action == "ask" and s.mode.interactive:
        return _ask(s, step, rerun)
    if action == "retry":
        s.console.say(f"{step.id} failed; one more try (on_failure: retry).")
        again = rerun()
        if again.status != "failed" or again.stop:
            return again if again.status != "done" else Outcome("done", reason="succeeded on the extra try")
    if action == "goto" and policy.goto:
        return goto(s, step, policy.goto, policy.max)
    if action == "rollback":
        return Outcome("failed", rollback=True, reason="failed; rolling back")
    if action == "continue":
        s.console.say(f"{step.id} failed; continuing (on_failure: continue).")
        return Outcome("failed", reason="failed; continued")
    if s.mode.interactive and can_roll_back(s):
        answer = s.console.choose(f"{step.id} failed; on_failure: {action} ends the run here.", BACK_OUT)
        s.journal.write("answer", step=step.id, answer=dict(BACK_OUT)[answer], after="failure")
        if answer == "b":
            return Outcome("failed", rollback=True, reason="failed; the responder backed out")
    return Outcome("failed", stop="failed", reason=f"{step.id} failed; the run stops here (on_failure: {action}).")


def goto(s: Session, step: Step, target: str, limit: int) -> Outcome:
    taken = s.state.gotos.get(step.id, 0)
    if taken >= limit:
        s.journal.write("goto", step=step.id, target=target, taken=taken, refused=True)
        why = f"{step.id} failed and its go-to {target} was already taken {taken} time(s) (max {limit}); the run stops here."
        return Outcome("failed", stop="failed", reason=why)
    s.state.gotos[step.id] = taken + 1
    s.journal.write("goto", step=step.id, target=target, taken=taken + 1, max=limit)
    s.console.say(f"{step.id} failed; going to {target} ({taken + 1} of at most {limit}).", bold=True)
    return Outcome("failed", goto=target, reason=f"go to {target}")


def _ask(s: Session, step: Step, rerun: Callable[[], Outcome]) -> Outcome:
    while True:
        answer = s.console.choose(f"{step.id} failed. What now?", ASK)
        s.journal.write("answer", step=step.id, answer=dict(ASK)[answer], after="failure")
        if answer == "r":
            again = rerun()
            if again.status == "failed" and not again.stop:
                continue
            return again if again.status != "done" else Outcome("done", reason="succeeded on retry")
        if answer == "c":
            return Outcome("failed", reason="failed; the responder continued")
        if answer == "g":
            target = s.console.line("Go to which step id?")
            if s.state.index_of(target) is None:
                s.console.say(f"No step '{target}' in this run.")
                continue
            return goto(s, step, target, step.on_failure.max)
        if answer == "b":
            return Outcome("failed", rollback=True, reason="the responder backed out")
        return Outcome("failed", stop="aborted", reason=f"Aborted at {step.id}.")

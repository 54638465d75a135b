"""Wait steps: a fixed pause with a countdown, or a poll that runs a check until it passes or
times out, showing each result.  The responder can cut either short (Enter or ``s``).

In a drill a wait takes the step's simulated duration (instant by default) and a poll returns
the simulated result, so practice runs do not sit through real waiting times.
"""

from __future__ import annotations

import select
import sys
import time
from typing import TYPE_CHECKING

from validator.durations import format_duration
from validator.model import Step
from validator.runner import failure
from validator.runner.commands import attempt_once
from validator.runner.prompts import discard_typeahead
from validator.runner.state import Outcome

if TYPE_CHECKING:
    from validator.runner.session import Session


def _pause(s: Session, seconds: float, label: str) -> bool:
    """Sleep up to ``seconds`` showing what is left; True when the responder cut it short."""
    deadline = time.monotonic() + seconds
    can_cut = s.mode.interactive and sys.stdin.isatty()
    if can_cut:
        discard_typeahead()  # an Enter typed before the countdown showed must not end it
    while (left := deadline - time.monotonic()) > 0:
        hint = " (Enter or s to stop waiting)" if can_cut else ""
        s.console.say(f"\r{label}: {format_duration(left)} left{hint}  ", nl=False)
        if can_cut:
            ready, _, _ = select.select([sys.stdin], [], [], min(1.0, left))
            if ready:
                sys.stdin.readline()
                s.console.say("")
                return True
        else:
            time.sleep(min(1.0, left))
    s.console.say("")
    return False


def wait_step(s: Session, step: Step) -> Outcome:
    wait = step.wait
    assert wait is not None
    if s.mode.drill:
        seconds = float(step.simulate.duration if step.simulate else 0)
    else:
        seconds = float(wait.duration if wait.duration is not None else wait.timeout or 0)
    if s.mode.interactive:
        answer = s.console.choose("Start waiting?", [("w", "wait"), ("s", "skip"), ("a", "abort")])
        s.journal.write("answer", step=step.id, answer={"w": "wait", "s": "skip", "a": "abort"}[answer])
        if answer == "s":
            reason = s.console.line("Why skip it?") or "no reason given"
            s.journal.write("skipped", step=step.id, by="responder", reason=reason)
            return Outcome("skipped", reason=reason)
        if answer == "a":
            return Outcome("aborted", stop="aborted", reason=f"Aborted at {step.id}.")
    if wait.until is None:
        cut = _pause(s, seconds, f"Waiting{' for ' + wait.reason if wait.reason else ''}")
        s.journal.write("wait", step=step.id, seconds=seconds, cut_short=cut)
        return Outcome("done", reason="cut short by the responder" if cut else "")
    return _poll(s, step, seconds)


def _poll(s: Session, step: Step, seconds: float) -> Outcome:
    wait = step.wait
    assert wait is not None
    deadline = time.monotonic() + seconds
    poll = 0
    while True:
        poll += 1
        s.console.say(f"Poll {poll}{': ' + wait.reason if wait.reason else ''}")
        result = attempt_once(s, step, poll)
        if result == "ok":
            s.state.completed.append(step.id)
            return Outcome("done", reason=f"passed at poll {poll}")
        if result == "interrupted":
            return Outcome("interrupted", stop="interrupted", reason=f"Interrupted during {step.id}.")
        left = deadline - time.monotonic()
        if left <= 0:
            s.console.say(f"{step.id}: still failing after {format_duration(seconds)}.", bold=True)
            return failure.handle(s, step, lambda: "failed")
        if _pause(s, min(float(wait.every), left), f"Next poll of {step.id}"):
            s.journal.write("wait", step=step.id, cut_short=True, polls=poll)
            return Outcome("done", reason="polling cut short by the responder")

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
from validator.runner import answers, backout
from validator.runner.commands import UNRUNNABLE, attempt_once
from validator.runner.prompts import discard_typeahead
from validator.runner.state import Outcome

if TYPE_CHECKING:
    from validator.runner.session import Session


def _pause(s: Session, seconds: float, label: str, give_up: float | None = None) -> bool:
    """Sleep up to ``seconds`` on one updating line; True when the responder cut it short."""
    deadline = time.monotonic() + seconds
    can_cut = s.mode.interactive and sys.stdin.isatty()
    if can_cut:
        discard_typeahead()  # an Enter typed before the countdown showed must not end it
    hint = f" (Enter or s to stop waiting{', p to page' if s.console.pager else ''})" if can_cut else ""
    while (left := deadline - time.monotonic()) > 0:
        ends = f", gives up in {format_duration(give_up - time.monotonic())}" if give_up is not None else ""
        s.console.update(f"{label}: {format_duration(left)} left{ends}{hint}")
        if can_cut:
            ready, _, _ = select.select([sys.stdin], [], [], min(1.0, left))
            if ready:
                typed = sys.stdin.readline().strip().lower()
                s.console.end_status()
                if s.console.pager is not None and typed in ("p", "page"):
                    s.console.pager()  # the wait goes on while paging: its deadline does not move
                    discard_typeahead()
                    continue
                return True
        else:
            time.sleep(min(1.0, left))
    s.console.end_status()
    return False


def wait_step(s: Session, step: Step) -> Outcome:
    wait = step.wait
    assert wait is not None
    if s.mode.drill:
        seconds = float(step.simulate.duration if step.simulate else 0)
    else:
        seconds = float(wait.duration if wait.duration is not None else wait.timeout or 0)
    while s.mode.interactive:
        options = backout.menu(s, [("w", "wait"), ("s", "skip"), ("a", "abort")])
        answer = s.console.choose("Start waiting?", options)
        s.journal.write("answer", step=step.id, answer=dict(options)[answer].split()[0])
        if answer == "w":
            break
        if (ended := answers.shared(s, step, answer)) is not None:
            return ended
    if wait.until is None:
        cut = _pause(s, seconds, f"Waiting{' for ' + wait.reason if wait.reason else ''}")
        s.journal.write("wait", step=step.id, seconds=seconds, cut_short=cut)
        return Outcome("done", reason="cut short by the responder" if cut else "")
    return _poll(s, step, seconds)


def _poll(s: Session, step: Step, seconds: float) -> Outcome:
    """Run the check every ``every`` until it passes or ``seconds`` are up, on one updating line
    (each poll's full result is in the journal).  A check that cannot run at all (exit 126 or 127:
    not executable, command not found) stops at once: polling again cannot make it pass."""
    wait = step.wait
    assert wait is not None
    deadline = time.monotonic() + seconds
    poll = 0
    while True:
        poll += 1
        s.console.update(f"Poll {poll} of {step.id}{': ' + wait.reason if wait.reason else ''} ...")
        result = attempt_once(s, step, poll, quiet=True)
        if result == "ok":
            s.console.say(f"Poll {poll} of {step.id}: passed.")
            s.state.completed.append(step.id)
            return Outcome("done", reason=f"passed at poll {poll}")
        if result == "interrupted":
            return Outcome("interrupted", stop="interrupted", reason=f"Interrupted during {step.id}.")
        left = deadline - time.monotonic()
        if s.last_exit in UNRUNNABLE or left <= 0:
            why = (f"the check cannot run ({UNRUNNABLE[s.last_exit]}, exit {s.last_exit}); polling again cannot help"
                   if s.last_exit in UNRUNNABLE
                   else f"still failing after {format_duration(seconds)} and {poll} polls (last: {s.last_reason})")
            if s.last_output.strip():
                s.console.output(s.last_output)
            s.console.say(f"{step.id}: {why}.", bold=True)
            return Outcome("failed", reason=why)
        if _pause(s, min(float(wait.every), left), f"Poll {poll} of {step.id} failed ({s.last_reason}); next poll", deadline):
            s.journal.write("wait", step=step.id, cut_short=True, polls=poll)
            return Outcome("done", reason="polling cut short by the responder")

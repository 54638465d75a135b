"""Running a step's command: attempts and retries, the drill's simulated result, the
expected exit code and output patterns, captures, and the record of every attempt."""

from __future__ import annotations

import contextlib
import re
import time
from typing import TYPE_CHECKING

from validator.durations import format_duration
from validator.model import Step
from validator.runner.executor import ExecResult, execute, identity
from validator.runner.journal import JournalError
from validator.runner.prepare import PrepareError, environment, prepare

if TYPE_CHECKING:
    from validator.runner.session import Session


UNRUNNABLE = {126: "not executable", 127: "command not found"}
MAX_RETRY_DELAY = 24 * 3600


def run_attempts(s: Session, step: Step) -> str:
    """Run the command up to 1 + retries times: ``ok``, ``failed`` or ``interrupted``.  A command
    that cannot run at all (exit 126 or 127) is not retried: the next attempt would fail the same way."""
    attempts = 1 + step.retries
    for attempt in range(1, attempts + 1):
        result = attempt_once(s, step, attempt)
        if result != "failed" or attempt == attempts:
            return result
        if s.last_exit in UNRUNNABLE:
            s.console.say(f"Not retrying: {UNRUNNABLE[s.last_exit]} (exit {s.last_exit}) will not change on its own.", bold=True)
            return result
        if step.retry_delay > MAX_RETRY_DELAY:
            s.console.say(f"Not retrying: a retry_delay of {format_duration(step.retry_delay)} is longer than a run waits "
                          f"(at most {format_duration(MAX_RETRY_DELAY)}).", bold=True)
            return "failed"
        s.console.say(f"Retrying in {format_duration(step.retry_delay)} (attempt {attempt + 1} of {attempts})...")
        time.sleep(step.retry_delay)
    return "failed"


def attempt_once(s: Session, step: Step, attempt: int, command: str | None = None, quiet: bool = False) -> str:
    """One run of the command (``quiet``: nothing printed, for polls that show one status line)."""
    if step.is_targeted:  # on the hosts of an inventory, through Ansible
        from validator.runner import fleet

        return fleet.attempt(s, step, attempt, command, quiet)
    s.last_exit, s.last_reason, s.last_output = None, "", ""
    try:
        prepared = prepare(step, s.state, command)
    except PrepareError as err:
        s.console.say(str(err), bold=True)
        s.journal.write("command", step=step.id, attempt=attempt, ok=False, reason=str(err))
        s.last_reason = str(err)
        return "failed"
    s.state.runs[step.id] = s.state.runs.get(step.id, 0) + 1
    live = not quiet and not any(c.secret for c in step.capture)  # secret captures: print once the value is masked
    if s.mode.drill and command is not None:
        result = ExecResult(0, "", "", "(drill: the undo command was not run)\n", 0.0)
    elif s.mode.drill:
        result = simulate(s, step)
    else:
        # the intent comes first: a command whose start cannot be recorded does not run
        s.journal.write("run", step=step.id, attempt=attempt, undo=command is not None)
        result = execute(prepared.argv, environment(prepared.env), step.timeout,
                         echo=s.console.stream if live else None, on_start=lambda pid: _started(s, step, attempt, pid))
    ok, reason = check(step, result)
    if command is None:
        s.state.exit_codes[step.id] = result.exit_code
    if s.mode.drill and step.simulate is None and not result.interrupted:
        ok, reason = True, ""  # nothing declared to pretend: the drill walks on as if the step succeeded
    captured = capture(s, step, result) if ok and command is None else []
    if result.truncated:  # only the last 64 KB are kept: a secret cut in two leaves its tail at the start
        result.output = s.console.redactor.cut(result.output)
    s.last_exit, s.last_reason, s.last_output = result.exit_code, reason, result.output
    if (not live or s.mode.drill) and result.output and not quiet:
        s.console.output(result.output)
    for line in captured:
        s.console.say(line)
    s.journal.write("command", step=step.id, attempt=attempt, undo=command is not None, command=prepared.shown,
                    exit_code=result.exit_code, duration=round(result.duration, 3), ok=ok, reason=reason,
                    timed_out=result.timed_out, interrupted=result.interrupted, output=result.output,
                    truncated=result.truncated, drill=s.mode.drill)
    status = "ok" if ok else f"FAILED: {reason}"
    if not quiet:
        s.console.say(f"[{step.id}] exit {result.exit_code if result.exit_code is not None else '-'} "
                      f"in {result.duration:.2f}s: {status}", bold=not ok)
    s.milestones()
    return "interrupted" if result.interrupted else "ok" if ok else "failed"


def _started(s: Session, step: Step, attempt: int, pid: int) -> None:
    """Record the running command's process (what a resume may stop); a failed write must not
    cut the command short: the run stops at the next record instead."""
    with contextlib.suppress(JournalError):
        s.journal.write("exec", step=step.id, attempt=attempt, pid=pid, **identity(pid))


def simulate(s: Session, step: Step) -> ExecResult:
    """The drill's stand-in for the command: the declared exit code and output after the declared time."""
    sim = step.simulate
    started = time.monotonic()
    if sim is None:
        return ExecResult(0, "", "", "(drill: no simulated result declared; counted as success)\n", 0.0)
    try:
        time.sleep(sim.duration)
    except KeyboardInterrupt:
        return ExecResult(None, "", "", "", time.monotonic() - started, interrupted=True)
    return ExecResult(sim.exit_code, sim.output, "", sim.output, time.monotonic() - started)


def check(step: Step, result: ExecResult) -> tuple[bool, str]:
    if result.error:
        return False, f"could not start: {result.error}"
    if result.interrupted:
        return False, "interrupted by the responder"
    if result.timed_out:
        return False, f"timed out after {format_duration(step.timeout)}; its process group was killed"
    if result.exit_code not in step.expect.exit_codes:
        wanted = " or ".join(str(c) for c in step.expect.exit_codes)
        if result.exit_code in UNRUNNABLE:
            return False, f"{UNRUNNABLE[result.exit_code]} (exit {result.exit_code}), expected {wanted}"
        return False, f"exit code {result.exit_code}, expected {wanted}"
    try:
        if step.expect.output and re.search(step.expect.output, result.output, re.M) is None:
            return False, f"the output does not match /{step.expect.output}/"
        if step.expect.not_output and re.search(step.expect.not_output, result.output, re.M) is not None:
            return False, f"the output matches /{step.expect.not_output}/"
    except re.error as err:
        return False, f"the expected-output pattern is not a valid regular expression ({err})"
    return True, ""


def capture(s: Session, step: Step, result: ExecResult) -> list[str]:
    """Store the step's captures (secret ones join the redactor first); returns what to tell the responder."""
    said: list[str] = []
    for cap in step.capture:
        text = result.stderr if cap.source == "stderr" else result.stdout
        if cap.pattern:
            try:
                match = re.search(cap.pattern, text, re.M)
            except re.error as err:
                said.append(f"Capture {cap.name}: /{cap.pattern}/ is not a valid regular expression ({err}).")
                continue
            if match is None:
                said.append(f"Capture {cap.name}: /{cap.pattern}/ not found in {cap.source}; ${{{cap.name}}} stays empty.")
                continue
            value = match.group(1) if match.re.groups else match.group(0)
        else:
            value = text.strip()
        s.state.outputs[cap.name] = value
        if cap.secret and not cap.pattern:  # a whole stream to read (an audit log), not a credential
            s.state.secret_outputs.add(cap.name)
            s.console.redactor.withhold(value)
            said.append(f"Captured {cap.name}: the output above, kept out of the journal ({len(value.splitlines())} lines)")
            continue
        if cap.secret:
            s.state.secret_outputs.add(cap.name)
            s.console.redactor.add(value)
        said.append(f"Captured {cap.name} = {value}")
    return said

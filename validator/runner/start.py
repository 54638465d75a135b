"""Setting a run up: severity and clock, inputs, journal, and the first events — for a new
run or for a resume — before the step loop takes over."""

from __future__ import annotations

import getpass
import hashlib
import os
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from validator.discovery import find_root
from validator.durations import format_duration
from validator.findings import ConfigError
from validator.model import Runbook
from validator.runner import inputs as inputs_mod
from validator.runner import journal as journal_mod
from validator.runner import resume as resume_mod
from validator.runner.clock import Clock, parse_moment
from validator.runner.decisions import match
from validator.runner.prompts import Console
from validator.runner.state import Mode, RunState
from validator.secrets import MASK


@dataclass
class Setup:
    runbook: Runbook
    mode: Mode
    severity: str | None
    started_at: str | None
    pairs: tuple[str, ...]
    journal_dir: Path
    resume_path: Path | None = None
    resumed: resume_mod.Resumed | None = None
    paged_at: str | None = None


def parse_answers(pairs: tuple[str, ...], rb: Runbook) -> dict[str, str]:
    """``--answer STEP=ANSWER``: each must name a decision of the runbook and one of its answers."""
    answers: dict[str, str] = {}
    decisions = [s for s in rb.all_steps() if s.decide is not None]
    for pair in pairs:
        sid, sep, answer = pair.partition("=")
        step = rb.step(sid) if sep else None
        if not sep:
            raise ConfigError(f"--answer {pair!r}: write --answer STEP=ANSWER")
        if step is None or step.decide is None:
            known = ", ".join(s.id for s in decisions) or "none"
            raise ConfigError(f"--answer {sid}: runbook '{rb.id}' has no such decision (decisions: {known})")
        choice = match(step, answer)
        if choice is None:
            offered = ", ".join(c.answer for c in step.decide.choices)
            raise ConfigError(f"--answer {sid}={answer}: not one of its answers ({offered})")
        answers[sid] = choice.answer
    return answers


def digest(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def build_state(setup: Setup, console: Console) -> RunState:
    rb = setup.runbook
    severity = setup.severity or rb.severity
    level = None
    if severity:
        if rb.policy is None:
            raise ConfigError(f"--severity {severity}: runbook '{rb.id}' has no policy that defines severities")
        level = rb.policy.severity(severity)
        if level is None:
            known = ", ".join(s.id for s in rb.policy.severities)
            raise ConfigError(f"severity '{severity}' is not defined in policy '{rb.policy.id}' (levels: {known})")
    try:
        started = parse_moment(setup.started_at, check=setup.resumed is None)  # a resumed run keeps its own time
    except ValueError as err:
        raise ConfigError(f"--started-at {setup.started_at!r}: {err}") from None
    try:
        paged = parse_moment(setup.paged_at, check=setup.resumed is None) if setup.paged_at else None
    except ValueError as err:
        raise ConfigError(f"--paged-at {setup.paged_at!r}: {err}") from None
    if paged is not None and paged < started:
        raise ConfigError(f"--paged-at {setup.paged_at!r} is before the incident started ({journal_mod.iso(started)})")
    escalation = rb.escalation or (rb.policy.escalation if rb.policy else [])
    clock = Clock(started, level, escalation)
    state = RunState(rb, clock, find_root(Path(rb.source.file)), severity=severity)
    state.paged_at = paged
    state.secret_inputs = {i.name for i in rb.inputs if i.secret}
    return state


def gather_inputs(setup: Setup, state: RunState, console: Console) -> None:
    rb = setup.runbook
    given = inputs_mod.parse_pairs(setup.pairs, rb)
    interactive = setup.mode.interactive
    if setup.resumed is not None:
        old = setup.resumed.inputs
        for spec in rb.inputs:
            if spec.name in old and spec.name not in state.secret_inputs and spec.name not in given:
                state.inputs[spec.name] = old[spec.name]
        state.inputs.update(inputs_mod.collect(rb, given, console, interactive, skip=set(state.inputs),
                                               examples=setup.mode.drill, defer=True))
    elif setup.mode.dry_run:
        for spec in rb.inputs:
            raw = given.get(spec.name, spec.default)
            if raw is None:
                state.unknown_inputs.add(spec.name)
            state.inputs[spec.name] = inputs_mod.convert(spec, raw) if raw is not None else f"<{spec.name}>"
            if spec.secret and raw is not None:
                console.redactor.add(state.inputs[spec.name])
    else:
        state.inputs.update(inputs_mod.collect(rb, given, console, interactive, examples=setup.mode.drill, defer=True))


def open_journal(setup: Setup, state: RunState, console: Console) -> journal_mod.Journal:
    if setup.mode.dry_run:
        return journal_mod.NullJournal(console.redactor)
    if setup.resume_path is not None and setup.resumed is not None:
        try:
            return journal_mod.Journal(setup.resume_path, console.redactor, seq=setup.resumed.seq)
        except OSError as err:
            raise ConfigError(f"{setup.resume_path}: cannot append to the journal ({err.strerror})") from None
    path = journal_mod.new_path(setup.journal_dir, setup.runbook.id, setup.mode.drill)
    try:
        return journal_mod.Journal(path, console.redactor)
    except OSError as err:
        raise ConfigError(f"{setup.journal_dir}: cannot write the run journal there ({err.strerror}); "
                          "choose another folder with --journal-dir") from None


def first_events(setup: Setup, state: RunState, journal: journal_mod.Journal, console: Console) -> None:
    rb, mode, clock = setup.runbook, setup.mode, state.clock
    if setup.resumed is not None:
        changed = digest(rb.source.file) != setup.resumed.start.get("sha256")
        journal.write("resume", mode=mode.name, next=state.plan[state.position].id if state.position < len(state.plan) else None,
                      runbook_changed=changed, user=_user(), host=socket.gethostname(), pid=os.getpid())
        if changed:
            console.say("Warning: the runbook file changed since this run started; check the remaining steps.", bold=True)
        return
    level = clock.level
    journal.write("start", runbook=rb.id, title=rb.title, service=rb.service, file=os.path.abspath(rb.source.file),
                  sha256=digest(rb.source.file), severity=state.severity, severity_name=level.name if level else None,
                  started_at=journal_mod.iso(clock.started_at),
                  paged_at=journal_mod.iso(state.paged_at) if state.paged_at else None, mode=mode.name, drill=mode.drill,
                  ack_manual=mode.ack_manual,
                  targets={k: format_duration(v) if v else None for k, v in clock.targets().items()},
                  first=state.plan[state.position].id if state.plan else None, total=len(state.plan), section=state.section,
                  steps=[s.id for s in state.plan], user=_user(), host=socket.gethostname(), pid=os.getpid())
    shown: dict[str, Any] = {k: (MASK if k in state.secret_inputs else v) for k, v in state.inputs.items()}
    journal.write("inputs", values=shown, secret=sorted(state.secret_inputs))


def intro(setup: Setup, state: RunState, console: Console, journal_path: Path | None) -> None:
    rb, clock = setup.runbook, state.clock
    console.say(f"{rb.title}  ({rb.id}, service {rb.service})", bold=True)
    if rb.summary:
        console.say(rb.summary.strip())
    level = clock.level
    if level is not None:
        targets = [f"respond within {format_duration(level.respond)}"]
        if level.resolve:
            targets.append(f"resolve within {format_duration(level.resolve)}")
        if level.update_every:
            targets.append(f"status update every {format_duration(level.update_every)}")
        console.say(f"Severity {level.id} ({level.name}): " + ", ".join(targets))
    paged = f", paged {journal_mod.iso(state.paged_at)}" if state.paged_at else ""
    console.say(f"Incident started {journal_mod.iso(clock.started_at)}{paged}; mode {setup.mode.name}"
                + (" — DRILL: commands are simulated" if setup.mode.drill else ""))
    for name, value in state.inputs.items():
        console.say(f"  input {name} = {MASK if name in state.secret_inputs else value}")
    if journal_path is not None:
        console.say(f"Journal: {journal_path}")

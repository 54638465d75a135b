"""What the responder sees for one step: where we are, who owns it, what it does, and the
exact command that will run (inputs already substituted and quoted)."""

from __future__ import annotations

from validator.durations import format_duration
from validator.model import Step
from validator.runner.prepare import shell
from validator.runner.prompts import Console
from validator.runner.render import recipient
from validator.runner.state import RunState

RULE = "-" * 72


def heading(step: Step, number: int, total: int) -> str:
    where = f"Step {number}/{total}" if step.section in ("steps", "verify") else f"Rollback step {number}/{total}"
    tag = " [verify]" if step.section == "verify" else ""
    return f"{where}{tag}  {step.id}  {step.name}"


def show_step(console: Console, state: RunState, step: Step, number: int, total: int, command: str | None,
              condition: str | None = None) -> None:
    console.say(RULE)
    console.say(state.clock.header(), dim=True)
    console.say(heading(step, number, total), bold=True)
    if condition:
        console.say(condition)
    facts = [f"phase: {step.phase}" if step.phase else "", f"owner: {owner(state, step.owner)}" if step.owner else "",
             f"risk: {step.effective_risk}" if step.is_command else "",
             (f"within: {format_duration(step.within)}" + ("" if step.deadline_kind == "service" else f" ({step.deadline_kind})")
              if step.within else "")]
    if any(facts):
        console.say("  ".join(f for f in facts if f))
    if step.description:
        console.say(step.description.rstrip())
    for link in step.links:
        console.say(f"  link: {link.title + ' ' if link.title else ''}{link.url}")
    if step.kind == "manual" and step.manual:
        console.say("To do: " + step.manual.rstrip())
    for query in step.queries:
        console.say(f"Query{' in ' + query.datasource if query.datasource else ''}:", bold=True)
        for line in query.expr.splitlines():
            console.say(f"  {line}")
    for item in step.checklist:
        console.say(f"  [ ] {item}")
    wait = step.wait
    if wait is not None and wait.until is None:
        console.say(f"Wait {format_duration(wait.duration or wait.timeout or 0)}" + (f": {wait.reason}" if wait.reason else ""))
    if command is not None:
        console.say("Check until it passes:" if wait is not None else "Command:", bold=True)
        console.say(f"  $ {command}")
        if wait is not None:
            limit = wait.duration if wait.duration is not None else wait.timeout
            console.say(f"  (every {format_duration(wait.every)}"
                        + (f", gives up after {format_duration(limit)}" if limit else "") + ")")
        elif step.timeout or step.retries:
            console.say(f"  (timeout {format_duration(step.timeout)}"
                        + (f", {step.retries} retr{'y' if step.retries == 1 else 'ies'}" if step.retries else "") + ")")
    if step.undo:
        console.say(f"  undo: $ {shell(step.undo, state).shown}")


def owner(state: RunState, pid: str | None) -> str:
    return recipient(state.runbook.policy, pid) if pid else ""

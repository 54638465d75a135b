"""What the responder sees for one step: where we are, what it risks (first, coloured and in
words), who owns it (their phones and e-mails behind the ``o`` key), what it does, and the exact
command that will run (inputs already substituted and quoted)."""

from __future__ import annotations

from validator.durations import format_duration
from validator.model import Step
from validator.runner import layout
from validator.runner.prepare import shell
from validator.runner.prompts import Console
from validator.runner.quoting import substitute_arg
from validator.runner.render import recipient
from validator.runner.state import RunState

RULE = "-" * 60


def heading(step: Step, number: int, total: int) -> str:
    where = f"Step {number}/{total}" if step.section in ("steps", "verify") else f"Rollback step {number}/{total}"
    tag = " [verify]" if step.section == "verify" else ""
    return f"{where}{tag}  {step.id}  {step.name}"


RISK_STYLE: dict[str, dict[str, object]] = {"destructive": {"fg": "red", "bold": True},
                                             "mutating": {"fg": "yellow", "bold": True}, "read-only": {"fg": "green"}}


def status(console: Console, state: RunState) -> None:
    """The clock on one line that fits the terminal: the level's name goes first when it does not."""
    parts = state.clock.status()
    level = state.clock.level
    if level is not None and len(" | ".join(t for t, _ in parts)) > layout.width():
        parts[0] = (level.id, False)
    console.status_line(parts)


def show_step(console: Console, state: RunState, step: Step, number: int, total: int, command: str | None,
              condition: str | None = None) -> None:
    console.say(RULE)
    status(console, state)
    console.say(heading(step, number, total), bold=True)
    if condition:
        console.say(condition)
    if step.is_command or step.risk:
        risk = step.effective_risk
        text = f"RISK: {risk.upper()}" if risk == "destructive" else f"risk: {risk}"
        console.say(text, fg=RISK_STYLE.get(risk, {}).get("fg"), bold=bool(RISK_STYLE.get(risk, {}).get("bold")))
    contacts = owner(state, step.owner) if step.owner else ""
    console.details = [c.strip() for c in contacts.split(";")] if contacts else []
    kind = "" if step.deadline_kind == "service" else f" ({step.deadline_kind})"
    facts = [f"phase: {step.phase}" if step.phase else "",
             f"owner: {owner_name(state, step.owner)}{' ([o] for contacts)' if contacts else ''}" if step.owner else "",
             f"within: {format_duration(step.within)}{kind}" if step.within else ""]
    if any(facts):
        console.say("  ".join(f for f in facts if f))
    late = state.clock.overdue(step.within)
    if late and step.within:
        console.say(f"PAST ITS TARGET: due within {format_duration(step.within)}{kind} of the start, "
                    f"OVERDUE by {format_duration(late)}", fg="red", bold=True)
    if step.description:
        console.say(step.description.rstrip())
    for link in step.links:
        console.say(f"  link: {link.title + ' ' if link.title else ''}{link.url}")
    if step.kind == "manual" and step.manual:
        console.say("To do: " + readable(step.manual, state).rstrip())
    for query in step.queries:
        console.say(f"Query{' in ' + query.datasource if query.datasource else ''}:", bold=True)
        for line in query.expr.splitlines():
            console.say(f"  {line}")
    for item in step.checklist:
        console.say(f"  [ ] {readable(item, state)}")
    if step.decide is not None:
        console.say("Decide: " + step.decide.question, bold=True)
    if step.call is not None:
        console.say(f"Runs runbook {step.call} here" + (f" with {', '.join(step.call_inputs)}" if step.call_inputs else ""))
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


def readable(text: str, state: RunState) -> str:
    """Manual and checklist text with ``${name}`` filled in for reading (the console masks secrets)."""
    return substitute_arg(text, state.lookup) if "${" in text else text


def owner(state: RunState, pid: str | None) -> str:
    return recipient(state.runbook.policy, pid) if pid else ""


def owner_name(state: RunState, pid: str) -> str:
    """The owner's name alone (a role's name, a contact's name), for the card's one line of facts."""
    policy = state.runbook.policy
    party = policy.party(pid) if policy else None
    return party.name if party is not None else pid

"""Communication steps: the policy's template filled with the incident's facts, ready to paste,
with the people and channels to send it to.

Placeholders are the ones :mod:`validator.placeholders` lists (the lint rule reads the same
list); an unknown one is left visible rather than silently dropped.  Secret inputs are never
filled in: a message is meant to be sent.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from validator.durations import format_duration
from validator.model import Contact, Policy, Role, Step, Template
from validator.placeholders import KNOWN, PLACEHOLDER, input_name
from validator.runner.state import RunState
from validator.secrets import MASK


def fill(text: str, facts: dict[str, str], inputs: dict[str, Any], secret: set[str]) -> str:
    def one(match: Any) -> str:
        name = match.group(1)
        wanted = input_name(name)
        if wanted is not None:
            if wanted in secret:
                return MASK
            return str(inputs[wanted]) if wanted in inputs and inputs[wanted] is not None else match.group(0)
        if name in KNOWN and name in facts:
            return facts[name]
        return str(match.group(0))

    return PLACEHOLDER.sub(one, text)


def message(template: Template, facts: dict[str, str], inputs: dict[str, Any], secret: set[str]) -> tuple[str, str]:
    """``(subject, body)`` with placeholders filled."""
    return fill(template.subject, facts, inputs, secret), fill(template.body, facts, inputs, secret).rstrip("\n")


def _channels(contact: Contact) -> str:
    ways = [w for w in (contact.chat, contact.email, contact.pager, contact.phone) if w]
    return ", ".join(ways) if ways else "no channel listed"


def recipient(policy: Policy | None, pid: str) -> str:
    """``Name (channels)`` for a contact; for a role, who fills it and how to reach them."""
    party: Contact | Role | None = policy.party(pid) if policy else None
    if party is None:
        return pid
    if isinstance(party, Contact):
        return f"{party.name} ({_channels(party)})"
    people = [c for c in (policy.contact(party.primary) if policy and party.primary else None,
                          policy.contact(party.secondary) if policy and party.secondary else None) if c]
    if not people:
        return party.name
    return f"{party.name}: " + "; ".join(f"{c.name} ({_channels(c)})" for c in people)


def commander(policy: Policy | None) -> str:
    """Who fills the incident-commander role, when the policy has one."""
    if policy is None:
        return ""
    for role in policy.roles:
        if "commander" in role.id and role.primary:
            contact = policy.contact(role.primary)
            return contact.name if contact else role.primary
    return ""


def facts(state: RunState, step: Step, status: str) -> dict[str, str]:
    """The values a template's placeholders stand for, at this moment of the incident."""
    clock, rb = state.clock, state.runbook
    level = clock.level
    nxt = clock.next_update()
    return {
        "severity": state.severity or "", "severity_name": level.name if level else "", "title": rb.title,
        "runbook": rb.id, "service": rb.service, "status": status, "elapsed": format_duration(clock.elapsed()),
        "started_at": _hm(clock.started_at), "now": _hm(clock.now()), "step": step.id, "step_title": step.name,
        "next_update": _hm(nxt) if nxt else "",
        "update_every": format_duration(level.update_every) if level and level.update_every else "",
        "respond": format_duration(level.respond) if level else "",
        "resolve": format_duration(level.resolve) if level and level.resolve else "",
        "commander": commander(rb.policy), "summary": rb.summary.strip(),
    }


def _hm(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def for_step(state: RunState, step: Step, status: str, extra: dict[str, str] | None = None) -> tuple[str, str, list[str]]:
    """``(subject, body, recipients)`` for a notify step; a missing template says so in the body.
    ``extra``: values only the responder knows at this moment (the update's summary, its number)."""
    policy = state.runbook.policy
    template = policy.template(step.template) if policy and step.template else None
    to = [recipient(policy, pid) for pid in step.notify]
    if template is None:
        return "", f"(template '{step.template}' not found in the policy)", to
    subject, body = message(template, {**facts(state, step, status), **(extra or {})}, state.inputs, state.secret_inputs)
    channel = f" via {template.channel}" if template.channel else ""
    return subject, body, [f"{t}{channel}" for t in to]


def escalation_contacts(state: RunState, level_name: str) -> list[str]:
    """Whom to page when an escalation falls due, each with how to reach them: the named level of
    the escalation path; for the severity's own ``escalate_after``, the next level of the path not
    yet due (else the last), or the severity's notify list when there is no path."""
    rb, clock = state.runbook, state.clock
    policy = rb.policy
    path = rb.escalation or (policy.escalation if policy else [])
    named = [lvl for i, lvl in enumerate(path) if (lvl.name or f"level {i + 1}") == level_name]
    if named:
        ids = named[0].notify
    elif path:
        ahead = [lvl for lvl in path if lvl.after > clock.elapsed()]
        ids = (ahead[0] if ahead else path[-1]).notify
    else:
        ids = clock.level.notify if clock.level else []
    return [recipient(policy, pid) for pid in ids]

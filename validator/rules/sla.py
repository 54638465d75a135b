"""SLAs (T2xx), policy side: do the severity levels' time targets make sense together?

Severities are listed most severe first (that order is their rank), so a later level must
never promise a faster response or resolution than an earlier one, and within one level the
respond, escalate, update and resolve targets must fit inside each other.
"""

from __future__ import annotations

from collections.abc import Iterator

from validator.durations import format_duration as fmt
from validator.findings import Finding, Severity
from validator.model import SeverityLevel
from validator.rules.base import Context, rule


def _label(sev: SeverityLevel) -> str:
    return f"{sev.id} ({sev.name})" if sev.name and sev.name != sev.id else sev.id


@rule("T201", "severity-order", Severity.ERROR,
      "A less severe level has a tighter respond or resolve target than a more severe one.",
      "severities are listed most severe first; make each target at least as long as the one above")
def severity_order(ctx: Context) -> Iterator[Finding]:
    """Severities are ranked by their order in the policy, most severe first.  If a low severity
    must be answered faster than a high one, either the order or a target is wrong, and people
    triaging two incidents at once will work on the wrong one first.

    Fix: reorder the levels, or correct the target that breaks the order.
    """
    for policy in ctx.policies:
        for attr, verb in (("respond", "respond within"), ("resolve", "resolve within")):
            loosest: SeverityLevel | None = None
            for sev in policy.severities:
                value = getattr(sev, attr)
                if value is None:
                    continue
                if loosest is not None and value < getattr(loosest, attr):
                    yield ctx.report(policy.source, (*sev.at, attr),
                                     f"{_label(sev)} must {verb} {fmt(value)}, but the more severe "
                                     f"{_label(loosest)} allows {fmt(getattr(loosest, attr))}")
                if loosest is None or value >= getattr(loosest, attr):
                    loosest = sev


@rule("T202", "resolve-before-respond", Severity.ERROR,
      "A severity's resolve target is shorter than its respond target.",
      "the resolve target counts from the start of the incident too, so it must be longer than respond")
def resolve_before_respond(ctx: Context) -> Iterator[Finding]:
    """Both targets count from the start of the incident; an incident cannot be resolved before
    anyone has responded to it.  Usually one of the two values has the wrong unit (5m vs 5h).

    Fix: correct the target with the wrong value or unit.
    """
    for policy in ctx.policies:
        for sev in policy.severities:
            if sev.resolve is not None and sev.resolve < sev.respond:
                yield ctx.report(policy.source, (*sev.at, "resolve"),
                                 f"{_label(sev)} must resolve within {fmt(sev.resolve)}, before its respond target "
                                 f"of {fmt(sev.respond)}")


@rule("T203", "escalation-after-resolve", Severity.ERROR,
      "Escalation starts only after the resolve target has already been missed.",
      "escalate before the resolve target, while more help can still make a difference")
def escalation_after_resolve(ctx: Context) -> Iterator[Finding]:
    """Escalating is how an incident gets more help in time to meet its target.  Escalating after
    the target has passed only records the miss.  Checked for a severity's ``escalate_after`` and
    for every level of a runbook's own escalation path against the runbook's severity.

    Fix: shorten ``escalate_after`` (or the level's ``after``) below the resolve target.
    """
    for policy in ctx.policies:
        for sev in policy.severities:
            if sev.escalate_after is not None and sev.resolve is not None and sev.escalate_after > sev.resolve:
                yield ctx.report(policy.source, (*sev.at, "escalate_after"),
                                 f"{_label(sev)} escalates after {fmt(sev.escalate_after)}, later than its resolve target "
                                 f"of {fmt(sev.resolve)}")
    for rb in ctx.runbooks:
        level_sev = rb.severity_level
        if level_sev is None or level_sev.resolve is None:
            continue
        for level in rb.escalation:
            if level.after > level_sev.resolve:
                yield ctx.report(rb.source, (*level.at, "after"),
                                 f"escalation level after {fmt(level.after)} comes later than {_label(level_sev)}'s "
                                 f"resolve target of {fmt(level_sev.resolve)}")


@rule("T207", "update-longer-than-resolve", Severity.WARNING,
      "A severity's status-update cadence is longer than its resolve target.",
      "update more often than the resolve target, so at least one update goes out before it")
def update_longer_than_resolve(ctx: Context) -> Iterator[Finding]:
    """If the first scheduled update comes after the resolve target, stakeholders hear nothing
    until the incident is either over or already late.

    Fix: make ``update_every`` shorter than ``resolve``.
    """
    for policy in ctx.policies:
        for sev in policy.severities:
            if sev.update_every is not None and sev.resolve is not None and sev.update_every > sev.resolve:
                yield ctx.report(policy.source, (*sev.at, "update_every"),
                                 f"{_label(sev)} updates every {fmt(sev.update_every)}, longer than its resolve target "
                                 f"of {fmt(sev.resolve)}")

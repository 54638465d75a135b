"""SLAs (T2xx), runbook side: can this runbook, followed as written, meet its severity's targets?

Step durations are the worst case the runner allows: a command's timeout for each attempt
plus the delays between retries, a wait's duration or timeout, and for people-steps only an
explicit ``timeout`` (a manual step has no default limit worth adding up).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from validator.durations import format_duration as fmt
from validator.findings import Finding, Severity
from validator.model import EscalationLevel, SeverityLevel, Source, Step
from validator.rules.base import Context, rule
from validator.rules.sla import _label


def worst_case(step: Step) -> int:
    """The longest the runner lets ``step`` take, in seconds."""
    if step.is_command:
        return step.timeout * (step.retries + 1) + step.retry_delay * step.retries
    if step.wait is not None:
        return step.wait.duration or step.wait.timeout or 0
    return step.timeout if "timeout" in step.raw else 0


@rule("T204", "steps-exceed-resolve", Severity.WARNING,
      "The steps' timeouts add up to more than the severity's resolve target.",
      "shorten timeouts or retries, or split the runbook so the critical path fits the target")
def steps_exceed_resolve(ctx: Context) -> Iterator[Finding]:
    """If every step may run to its timeout (with retries) and the total is longer than the time
    allowed to resolve, the runbook can miss its target while doing exactly what it says.
    Steps and verification steps count; rollback steps run only on failure and do not.

    Fix: tighten the timeouts to what the commands really need, reduce retries, or move slow
    optional work after the incident is mitigated.
    """
    for rb in ctx.runbooks:
        sev = rb.severity_level
        if sev is None or sev.resolve is None:
            continue
        total = 0
        for step in (*rb.steps, *rb.verify):
            total += worst_case(step)
            if total > sev.resolve:
                yield ctx.report(rb.source, (*step.at, "id"),
                                 f"steps up to '{step.id}' can take {fmt(total)}, more than {_label(sev)}'s resolve "
                                 f"target of {fmt(sev.resolve)}")
                break


_AHEAD_OF_RESPONSE = frozenset({"detect", "triage", "communicate"})


@rule("T205", "step-target-order", Severity.WARNING,
      "A step's `within` target is earlier than the respond target, later than the resolve target, or earlier than a "
      "preceding step's.",
      "make `within` targets grow step by step and stay inside the severity's resolve target")
def step_target_order(ctx: Context) -> Iterator[Finding]:
    """``within`` is measured from the start of the incident.  A step that does the work (contain,
    investigate, recover, verify) due before the respond target is due before anyone need have
    answered the page (acknowledging, declaring and telling people may be due sooner, so steps
    in the detect, triage and communicate phases are not held to it); a step that may finish after the
    resolve target cannot be on the path to resolution in time, and a step whose target is
    earlier than the step before it cannot be met by following the steps in order.

    A step whose deadline is not a service target (``deadline_kind: legal``, ``regulatory`` or
    ``contractual``: notify the regulator within 72h) is not checked: the law sets it, not the SLA.

    Fix: correct the target, or move the step to where its target fits.
    """
    for rb in ctx.runbooks:
        sev = rb.severity_level
        previous: Step | None = None
        for step in (*rb.steps, *rb.verify):
            within = step.service_within
            if within is None:
                continue
            if sev is not None and sev.respond and within < sev.respond and step.phase not in _AHEAD_OF_RESPONSE:
                yield ctx.report(rb.source, (*step.at, "within"),
                                 f"step '{step.id}' is due within {fmt(within)}, before {_label(sev)}'s respond target "
                                 f"of {fmt(sev.respond)}: nobody need have answered the page by then")
            elif sev is not None and sev.resolve is not None and within > sev.resolve:
                yield ctx.report(rb.source, (*step.at, "within"),
                                 f"step '{step.id}' is due within {fmt(within)}, after {_label(sev)}'s resolve "
                                 f"target of {fmt(sev.resolve)}")
            elif previous is not None and previous.within is not None and within < previous.within:
                yield ctx.report(rb.source, (*step.at, "within"),
                                 f"step '{step.id}' is due within {fmt(within)}, before the earlier step "
                                 f"'{previous.id}' (within {fmt(previous.within)})")
            if previous is None or previous.within is None or within >= previous.within:
                previous = step


def _first_levels(ctx: Context) -> Iterator[tuple[Source, list[EscalationLevel], SeverityLevel, str]]:
    for policy in ctx.policies:
        if policy.severities:
            yield policy.source, policy.escalation, policy.severities[0], f"policy '{policy.id}'"
    for rb in ctx.runbooks:
        sev = rb.severity_level
        if sev is not None:
            yield rb.source, rb.escalation, sev, f"runbook '{rb.id}'"


@rule("T208", "escalation-too-late", Severity.WARNING,
      "The escalation path starts only after the respond target has passed.",
      "make the first escalation level start no later than the respond target")
def escalation_too_late(ctx: Context) -> Iterator[Finding]:
    """Escalation is what happens when nobody responds.  If its first level starts after the
    respond target, an unanswered page is already a missed target before anyone else is asked.
    The policy's path is measured against its most severe level, a runbook's own path against
    the runbook's severity.

    Fix: bring the first level's ``after`` down to the respond target (or below).
    """
    for source, levels, sev, _owner in _first_levels(ctx):
        if levels and sev.respond > 0 and min(lv.after for lv in levels) > sev.respond:  # 0s is T212's
            first = min(levels, key=lambda lv: lv.after)
            yield ctx.report(source, (*first.at, "after"),
                             f"the first escalation comes after {fmt(first.after)}, but {_label(sev)} must be answered "
                             f"within {fmt(sev.respond)}")


@rule("T209", "escalation-order", Severity.ERROR,
      "Escalation levels are not in time order, or two levels start at the same time.",
      "list escalation levels in the order they happen, each `after` longer than the one before")
def escalation_order(ctx: Context) -> Iterator[Finding]:
    """Levels are read top to bottom as the path an unresolved incident follows.  A level that
    starts before the one above it means the list or a duration is wrong, and people reading
    it under pressure will follow the list.  A level that starts together with the one above
    (typically every level at ``0s`` because only the order was known) is not a path: everyone,
    up to external support, is called at minute zero.

    Fix: reorder the levels, or give each level the delay after which it is called.
    """
    seen: set[int] = set()
    for source, levels, _sev, _owner in _first_levels(ctx):
        if id(levels) in seen:
            continue
        seen.add(id(levels))
        for before, level in itertools.pairwise(levels):
            if level.after < before.after:
                yield ctx.report(source, (*level.at, "after"),
                                 f"escalation level after {fmt(level.after)} is listed after a level that starts at "
                                 f"{fmt(before.after)}")
            elif level.after == before.after:
                yield ctx.report(source, (*level.at, "after"),
                                 f"escalation level after {fmt(level.after)} starts together with the level above it, "
                                 "so both are notified at once")


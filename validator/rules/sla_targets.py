"""SLAs (T2xx), continued: targets that are missing or cannot be measured.

A target nobody wrote down, a target of zero seconds and a KPI without a value all look
like a policy in review, and none of them can be met or missed.
"""

from __future__ import annotations

from collections.abc import Iterator

from validator.durations import format_duration as fmt
from validator.findings import Finding, Severity
from validator.rules.base import Context, rule
from validator.rules.sla import _label

TARGETS = ("respond", "resolve", "update_every", "escalate_after")


@rule("T206", "no-update-cadence", Severity.WARNING,
      "The most severe level has no status-update cadence (`update_every`).",
      "set update_every (e.g. 30m) so stakeholders know when to expect news")
def no_update_cadence(ctx: Context) -> Iterator[Finding]:
    """During a major incident the people not fixing it (support, leadership, customers) need
    updates on a known rhythm; without one they interrupt the responders to ask.

    Fix: add ``update_every`` to the top severity, e.g. ``update_every: 30m``.
    """
    for policy in ctx.policies:
        if policy.severities and policy.severities[0].update_every is None:
            top = policy.severities[0]
            yield ctx.report(policy.source, (*top.at, "id"), f"{_label(top)} has no update_every")


@rule("T211", "no-resolve-target", Severity.WARNING,
      "The most severe level has no resolve target.",
      "set resolve (time to resolve or mitigate) on the top severity")
def no_resolve_target(ctx: Context) -> Iterator[Finding]:
    """Without a resolve target nothing can say when a critical incident has gone on too long:
    escalation has no deadline to beat, and runbook timeouts and step targets cannot be checked
    against anything.

    Fix: add ``resolve`` to the top severity, e.g. ``resolve: 1h`` (time to mitigate counts).
    """
    for policy in ctx.policies:
        if policy.severities and policy.severities[0].resolve is None:
            top = policy.severities[0]
            yield ctx.report(policy.source, (*top.at, "id"), f"{_label(top)} has no resolve target")


@rule("T212", "zero-target", Severity.WARNING,
      "A severity target is 0s, which cannot be measured or met.",
      "write the real figure; 'immediately' usually means a few minutes, e.g. respond: 5m")
def zero_target(ctx: Context) -> Iterator[Finding]:
    """"Immediate action required" becomes ``respond: 0s``, a target every incident misses, so
    nobody looks at it.  A zero resolve target or update cadence is just as meaningless.
    ``escalate_after: 0s`` is not: it says "escalate at once", which a policy may well mean.

    Fix: agree on a figure the team can meet and measure (``respond: 5m``).
    """
    for policy in ctx.policies:
        for sev in policy.severities:
            for attr in TARGETS:
                if attr != "escalate_after" and getattr(sev, attr) == 0:
                    yield ctx.report(policy.source, (*sev.at, attr), f"{_label(sev)}: {attr} is 0s, which no response can meet")


@rule("T214", "escalation-at-respond", Severity.WARNING,
      "A severity escalates exactly when its response is due.",
      "escalate some minutes after the respond target, so the responder has a chance to acknowledge first")
def escalation_at_respond(ctx: Context) -> Iterator[Finding]:
    """``escalate_after`` equal to ``respond`` escalates the moment the response is due: every
    incident acknowledged in the last second escalates as well, and the next person is woken for
    nothing.  (``escalate_after: 0s``, escalate at once, is a decision, not this race.)

    Fix: give the responder a margin (``respond: 5m``, ``escalate_after: 15m``), or escalate at once.
    """
    for policy in ctx.policies:
        for sev in policy.severities:
            if sev.escalate_after and sev.respond is not None and sev.escalate_after == sev.respond:
                yield ctx.report(policy.source, (*sev.at, "escalate_after"),
                                 f"{_label(sev)} escalates after {fmt(sev.escalate_after)}, the moment its response is due")


@rule("T213", "objective-without-target", Severity.WARNING,
      "A response objective (KPI) has no target value.",
      "give the objective a target, e.g. target: < 5m, or remove it")
def objective_without_target(ctx: Context) -> Iterator[Finding]:
    """A metric tracked without a target (MTTD, MTTR …) can never be missed, so it never
    triggers a conversation; it is a number on a dashboard, not an objective.

    Fix: write the target the team commits to, e.g. ``target: "< 30m"``.
    """
    for policy in ctx.policies:
        for objective in policy.objectives:
            if not objective.target.strip():
                yield ctx.report(policy.source, (*objective.at, "target"), f"objective '{objective.name}' has no target")

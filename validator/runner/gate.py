"""Which lint findings stop a real run, and which are only shown.

A run is refused (unless ``--force``) only for errors that make *this* run unsafe: errors in its
own steps, verification, rollback and inputs (which covers its scripts: script findings sit on
the step), and errors in the policy's entries for the contacts this run pages or notifies and the
templates it sends.  A placeholder phone for a team this runbook never pages, an overdue review or
a typo in another runbook's section of the policy is shown as a banner instead: blocking a
responder mid-incident over it helps nobody.  A dry run is never refused for lint.
"""

from __future__ import annotations

from collections.abc import Iterable

from validator.findings import Finding, Severity
from validator.model import Policy, Runbook

SECTIONS = ("steps", "verify", "rollback", "inputs")

Span = tuple[int, int]


def split(rb: Runbook, findings: Iterable[Finding], severity: str | None) -> tuple[list[Finding], list[Finding]]:
    """``(unsafe, rest)``: the errors that refuse this run, and everything else."""
    own = [sp for section in SECTIONS if (sp := rb.source.locator.span((section,))) is not None]
    policy_spans = _policy_spans(rb, rb.policy, severity) if rb.policy is not None else []
    policy_path = rb.policy.source.path if rb.policy is not None else None
    unsafe: list[Finding] = []
    rest: list[Finding] = []
    for f in findings:
        spans = own if f.path == rb.source.path else policy_spans if f.path == policy_path else []
        if f.severity is Severity.ERROR and any(first <= f.line <= last for first, last in spans):
            unsafe.append(f)
        else:
            rest.append(f)
    return unsafe, rest


def paged(rb: Runbook, policy: Policy, severity: str | None) -> set[str]:
    """The contact ids this run may page or message: the severity's page and notify lists (every
    level's when the run has no severity), the escalation path, notify steps, owners, and their backups."""
    chosen = policy.severity(severity) if severity else None
    levels = [chosen] if chosen is not None else policy.severities
    ids = {p for lv in levels for p in (*lv.page, *lv.notify)}
    ids |= {p for level in (rb.escalation or policy.escalation) for p in level.notify}
    ids |= {p for s in rb.all_steps() for p in (*s.notify, *([s.owner] if s.owner else []))}
    if rb.owner:
        ids.add(rb.owner)
    contacts: set[str] = set()
    for pid in ids:
        role = policy.role(pid)
        if role is not None:
            contacts |= {c for c in (role.primary, role.secondary) if c}
        else:
            contacts.add(pid)
    for cid in list(contacts):
        contact = policy.contact(cid)
        if contact is not None and contact.backup:
            contacts.add(contact.backup)  # whoever is reached when they do not answer
    return contacts


def _policy_spans(rb: Runbook, policy: Policy, severity: str | None) -> list[Span]:
    reached = paged(rb, policy, severity)
    sent = {s.template for s in rb.all_steps() if s.template}
    where = [("contacts", i) for i, c in enumerate(policy.contacts) if c.id in reached]
    where += [("templates", i) for i, t in enumerate(policy.templates) if t.id in sent]
    return [sp for at in where if (sp := policy.source.locator.span(at)) is not None]

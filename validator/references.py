"""Cross-reference checks: every id a document mentions must exist, and ids must be unique.

These are part of validation, not lint: a dangling reference makes a runbook impossible
to render or run correctly, whatever the team's lint configuration says.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from validator import conditions
from validator.findings import Finding, Severity, clip
from validator.model import At, EscalationLevel, Policy, Runbook, Source, Step


def suggest(name: str, known: Iterable[str]) -> str:
    """A "did you mean" hint, or the list of what exists when nothing is close.

    Closeness is difflib's measure (twice the matching characters over both lengths, at
    least 0.6), computed by ``rapidfuzz`` in compiled code with the cutoff applied while it
    scans: a repository where every runbook has a dangling reference asks this once per
    runbook against every runbook id, which ``difflib`` made quadratic in Python.  It is
    imported here, on the first dangling reference, so a clean run never loads it.
    """
    from rapidfuzz import fuzz, process

    options = sorted(set(known))
    close = process.extractOne(name, options, scorer=fuzz.ratio, score_cutoff=60)
    if close is not None:
        return f"did you mean '{close[0]}'?"
    if not options:
        return "none are defined"
    shown = ", ".join(options[:12]) + (" …" if len(options) > 12 else "")
    return f"defined: {shown}"


def _at(source: Source, at: At, rule: str, message: str, hint: str = "", key: bool = False, cause: str = "") -> Finding:
    line, col = source.position(at, key=key)
    return Finding(source.path, line, col, rule, Severity.ERROR, message, hint, cause=cause)


def _parties(policy: Policy) -> list[str]:
    return [c.id for c in policy.contacts] + [r.id for r in policy.roles]


def _check_parties(source: Source, policy: Policy | None, ids: Iterable[tuple[str, At]], what: str) -> Iterator[Finding]:
    if policy is None:
        return
    known = _parties(policy)
    for pid, at in ids:
        if pid not in known:
            yield _at(source, at, "R002", f"{what} '{pid}' is not a contact or role in policy '{policy.id}'", suggest(pid, known),
                      cause=f"party {policy.source.path} {pid}")


def _duplicates(source: Source, items: Iterable[tuple[str, At]], what: str) -> Iterator[Finding]:
    seen: dict[str, At] = {}
    for item_id, at in items:
        if item_id in seen:
            line, _ = source.position(seen[item_id])
            yield _at(source, at, "R004", f"duplicate {what} id '{item_id}' (first defined on line {line})", "ids must be unique")
        else:
            seen[item_id] = at


def _escalation_refs(source: Source, policy: Policy | None, levels: list[EscalationLevel]) -> Iterator[Finding]:
    yield from _check_parties(source, policy, ((n, (*lvl.at, "notify", i)) for lvl in levels for i, n in enumerate(lvl.notify)),
                              "escalation target")


def check_policy(policy: Policy, runbook_ids: set[str]) -> Iterator[Finding]:
    src = policy.source
    yield from _duplicates(src, ((s.id, (*s.at, "id")) for s in policy.severities), "severity")
    yield from _duplicates(src, [(c.id, (*c.at, "id")) for c in policy.contacts] + [(r.id, (*r.at, "id")) for r in policy.roles],
                           "contact or role")
    yield from _duplicates(src, ((t.id, (*t.at, "id")) for t in policy.templates), "template")
    for sev in policy.severities:
        yield from _check_parties(src, policy, [(p, (*sev.at, "page", i)) for i, p in enumerate(sev.page)] +
                                  [(p, (*sev.at, "notify", i)) for i, p in enumerate(sev.notify)], f"severity {sev.id}: target")
    contacts = [c.id for c in policy.contacts]
    for role in policy.roles:
        for attr in ("primary", "secondary"):
            ref = getattr(role, attr)
            if ref and ref not in contacts:
                yield _at(src, (*role.at, attr), "R002", f"role '{role.id}': {attr} '{ref}' is not a contact",
                          suggest(ref, contacts))
    for contact in policy.contacts:
        if contact.backup and contact.backup not in contacts:
            yield _at(src, (*contact.at, "backup"), "R002", f"contact '{contact.id}': backup '{contact.backup}' is not a contact",
                      suggest(contact.backup, contacts))
    refs: list[tuple[str, At]] = [(policy.owner, ("owner",))] if policy.owner else []
    if policy.review and policy.review.by:
        refs.append((policy.review.by, ("review", "by")))
    refs += [(p.owner, (*p.at, "owner")) for p in policy.post_incident if p.owner]
    yield from _check_parties(src, policy, refs, "owner")
    yield from _escalation_refs(src, policy, policy.escalation)
    for drill in policy.drills:
        if drill.runbook and drill.runbook not in runbook_ids:
            yield _at(src, (*drill.at, "runbook"), "R008", f"drill '{drill.name}': runbook '{drill.runbook}' does not exist",
                      suggest(drill.runbook, runbook_ids), cause=f"runbook {drill.runbook}")


def _step_refs(rb: Runbook, step: Step, step_ids: list[str]) -> Iterator[Finding]:
    src, pol = rb.source, rb.policy
    if step.owner:
        yield from _check_parties(src, pol, [(step.owner, (*step.at, "owner"))], f"step '{step.id}': owner")
    yield from _check_parties(src, pol, ((n, (*step.at, "notify", i)) for i, n in enumerate(step.notify)),
                              f"step '{step.id}': notify target")
    if pol is not None and step.template and pol.template(step.template) is None:
        yield _at(src, (*step.at, "template"), "R003", f"template '{step.template}' is not defined in policy '{pol.id}'",
                  suggest(step.template, (t.id for t in pol.templates)), cause=f"template {pol.source.path} {step.template}")
    if step.on_failure.goto and step.on_failure.goto not in step_ids:
        yield _at(src, (*step.at, "on_failure", "goto"), "R007",
                  f"step '{step.id}' goes to '{step.on_failure.goto}', which does not exist",
                  suggest(step.on_failure.goto, step_ids))
    patterns: list[tuple[str | None, At]] = [(step.expect.output, ("expect", "output")),
                                             (step.expect.not_output, ("expect", "not_output"))]
    patterns += [(c.pattern, ("capture", i, "pattern")) for i, c in enumerate(step.capture)]
    for pattern, where in patterns:
        if pattern is not None:
            yield from _regex(src, pattern, (*step.at, *where), f"step '{step.id}'")
    if step.when:
        try:
            conditions.parse(step.when)
        except conditions.ConditionError as err:
            yield _at(src, (*step.at, "when"), "F008", f"step '{step.id}': condition: {err}",
                      "e.g. severity in [P0, P1] and inputs.region == 'eu'")


def _regex(source: Source, pattern: str, at: At, owner: str) -> Iterator[Finding]:
    """A pattern that does not compile would only fail mid-incident; report it at validation time."""
    try:
        re.compile(pattern)
    except re.error as err:
        yield _at(source, at, "F009", f"{owner}: '{clip(pattern)}' is not a valid regular expression: {err.msg}",
                  "escape special characters such as ( [ { with a backslash")



def check_runbook(rb: Runbook, runbook_ids: set[str]) -> Iterator[Finding]:
    src, pol = rb.source, rb.policy
    steps = list(rb.all_steps())
    step_ids = [s.id for s in steps]
    yield from _duplicates(src, ((s.id, (*s.at, "id")) for s in steps), "step")
    yield from _duplicates(src, ((i.name, (*i.at, "name")) for i in rb.inputs), "input")
    for item in rb.inputs:
        if item.pattern is not None:
            yield from _regex(src, item.pattern, (*item.at, "pattern"), f"input '{item.name}'")
    if pol is not None and rb.severity and pol.severity(rb.severity) is None:
        yield _at(src, ("severity",), "R001", f"severity '{rb.severity}' is not defined in policy '{pol.id}'",
                  suggest(rb.severity, (s.id for s in pol.severities)), cause=f"severity {pol.source.path} {rb.severity}")
    refs: list[tuple[str, At]] = [(rb.owner, ("owner",))] if rb.owner else []
    if rb.review and rb.review.by:
        refs.append((rb.review.by, ("review", "by")))
    refs += [(p.owner, (*p.at, "owner")) for p in rb.post_incident if p.owner]
    yield from _check_parties(src, pol, refs, "owner")
    yield from _escalation_refs(src, pol, rb.escalation)
    for step in steps:
        yield from _step_refs(rb, step, step_ids)
    for i, other in enumerate(rb.related):
        if other not in runbook_ids:
            yield _at(src, ("related", i), "R008", f"related runbook '{other}' does not exist", suggest(other, runbook_ids),
                      cause=f"runbook {other}")


def _shared_ids(what: str, docs: list[tuple[str, Source]]) -> list[Finding]:
    """Every document whose id another one uses too, each naming the others: the verdict on a file
    does not depend on which of the two was loaded first (or at all, when one is checked alone)."""
    by_id: dict[str, list[Source]] = {}
    for doc_id, source in docs:
        by_id.setdefault(doc_id, []).append(source)
    return [_at(source, ("id",), "R004", f"{what} id '{doc_id}' is also used by "
                + ", ".join(other.path for other in by_id[doc_id] if other is not source),
                f"{what} ids must be unique across the repository")
            for doc_id, source in docs if len(by_id[doc_id]) > 1]


def check(policies: list[Policy], runbooks: list[Runbook], also_exist: Iterable[str] = ()) -> list[Finding]:
    """All reference findings for a loaded repository."""
    findings: list[Finding] = []
    runbook_ids = {rb.id for rb in runbooks} | set(also_exist)  # ids of runbooks that failed the schema check
    findings += _shared_ids("runbook", [(rb.id, rb.source) for rb in runbooks])
    findings += _shared_ids("policy", [(pol.id, pol.source) for pol in policies])
    for pol in policies:
        findings.extend(check_policy(pol, runbook_ids))
    for rb in runbooks:
        findings.extend(check_runbook(rb, runbook_ids))
    return findings

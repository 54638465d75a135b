"""One finding per root cause: a missing script that twelve steps run, or a role nobody fills
that five runbooks notify, is one thing to fix, so it is reported once with every place it is used.

Rules give findings that share a cause the same ``Finding.cause`` (the script's path, the role in
its policy, the missing runbook id).  :func:`group` keeps the first finding of each rule and
cause in report order and lists the other places as its ``also``.  Only the presentation
changes: exit codes, baselines and suppressions work on every place, before grouping.
"""

from __future__ import annotations

import dataclasses

from validator.findings import Finding, Location


def group(findings: list[Finding]) -> list[Finding]:
    """``findings`` (sorted) with each rule-and-cause reported once, at its first place."""
    out: list[Finding] = []
    first: dict[tuple[str, str, str], int] = {}
    others: dict[int, list[Location]] = {}
    for finding in findings:
        if not finding.cause:
            out.append(finding)
            continue
        key = (finding.rule, finding.severity.value, finding.cause)
        at = first.get(key)
        if at is None:
            first[key] = len(out)
            out.append(finding)
        else:
            others.setdefault(at, []).append(Location(finding.path, finding.line, finding.col))
    for at, places in others.items():
        out[at] = dataclasses.replace(out[at], also=(*out[at].also, *places))
    return out


def places(finding: Finding) -> list[Location]:
    """Every place a finding stands for: where it is reported, then the others."""
    return [Location(finding.path, finding.line, finding.col), *finding.also]


def compact(locations: tuple[Location, ...] | list[Location]) -> str:
    """``a.yaml:12:9, 30:9, b.yaml:4:3``: each file named once, its places after it."""
    parts: list[str] = []
    last = None
    for loc in locations:
        spot = f"{loc.line}:{loc.col}" if loc.line else ""
        if loc.path == last and spot:
            parts.append(spot)
        else:
            parts.append(f"{loc.path}:{spot}" if spot else loc.path)
        last = loc.path
    return ", ".join(parts)


def also(finding: Finding) -> str:
    """The line that lists the other places of a grouped finding."""
    count = len(finding.also)
    return f"also in {count} other place{'s' * (count != 1)}: {compact(finding.also)}"

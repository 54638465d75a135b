"""Which policy governs each runbook: the one it names with ``policy: ID``, else the nearest
policy in its folder or a parent folder.

A policy file that failed the schema check still governs its folder: the runbooks below it are
told once that they could not be checked against it, instead of being told to add a policy
that is already there.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from validator import references
from validator.findings import Finding, Severity
from validator.model import Policy, Runbook

T = TypeVar("T")


def needs_policy(rb: Runbook) -> bool:
    """A runbook that names no severity, owner, contact or template can stand without a policy."""
    return bool(rb.severity or rb.owner or any(s.owner or s.notify for s in rb.all_steps()))


def attach(runbooks: list[Runbook], policies: list[Policy], invalid: dict[str, tuple[str, str | None]]) -> list[Finding]:
    """Set ``rb.policy`` on every runbook and return the findings about policies that cannot be used.

    ``invalid`` maps each policy file that failed the schema check (its real path) to its
    displayed path and its id, when it has one.
    """
    findings: list[Finding] = []
    for rb in runbooks:
        if rb.policy_id:
            rb.policy = next((p for p in policies if p.id == rb.policy_id), None)
            named = [shown for shown, pid in invalid.values() if pid == rb.policy_id]
            if rb.policy is None and named:
                findings.append(_unchecked(rb, named, ("policy",)))
            elif rb.policy is None:
                line, col = rb.source.position(("policy",))
                findings.append(Finding(rb.source.path, line, col, "R005", Severity.ERROR,
                                        f"policy '{rb.policy_id}' is not defined",
                                        references.suggest(rb.policy_id, [p.id for p in policies])))
            continue
        folder = Path(rb.source.file).resolve().parent
        valid = _nearest(folder, [(Path(p.source.file), p) for p in policies])
        broken = _nearest(folder, [(Path(file), shown) for file, (shown, _) in invalid.items()])
        if broken and (not valid or broken[0] >= valid[0]):
            rb.policy = None
            findings.append(_unchecked(rb, sorted(broken[1]), None))
        elif valid:
            nearest = sorted(valid[1], key=lambda p: p.id)
            rb.policy = nearest[0]
            if len(nearest) > 1:
                findings.append(Finding(rb.source.path, 1, 1, "R005", Severity.ERROR,
                                        "more than one policy applies: " + ", ".join(p.id for p in nearest),
                                        "name one with `policy: ID`"))
        elif len(policies) == 1 and not invalid:
            rb.policy = policies[0]
        elif needs_policy(rb):
            findings.append(Finding(rb.source.path, 1, 1, "R005", Severity.ERROR,
                                    "no policy found for this runbook",
                                    "put a policy file (kind: policy) in this folder or a parent folder, "
                                    "or set `policy: ID`"))
    return findings


def _nearest(folder: Path, candidates: list[tuple[Path, T]]) -> tuple[int, list[T]] | None:
    """The candidates in the deepest folder at or above ``folder``, with that folder's depth."""
    best: list[tuple[int, T]] = []
    for file, item in candidates:
        pfolder = file.resolve().parent
        if pfolder == folder or pfolder in folder.parents:
            best.append((len(pfolder.parts), item))
    if not best:
        return None
    depth = max(d for d, _ in best)
    return depth, [item for d, item in best if d == depth]


def _unchecked(rb: Runbook, broken: list[str], at: tuple[str] | None) -> Finding:
    line, col = rb.source.position(at) if at else (1, 1)
    files = ", ".join(broken)
    return Finding(rb.source.path, line, col, "R006", Severity.ERROR,
                   f"not checked against its policy: {files} has errors, so this runbook's severity, owners, "
                   "contacts and templates are unverified",
                   f"fix the errors reported in {files} (validate it to see them), then validate this runbook again")

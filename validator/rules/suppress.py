"""Inline suppressions: ``# runbook: ignore[C101] reason: the pager number is the vendor's``.

The comment silences the listed lint rules on its own line, or, standing alone, on the next
line that holds YAML.  Inside a block scalar (``run: |``) each line is a line of its own, so a
comment there names one line of the command; standing above the ``run: |`` key it covers the
whole block.  The reason is required because a silenced finding is a decision the
next reader must be able to judge; a suppression without one is not applied.  A suppression
that silences nothing is reported too, so stale ones do not pile up and hide new problems.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from validator.catalog import CORE_RULES, RuleInfo
from validator.findings import Finding, Severity
from validator.model import Source
from validator.rules.base import engine_rule

_MARKER = re.compile(r"#\s*runbook:\s*ignore\b(?P<rest>.*)$")
_FORM = re.compile(r"\[(?P<ids>[^\]]*)\]\s*(?:reason:(?P<reason>.*))?$")
_BLOCK_KEY = re.compile(r"^(?P<indent>\s*(?:-\s+)?)[\w.-]+:\s*[|>][-+0-9]*\s*(?:#.*)?$")

NO_REASON = engine_rule("L001", "suppression-without-reason", Severity.WARNING,
                        "An inline suppression gives no reason, so it is not applied.",
                        "write why after the ids: # runbook: ignore[C101] reason: <why>", """
    A silenced finding is a decision; without the reason, the next reader cannot tell a deliberate
    exception from a shortcut, so a suppression without ``reason:`` does not silence anything.

    Fix: add the reason, e.g. ``# runbook: ignore[C105] reason: the vendor's pager is a rota``.
    """)
UNUSED = engine_rule("L002", "unused-suppression", Severity.WARNING,
                     "An inline suppression silences nothing.",
                     "remove the comment, or move it to the line of the finding", """
    A suppression that matches no finding is stale: the problem was fixed or the comment sits on the
    wrong line.  Left in place it would hide the next, different problem on that line.

    Fix: delete the comment, or put it on the line the finding points at (or on its own line above).
    """)
BAD = engine_rule("L003", "bad-suppression", Severity.ERROR,
                  "An inline suppression is malformed or names a rule that cannot be silenced.",
                  "write # runbook: ignore[C101, T203] reason: <why>", """
    The comment must name lint rule ids in brackets.  Core checks (Y, F and R ids) cannot be
    silenced: a runbook that does not load or points at nothing cannot be rendered or run.

    Fix: correct the id (the message suggests the nearest one) or the form of the comment.
    """)


@dataclass
class Suppression:
    path: str
    line: int
    col: int
    target: int
    ids: tuple[str, ...]
    reason: str
    used: set[str] = field(default_factory=set)
    last: int = 0  # the last line covered (a whole block scalar), when it is more than ``target``


def scan(source: Source) -> list[Suppression]:
    """Every ``# runbook: ignore[...]`` comment in one file."""
    text = source.locator.text
    if "runbook:" not in text:
        return []
    lines = text.splitlines()
    found: list[Suppression] = []
    for number, line in enumerate(lines, start=1):
        match = _MARKER.search(line)
        if match is None:
            continue
        before = line[: match.start()]
        target = number if before.strip() else _next_yaml_line(lines, number)
        form = _FORM.match(match.group("rest").strip())
        ids = tuple(i.strip() for i in form.group("ids").split(",") if i.strip()) if form else ()
        reason = (form.group("reason") or "").strip() if form else ""
        found.append(Suppression(source.path, number, match.start() + 1, target, ids if form else ("",), reason,
                                 last=_block_end(lines, target) if not before.strip() else target))
    return found


def _block_end(lines: list[str], key: int) -> int:
    """The last line of the block scalar that starts on line ``key`` (``run: |``), else ``key``."""
    match = _BLOCK_KEY.match(lines[key - 1]) if 0 < key <= len(lines) else None
    if match is None:
        return key
    indent = len(match.group("indent"))
    last = key
    for number in range(key + 1, len(lines) + 1):
        text = lines[number - 1]
        if text.strip() and len(text) - len(text.lstrip()) <= indent:
            break
        if text.strip():
            last = number
    return last


def _next_yaml_line(lines: list[str], after: int) -> int:
    for number in range(after + 1, len(lines) + 1):
        stripped = lines[number - 1].strip()
        if stripped and not stripped.startswith("#"):
            return number
    return after


def _meta(s: Suppression, info: RuleInfo, message: str, hint: str | None = None) -> Finding:
    return Finding(s.path, s.line, s.col, info.id, info.severity, message, info.hint if hint is None else hint)


def problems(suppressions: Iterable[Suppression], rules: Mapping[str, RuleInfo], disabled: frozenset[str]) -> list[Finding]:
    """Findings about the suppressions themselves: malformed, unknown ids, no reason, unused."""
    out: list[Finding] = []
    from validator.rules.registry import suggest_id

    for s in suppressions:
        if s.ids == ("",) or not s.ids:
            out.append(_meta(s, BAD, "malformed suppression: name the rules in brackets"))
            continue
        for rule_id in s.ids:
            if rule_id in CORE_RULES:
                out.append(_meta(s, BAD, f"{rule_id} is a core validation check and cannot be suppressed",
                                 "fix the problem instead: the runbook cannot be loaded or run correctly as it is"))
            elif rule_id not in rules:
                out.append(_meta(s, BAD, f"unknown rule id '{rule_id}' in suppression", suggest_id(rule_id, rules)))
            elif not s.reason:
                out.append(_meta(s, NO_REASON, f"suppression of {rule_id} has no reason, so it is not applied"))
            elif rule_id not in s.used and rule_id not in disabled:
                out.append(_meta(s, UNUSED, f"suppression of {rule_id} matches no finding on line {s.target}"))
    return out


def apply(findings: list[Finding], suppressions: list[Suppression]) -> list[Finding]:
    """The findings that no (reasoned) suppression silences; marks the suppressions that were used."""
    if not suppressions:
        return findings
    index: dict[tuple[str, int], list[Suppression]] = {}
    for s in suppressions:
        if s.reason:
            for line in range(s.target, max(s.target, s.last) + 1):
                index.setdefault((s.path, line), []).append(s)
    kept: list[Finding] = []
    for f in findings:
        match = next((s for s in index.get((f.path, f.line), []) if f.rule in s.ids), None)
        if match is None:
            kept.append(f)
        else:
            match.used.add(f.rule)
    return kept

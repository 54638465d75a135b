"""SARIF 2.1.0 for code-scanning dashboards (GitHub code scanning and others).

Written as plain dictionaries: the object model needed is small, and the tests validate
the output against the official SARIF 2.1.0 JSON schema.  What an upload needs besides the
results: paths relative to the repository root under ``%SRCROOT%`` (so the alert lands on the
file whatever folder the check ran from), a ``partialFingerprints`` entry per result that
ignores line numbers (so a re-upload after lines moved matches the same alert instead of
opening a duplicate), each rule's ``help`` (the ``runbook rules ID`` text), and the findings
the baseline accepts as suppressed results (so their alerts close as suppressed, not as fixed).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

from validator.catalog import RuleInfo
from validator.findings import Finding, Severity
from validator.reporters.base import Report, json_safe
from validator.rule_docs import help_markdown, help_text, page_url

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT = "runbookFinding/v1"  # our own key: GitHub computes its primaryLocationLineHash itself
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _uri(path: str) -> str:
    """A relative path as a URI reference (spaces, ``%`` and brackets escaped); absolute paths as ``file://``."""
    posix = path.replace("\\", "/")
    encoded = quote(posix, safe="/", errors="replace")
    return "file://" + encoded if PurePath(posix).is_absolute() else encoded


def _from_root(path: str, root: Path | None) -> str | None:
    """The path relative to the repository root, or None for a file outside it."""
    if root is None:
        return None
    try:
        return Path(os.path.abspath(path)).relative_to(root).as_posix()
    except ValueError:
        return None


def _artifact(path: str, root: Path | None) -> dict[str, Any]:
    relative = _from_root(path, root)
    if relative is None:
        return {"uri": _uri(os.path.abspath(path) if root is not None else path)}
    return {"uri": _uri(relative), "uriBaseId": SRCROOT}


def _physical(report: Report, f: Finding | None, path: str, line: int, col: int) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": _artifact(path, report.root)}
    if line:
        region = {"startLine": line, "startColumn": max(col, 1)}
        if f is not None and col:
            region["endLine"] = line
            region["endColumn"] = report.end_col(f) + 1  # SARIF's end column is the one after the region
        location["region"] = region
    return location


def _fingerprint(report: Report, f: Finding) -> str:
    """Rule, file (from the root), message and the stripped source line, not the line number."""
    source = report.line_of(f.path, f.line).strip() if f.line else ""
    where = _from_root(f.path, report.root) or f.path
    return hashlib.sha256(f"{f.rule}\0{where}\0{f.message}\0{source}".encode()).hexdigest()[:32]


def _rule(rule_id: str, info: RuleInfo | None, docs_url: str | None) -> dict[str, Any]:
    if info is None:
        return {"id": rule_id, "shortDescription": {"text": rule_id}}
    rule: dict[str, Any] = {
        "id": rule_id,
        "name": info.name,
        "shortDescription": {"text": info.summary},
        "fullDescription": {"text": info.rationale or info.summary},
        "help": {"text": help_text(info), "markdown": help_markdown(info)},
        "defaultConfiguration": {"level": _LEVEL[info.severity]},
    }
    url = page_url(rule_id, docs_url)
    if url:  # only an address that serves something
        rule["helpUri"] = url
    return rule


def render(report: Report) -> str:
    everything = [*report.findings, *report.baselined]
    used = sorted({f.rule for f in everything})
    rule_index = {rule_id: i for i, rule_id in enumerate(used)}
    rules = [_rule(rule_id, report.rules.get(rule_id), report.docs_url) for rule_id in used]
    seen: Counter[str] = Counter()
    results = []
    accepted = {id(f) for f in report.baselined}
    for f in sorted(everything, key=Finding.sort_key):
        message = f.message + (f" ({f.hint})" if f.hint else "")
        digest = _fingerprint(report, f)
        seen[digest] += 1  # the same finding twice in a file stays two alerts
        result: dict[str, Any] = {
            "ruleId": f.rule,
            "ruleIndex": rule_index[f.rule],
            "level": _LEVEL[f.severity],
            "message": {"text": message},
            "locations": [{"physicalLocation": _physical(report, f, f.path, f.line, f.col)}],
            "partialFingerprints": {FINGERPRINT: f"{digest}:{seen[digest]}"},
        }
        if f.also:  # the same cause used elsewhere: one result, every place kept
            result["relatedLocations"] = [
                {
                    "id": i,
                    "physicalLocation": _physical(report, None, *place),
                    "message": {"text": "the same cause, used here too"},
                }
                for i, place in enumerate(f.also, start=1)
            ]
        if id(f) in accepted:
            why = f"accepted in the baseline {report.baseline}".strip()
            result["suppressions"] = [{"kind": "external", "justification": why}]
        results.append(result)
    driver: dict[str, Any] = {"name": "validate_runbook", "version": report.tool_version, "rules": rules}
    if report.docs_url:
        driver["informationUri"] = report.docs_url
    run: dict[str, Any] = {"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": results}
    if report.root is not None:
        run["originalUriBaseIds"] = {SRCROOT: {"uri": report.root.as_uri().rstrip("/") + "/"}}
    doc = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json_safe(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n"  # printed into CI logs too

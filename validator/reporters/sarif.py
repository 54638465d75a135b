"""SARIF 2.1.0 for code-scanning dashboards (GitHub code scanning and others).

Written as plain dictionaries: the object model needed is small, and the tests validate
the output against the official SARIF 2.1.0 JSON schema.
"""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from validator.catalog import help_uri
from validator.findings import Severity
from validator.reporters.base import Report, json_safe

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _uri(path: str) -> str:
    """A relative path as a URI reference (spaces, ``%`` and brackets escaped); absolute paths as ``file://``."""
    posix = path.replace("\\", "/")
    encoded = quote(posix, safe="/", errors="replace")
    return "file://" + encoded if PurePath(posix).is_absolute() else encoded


def _physical(path: str, line: int, col: int) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": {"uri": _uri(path)}}
    if line:
        location["region"] = {"startLine": line, "startColumn": max(col, 1)}
    return location


def render(report: Report) -> str:
    used = sorted({f.rule for f in report.findings})
    rule_index = {rule_id: i for i, rule_id in enumerate(used)}
    rules: list[dict[str, Any]] = []
    for rule_id in used:
        info = report.rules.get(rule_id)
        rules.append({
            "id": rule_id,
            "name": info.name if info else rule_id,
            "shortDescription": {"text": info.summary if info else rule_id},
            "fullDescription": {"text": (info.rationale or info.summary) if info else rule_id},
            "helpUri": help_uri(rule_id, report.docs_url),
            "defaultConfiguration": {"level": _LEVEL[info.severity] if info else "error"},
        })
    results = []
    for f in report.findings:
        message = f.message + (f" ({f.hint})" if f.hint else "")
        result: dict[str, Any] = {
            "ruleId": f.rule,
            "ruleIndex": rule_index[f.rule],
            "level": _LEVEL[f.severity],
            "message": {"text": message},
            "locations": [{"physicalLocation": _physical(f.path, f.line, f.col)}],
        }
        if f.also:  # the same cause used elsewhere: one result, every place kept
            result["relatedLocations"] = [
                {"id": i, "physicalLocation": _physical(*place), "message": {"text": "the same cause, used here too"}}
                for i, place in enumerate(f.also, start=1)]
        results.append(result)
    doc = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "validate_runbook", "version": report.tool_version,
                                "informationUri": report.docs_url, "rules": rules}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json_safe(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n"  # printed into CI logs too

"""Machine-readable output: one JSON object with a summary and every finding."""

from __future__ import annotations

import json

from validator.catalog import help_uri
from validator.findings import Severity
from validator.reporters.base import Report, json_safe


def render(report: Report) -> str:
    doc = {
        "version": 1,
        "files_checked": report.files_checked,
        "summary": {s.value: report.count(s) for s in Severity},
        "findings": [
            {"path": f.path, "line": f.line, "column": f.col, "rule": f.rule,
             "name": report.rules[f.rule].name if f.rule in report.rules else "",
             "severity": f.severity.value, "message": f.message, "hint": f.hint,
             "docs": help_uri(f.rule, report.docs_url),
             "also": [{"path": p.path, "line": p.line, "column": p.col} for p in f.also]}
            for f in report.findings
        ],
    }
    return json_safe(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n"  # printed into CI logs too

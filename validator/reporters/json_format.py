"""Machine-readable output: one JSON object with a summary and every finding.

``docs`` is the rule's page on the configured site, or null: a script can render it as a link
without checking; ``explain`` is the command that explains the rule offline, always present.
"""

from __future__ import annotations

import json

from validator.findings import Severity
from validator.reporters.base import Report, json_safe
from validator.rule_docs import command, page_url


def render(report: Report) -> str:
    doc = {
        "version": 1,
        "files_checked": report.files_checked,
        "summary": {s.value: report.count(s) for s in Severity},
        "findings": [
            {"path": f.path, "line": f.line, "column": f.col, "rule": f.rule,
             "name": report.rules[f.rule].name if f.rule in report.rules else "",
             "severity": f.severity.value, "message": f.message, "hint": f.hint,
             "docs": page_url(f.rule, report.docs_url), "explain": command(f.rule),
             "also": [{"path": p.path, "line": p.line, "column": p.col} for p in f.also]}
            for f in report.findings
        ],
    }
    return json_safe(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n"  # printed into CI logs too

"""The GitHub Actions job summary: every finding as a Markdown table on the run's summary page.

Annotations are capped by the runner (ten per level are shown on a pull request), so past that a
failing check would show nothing actionable; the summary lists every finding, with counts per
severity first.  Everything quoted is plain text: Markdown and HTML characters are escaped (the
page renders Markdown, and a message quotes the author's YAML), credentials are masked as in
every other report, and the table stops at :data:`MAX_ROWS`, well under the summary's size limit.
"""

from __future__ import annotations

import html
import re

from validator.findings import Severity
from validator.logsafe import HIDDEN, one_line
from validator.reporters.base import Report
from validator.rule_docs import page_url
from validator.secrets import redact

MAX_ROWS = 500
_MARKUP = re.compile(r"([\\`*_\[\]{}()#+\-.!|~>])")


def _cell(text: str) -> str:
    """Literal text in a table cell: one line, no control characters, Markdown and HTML inert."""
    flat = HIDDEN.sub("\N{REPLACEMENT CHARACTER}", one_line(redact(text)))
    return _MARKUP.sub(r"\\\1", html.escape(flat, quote=False))


def render(report: Report) -> str:
    counts = {s: report.count(s) for s in Severity}
    out = ["## validate_runbook", ""]
    if not report.findings:
        out += [f"{_cell(report.summary())}.", ""]
        return "\n".join(out) + "\n"
    out += [
        _cell(report.summary()),
        "",
        "| Errors | Warnings | Info |",
        "|---:|---:|---:|",
        f"| {counts[Severity.ERROR]} | {counts[Severity.WARNING]} | {counts[Severity.INFO]} |",
        "",
        "| Where | Rule | Severity | Message |",
        "|---|---|---|---|",
    ]
    for f in report.findings[:MAX_ROWS]:
        where = f"{f.path}:{f.line}" if f.line else f.path
        name = report.rules[f.rule].name if f.rule in report.rules else ""
        rule = _cell(f"{f.rule} {name}".strip())
        url = page_url(f.rule, report.docs_url)
        if url:
            rule = f"[{rule}]({url})"
        message = f.message + (f" ({f.hint})" if f.hint else "")
        out.append(f"| {_cell(where)} | {rule} | {f.severity.value} | {_cell(message)} |")
    if len(report.findings) > MAX_ROWS:
        rest = len(report.findings) - MAX_ROWS
        out += ["", f"and {rest} more: run `validate_runbook` locally for the full list."]
    return "\n".join(out) + "\n\n"

"""Human output in the style of compilers and actionlint: location, severity, message and
rule id, then the source line with a caret under the problem, the hint, and the docs link.
"""

from __future__ import annotations

import re

from validator.catalog import help_uri
from validator.findings import Finding
from validator.reporters.base import Report

_TOKEN = re.compile(r"""'[^']*'|"[^"]*"|(?:[^\s:,\[\]{}#]|[ ](?![#\s])|:(?!\s))+""")


def _caret(source_line: str, col: int) -> str:
    start = max(col - 1, 0)
    match = _TOKEN.match(source_line, start)
    width = max(len(match.group(0)) if match else 1, 1)
    width = min(width, max(len(source_line) - start, 1))
    return " " * start + "^" + "~" * (width - 1)


def format_finding(f: Finding, report: Report) -> str:
    where = f"{f.path}:{f.line}:{f.col}" if f.line else f.path
    out = [f"{where}: {f.severity.value}: {f.message} [{f.rule}]"]
    source = report.line_of(f.path, f.line) if f.line else ""
    if source.strip():
        gutter = str(f.line)
        shown = source.replace("\t", " ")
        out.append(f"  {gutter} | {shown}")
        out.append(f"  {' ' * len(gutter)} | {_caret(shown, f.col)}")
    if f.hint:
        out.append(f"  hint: {f.hint}")
    out.append(f"  docs: {help_uri(f.rule, report.docs_url)}")
    return "\n".join(out)


def render(report: Report) -> str:
    blocks = [format_finding(f, report) for f in report.findings]
    blocks.append(report.summary())
    return "\n".join(blocks) + "\n"

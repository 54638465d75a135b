"""Human output in the style of compilers and actionlint: location, severity, message and
rule id, then the source line with a caret under the problem, the hint, and where the rule is
explained (the site's rule reference, or ``runbook rules ID`` when no site is configured).
"""

from __future__ import annotations

from validator.findings import Finding
from validator.grouping import also
from validator.logsafe import HIDDEN_BUT_LAYOUT
from validator.reporters.base import Report, defuse, one_line, token_width
from validator.rule_docs import link

WIDTH = 100


def _caret(source_line: str, col: int) -> str:
    return " " * max(col - 1, 0) + "^" + "~" * (token_width(source_line, col) - 1)


def _visible(text: str) -> str:
    """Tabs as spaces, and control and bidirectional characters as U+FFFD, one character each, so
    columns still line up and no right-to-left override reorders the quoted line in a CI log."""
    return HIDDEN_BUT_LAYOUT.sub("\N{REPLACEMENT CHARACTER}", text.replace("\t", " "))


def _window(line: str, col: int) -> tuple[str, int]:
    """The part of a long source line around ``col`` (and the column within it), so a minified
    or generated line does not flood the terminal."""
    if len(line) <= WIDTH:
        return _visible(line), col
    start = max(0, min(col - 1 - WIDTH // 4, len(line) - WIDTH))
    piece = _visible(line[start:start + WIDTH])  # cut first: a generated line can be a megabyte long
    prefix = "…" if start else ""
    suffix = "…" if start + WIDTH < len(line) else ""
    return prefix + piece + suffix, col - start + len(prefix)


def format_finding(f: Finding, report: Report) -> str:
    """One finding, one block of lines; whatever a message quotes stays on its line and runs no CI command."""
    path = _safe(f.path)
    where = f"{path}:{f.line}:{f.col}" if f.line else path
    out = [f"{where}: {f.severity.value}: {_safe(f.message)} [{_safe(f.rule)}]"]
    source = report.line_of(f.path, f.line) if f.line else ""
    if source.strip():
        gutter = str(f.line)
        shown, col = _window(source, f.col)
        out.append(f"  {gutter} | {defuse(shown)}")
        out.append(f"  {' ' * len(gutter)} | {_caret(shown, col)}")
    if f.also:
        out.append(f"  {_safe(also(f))}")
    if f.hint:
        out.append(f"  hint: {_safe(f.hint)}")
    out.append(f"  docs: {_safe(link(f.rule, report.docs_url))}")
    return "\n".join(out)


def _safe(text: str) -> str:
    return defuse(one_line(text))


def render(report: Report) -> str:
    blocks = [format_finding(f, report) for f in report.findings]
    blocks += report.closing()
    return "".join(block + "\n" for block in blocks)

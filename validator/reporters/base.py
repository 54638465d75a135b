"""The one object every reporter receives, and what several formats derive from it alike."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from validator.catalog import CORE_RULES, RuleInfo
from validator.findings import Finding, Severity
from validator.grouping import places
from validator.logsafe import defuse, json_safe, one_line

__all__ = ["Report", "defuse", "json_safe", "one_line", "token_width"]

#: The token a column points at in a YAML line: a quoted scalar, or a plain one up to the next
#: indicator (``: ``, ``,``, brackets, `` #``).  The text caret and the end columns of annotations
#: and SARIF regions underline the same characters.
_TOKEN = re.compile(r"""'[^']*'|"[^"]*"|(?:[^\s:,\[\]{}#]|[ ](?![#\s])|:(?!\s))+""")


def token_width(source_line: str, col: int) -> int:
    """How many characters the finding at ``col`` (1-based) covers: its token, at least one."""
    start = max(col - 1, 0)
    match = _TOKEN.match(source_line, start)
    width = max(len(match.group(0)) if match else 1, 1)
    return min(width, max(len(source_line) - start, 1))


@dataclass
class Report:
    """Findings in order, how many files were checked, and how to show source lines."""

    findings: list[Finding]
    files_checked: int
    line_of: Callable[[str, int], str] = lambda path, line: ""
    rules: dict[str, RuleInfo] = field(default_factory=lambda: dict(CORE_RULES))  # from the pipeline: Result.rules
    docs_url: str | None = None  # the published site; without one, findings name `runbook rules ID`
    tool_version: str = "0"
    root: Path | None = None  # the repository root, which machine formats give paths relative to
    #: Findings the baseline accepts: not reported, except in SARIF, as suppressed results, so code
    #: scanning closes their alerts as suppressed instead of as fixed.
    baselined: list[Finding] = field(default_factory=list)
    baseline: str = ""  # the baseline file they are recorded in
    quiet: bool = False  # people's formats print the findings only, without the summary line

    def closing(self) -> list[str]:
        """The summary line that ends the text and github formats, unless quiet."""
        return [] if self.quiet else [self.summary()]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    def end_col(self, f: Finding) -> int:
        """The last column (1-based, inclusive) of the offending token; the start column when unknown."""
        if f.end_col:
            return max(f.end_col, f.col)
        source = self.line_of(f.path, f.line) if f.line else ""
        return f.col + token_width(source, f.col) - 1 if source.strip() and f.col else f.col

    def summary(self) -> str:
        errors, warnings, infos = (self.count(s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO))
        files = len({place.path for f in self.findings for place in places(f)})
        checked = max(self.files_checked, files)  # a policy found above a runbook passed alone counts once it speaks
        noun = "file" if checked == 1 else "files"
        if not self.findings:
            return f"{self.files_checked} {noun} checked: no problems"
        parts = [f"{errors} error{'s' * (errors != 1)}", f"{warnings} warning{'s' * (warnings != 1)}"]
        if infos:
            parts.append(f"{infos} info")
        return f"{', '.join(parts)} in {files} of {checked} {noun}"

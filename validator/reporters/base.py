"""The one object every reporter receives."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from validator.catalog import CORE_RULES, DOCS_URL, RuleInfo
from validator.findings import Finding, Severity
from validator.grouping import places
from validator.logsafe import defuse, json_safe, one_line

__all__ = ["Report", "defuse", "json_safe", "one_line"]


@dataclass
class Report:
    """Findings in order, how many files were checked, and how to show source lines."""

    findings: list[Finding]
    files_checked: int
    line_of: Callable[[str, int], str] = lambda path, line: ""
    rules: dict[str, RuleInfo] = field(default_factory=lambda: dict(CORE_RULES))  # from the pipeline: Result.rules
    docs_url: str = DOCS_URL
    tool_version: str = "0"

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

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


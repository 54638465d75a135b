"""Findings: the one result type every stage produces and every reporter consumes.

Loader problems, schema errors, broken references and lint results all become a
:class:`Finding`, so reporters never need to know which stage spoke.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Severity(enum.Enum):
    """How bad a finding is; ``error`` fails CI, ``warning`` fails only with ``--strict``."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True, order=False)
class Finding:
    """A located problem: where, which rule, how bad, what is wrong and how to fix it.

    ``line`` and ``col`` are 1-based; 0 means "the file as a whole".
    """

    path: str
    line: int
    col: int
    rule: str
    severity: Severity
    message: str
    hint: str = ""
    end_col: int = 0
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.col, self.rule, self.message)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Findings in a stable order (file, line, column, rule), duplicates removed."""
    unique = {(f.sort_key(), f.severity): f for f in findings}
    return sorted(unique.values(), key=Finding.sort_key)


def clip(text: str, limit: int = 40) -> str:
    """Shorten a value quoted in a message, so a finding never echoes a huge or minified value."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ConfigError(Exception):
    """A usage or configuration problem: reported with exit code 2."""

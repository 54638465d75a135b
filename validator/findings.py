"""Findings: the one result type every stage produces and every reporter consumes.

Loader problems, schema errors, broken references and lint results all become a
:class:`Finding`, so reporters never need to know which stage spoke.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import NamedTuple


class Severity(enum.Enum):
    """How bad a finding is; ``error`` fails CI, ``warning`` fails only with ``--strict``."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


class Location(NamedTuple):
    """Where in a file: 1-based line and column, 0 for the file as a whole."""

    path: str
    line: int
    col: int


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
    #: What one fix resolves (a script's path, a role in its policy): findings of one rule with the
    #: same cause are reported once, the others as ``also`` (see :mod:`validator.grouping`).
    cause: str = field(default="", compare=False)
    also: tuple[Location, ...] = field(default=(), compare=False)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.col, self.rule, self.message)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Findings in a stable order (file, line, column, rule), duplicates removed."""
    unique = {(f.sort_key(), f.severity): f for f in findings}
    return sorted(unique.values(), key=Finding.sort_key)


#: Findings listed per file; past this a file is broken throughout, and listing every instance
#: (a generated file can hold hundreds of thousands) only buries the first, which is the one to fix.
MAX_PER_FILE = 100


def cap_per_file(findings: list[Finding], limit: int = MAX_PER_FILE) -> list[Finding]:
    """The first ``limit`` findings of each file (in the given order), then one that counts the rest.

    The count carries the worst severity of what it replaces, so the exit code and ``--strict``
    decide exactly as they would on the whole list.
    """
    kept: list[Finding] = []
    dropped: dict[str, list[Finding]] = {}
    shown: dict[str, int] = {}
    for f in findings:
        if f.rule == TRUNCATED:
            kept.append(f)
        elif shown.get(f.path, 0) < limit:
            shown[f.path] = shown.get(f.path, 0) + 1
            kept.append(f)
        else:
            dropped.setdefault(f.path, []).append(f)
    for path, rest in dropped.items():
        worst = min((f.severity for f in rest), key=lambda s: s.rank)
        first = rest[0]
        kept.append(Finding(path, first.line, first.col, TRUNCATED, worst,
                            f"and {len(rest):,} more finding{'s' * (len(rest) != 1)} in this file, from line {first.line} on",
                            f"the first {limit} are listed; fix those and validate again"))
    return sorted(kept, key=Finding.sort_key)


#: The rule of the finding that stands for those left out (see :func:`cap_per_file`).
TRUNCATED = "Y015"


def clip(text: str, limit: int = 40) -> str:
    """Shorten a value quoted in a message, so a finding never echoes a huge or minified value."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ConfigError(Exception):
    """A usage or configuration problem: reported with exit code 2."""

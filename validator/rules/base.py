"""What a lint rule is and what it receives.

A rule is a function decorated with :func:`rule`; its docstring is its user documentation
(rationale first, then how to fix), shown by ``runbook rules ID`` and on the docs site.
A rule yields findings through :meth:`Context.report`, which resolves positions lazily.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from validator.catalog import RuleInfo
from validator.findings import Finding, Severity
from validator.model import At, Source
from validator.repository import Repository

Check = Callable[["Context"], Iterator[Finding]]


@dataclass(frozen=True)
class Rule:
    info: RuleInfo
    check: Check
    doc: str


@dataclass
class Context:
    """What every rule sees: the whole repository model, the files on disk, and today's date."""

    repo: Repository
    today: date
    root: Path
    shellcheck: bool = False
    current: RuleInfo | None = None

    def report(self, source: Source, at: At, message: str, hint: str | None = None, key: bool = False,
               severity: Severity | None = None) -> Finding:
        """A finding for the rule being run, located at ``at`` inside ``source``."""
        assert self.current is not None
        line, col = source.position(at, key=key)
        return Finding(source.path, line, col, self.current.id, severity or self.current.severity, message,
                       self.current.hint if hint is None else hint)


_RULES: list[Rule] = []


def rule(id: str, name: str, severity: Severity, summary: str, hint: str = "") -> Callable[[Check], Check]:
    """Register ``check`` as rule ``id``; the function's docstring becomes the rule's documentation."""

    def wrap(check: Check) -> Check:
        doc = (check.__doc__ or "").strip()
        rationale = doc.split("\n\n")[0].replace("\n", " ") if doc else summary
        _RULES.append(Rule(RuleInfo(id, name, severity, summary, rationale, hint), check, doc))
        return check

    return wrap


def defined_rules() -> list[Rule]:
    return list(_RULES)

"""What a lint rule is and what it receives.

A rule is a function decorated with :func:`rule`; its docstring is its user documentation
(rationale first, then how to fix), shown by ``runbook rules ID`` and on the docs site.
A rule yields findings through :meth:`Context.report`, which resolves positions lazily.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from validator.catalog import RuleInfo
from validator.findings import Finding, Severity
from validator.model import At, Policy, Runbook, Source
from validator.repository import Repository

Check = Callable[["Context"], Iterator[Finding]]


@dataclass(frozen=True)
class Rule:
    """A registered rule; ``engine`` rules are documented here but produced by the engine itself
    (suppression and configuration problems), so the engine does not call their ``check``."""

    info: RuleInfo
    check: Check
    doc: str
    engine: bool = False


@dataclass
class Context:
    """What every rule sees: the whole repository model, the files on disk, and today's date.

    Rules report on ``runbooks``, ``policies`` and ``sources``: the documents being checked.
    ``repo`` also holds the rest of their runbook tree, loaded so that a file checked alone
    resolves its references; rules look things up there but never report on it.
    """

    repo: Repository
    today: date
    root: Path
    shellcheck: bool = False
    inventory: str | None = None  # the configuration's inventory setting (a runbook's policy may name another)
    current: RuleInfo | None = None
    runbooks: list[Runbook] = field(init=False)
    policies: list[Policy] = field(init=False)
    sources: dict[str, Source] = field(init=False)

    def __post_init__(self) -> None:
        checked = self.repo.checked
        self.runbooks = [rb for rb in self.repo.runbooks if checked(rb.source.path)]
        self.policies = [p for p in self.repo.policies if checked(p.source.path)]
        self.sources = {path: source for path, source in self.repo.sources.items() if checked(path)}

    def report(self, source: Source, at: At, message: str, hint: str | None = None, key: bool = False,
               severity: Severity | None = None, cause: str = "") -> Finding:
        """A finding for the rule being run, located at ``at`` inside ``source``.

        ``cause`` names what one fix resolves when many places share it (a missing script, an
        empty role): the report then shows the finding once, with every place.
        """
        assert self.current is not None
        line, col = source.position(at, key=key)
        return self.report_line(source, line, col, message, hint, severity, cause)

    def report_line(self, source: Source, line: int, col: int, message: str, hint: str | None = None,
                    severity: Severity | None = None, cause: str = "") -> Finding:
        """A finding at a known 1-based line and column (for rules that scan the text itself)."""
        assert self.current is not None
        return Finding(source.path, line, col, self.current.id, severity or self.current.severity, message,
                       self.current.hint if hint is None else hint, cause=cause)


_RULES: list[Rule] = []


def _register(new: Rule) -> None:
    """Add a rule; the same id from another function is a programming error caught at import."""
    for i, old in enumerate(_RULES):
        if old.info.id == new.info.id:
            if getattr(old.check, "__qualname__", None) != getattr(new.check, "__qualname__", None) or old.engine != new.engine:
                raise ValueError(f"rule id {new.info.id} is registered twice")
            _RULES[i] = new
            return
    _RULES.append(new)


def rule(id: str, name: str, severity: Severity, summary: str, hint: str = "") -> Callable[[Check], Check]:
    """Register ``check`` as rule ``id``; the function's docstring becomes the rule's documentation."""

    def wrap(check: Check) -> Check:
        doc = inspect.cleandoc(check.__doc__ or "")
        rationale = " ".join(doc.split("\n\n")[0].split()) if doc else summary
        _register(Rule(RuleInfo(id, name, severity, summary, rationale, hint, doc), check, doc))
        return check

    return wrap


def _nothing(ctx: Context) -> Iterator[Finding]:
    return iter(())


def engine_rule(id: str, name: str, severity: Severity, summary: str, hint: str, doc: str) -> RuleInfo:
    """Document a rule whose findings the engine makes (e.g. an unused suppression)."""
    doc = inspect.cleandoc(doc)
    info = RuleInfo(id, name, severity, summary, " ".join(doc.split("\n\n")[0].split()), hint, doc)
    _register(Rule(info, _nothing, doc, engine=True))
    return info


def defined_rules() -> list[Rule]:
    return list(_RULES)

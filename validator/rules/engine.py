"""Run every enabled lint rule over a loaded repository and merge with the load findings.

Configuration (disable, severity overrides, ignored paths), inline suppressions and the
baseline are applied here, after the rules ran, so rules stay simple: a rule reports what
it sees and never asks whether anyone wants to hear it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from validator.catalog import CORE_RULES, RuleInfo
from validator.findings import Finding, sort_findings
from validator.locate import DiskLines
from validator.repository import Repository
from validator.rules import baseline, registry, suppress
from validator.rules import config as configuration
from validator.rules.base import Context
from validator.today import today as calendar_today


@dataclass(frozen=True)
class Settings:
    """What the caller decides about one lint run (the repository's own configuration is read here)."""

    today: date | None = None
    config: Path | None = None  # a configuration file given explicitly; else the repository's own
    baseline: Path | None = None  # report only findings not recorded in this file
    write_baseline: Path | None = None  # record every finding in this file
    shellcheck: bool = False


@dataclass
class Linted:
    """The findings of one lint run and what the reporters need to present them."""

    findings: list[Finding]
    docs_url: str | None  # from the repository's configuration
    rules: dict[str, RuleInfo]  # every rule a finding can carry, core rules included
    config: configuration.Config = field(default_factory=configuration.Config)  # the repository's settings
    baselined: list[Finding] = field(default_factory=list)  # accepted by the baseline, so not in ``findings``


def lint(repo: Repository, findings: list[Finding], settings: Settings | None = None) -> Linted:
    """The load findings plus the lint findings, after configuration, suppressions and baseline."""
    settings = settings or Settings()
    rules = registry.rules()
    infos = {r.info.id: r.info for r in rules}
    config = configuration.load(repo.root, settings.config, infos)
    ctx = Context(repo=repo, today=calendar_today(settings.today), root=repo.root, shellcheck=settings.shellcheck,
                  inventory=config.inventory)
    found: list[Finding] = []
    for rule in rules:
        if rule.engine or rule.info.id in config.disable:
            continue
        ctx.current = rule.info
        try:
            found.extend(rule.check(ctx))
        except Exception as exc:
            raise RuntimeError(f"lint rule {rule.info.id} ({rule.info.name}) failed: {exc}") from exc
    found = [f for f in found if repo.checked(f.path)]  # the context around a file checked alone is never reported
    ignored = {path for path in {*ctx.sources, *(f.path for f in found)}
               if config.ignore and config.ignored(baseline.relative(path, repo.root))}
    found = [f for f in found if f.path not in ignored]
    suppressions = [s for path, source in sorted(ctx.sources.items()) if path not in ignored for s in suppress.scan(source)]
    found = suppress.apply(found, suppressions)
    found += suppress.problems(suppressions, infos, config.disable)
    found = [_configured(f, config) for f in found if f.rule not in config.disable]
    if config.per_path:
        found = [f for f in found if f.rule not in config.disabled_at(baseline.relative(f.path, repo.root))]
    out = sort_findings([*findings, *found])
    line_of = _line_reader(repo)
    if settings.write_baseline is not None:
        baseline.write(settings.write_baseline, out, repo.root, line_of)
    known: list[Finding] = []
    if settings.baseline is not None:
        out, known = baseline.split(out, baseline.read(settings.baseline), repo.root, line_of)
    return Linted(out, config.docs_url, {**CORE_RULES, **infos}, config, known)


def _configured(finding: Finding, config: configuration.Config) -> Finding:
    severity = config.severity.get(finding.rule)
    return finding if severity is None or severity is finding.severity else dataclasses.replace(finding, severity=severity)


def _line_reader(repo: Repository) -> baseline.LineOf:
    """Source lines for fingerprints: from the loaded text when there is one, else from disk."""

    disk = DiskLines()

    def line_of(path: str, line: int) -> str:
        source = repo.sources.get(path)
        if source is not None:
            return source.locator.line_text(line)
        return disk.line(path, line)

    return line_of

"""The validation pipeline: load the repository, run the lint rules, decide the outcome.

``validate_runbook``, ``runbook validate``, the docs plugin's "needs attention" page and the
runner's pre-flight check all call :func:`run`, so they always agree.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

from validator import alert_check, alert_sources, grouping, secrets
from validator.catalog import CORE_RULES, RuleInfo
from validator.findings import Finding, Severity, cap_per_file, sort_findings
from validator.locate import DiskLines
from validator.repository import Given, Repository, load_repository


@dataclass
class Options:
    """Knobs that change what is reported, not how it is printed."""

    lint: bool = True
    today: date | None = None  # the day review-freshness rules measure from
    config: Path | None = None  # lint configuration file; default: the repository's own
    baseline: Path | None = None  # report only findings not recorded in this baseline
    write_baseline: Path | None = None  # record every finding as the new baseline
    shellcheck: bool = False  # also run ShellCheck over commands and scripts
    alert_rules: tuple[str, ...] = ()  # Prometheus rule files, folders or globs (from the working folder)
    runbook_url: str | None = None  # a runbook page's address with {id}; default: the configuration's
    group: bool = False  # one finding per root cause, the other places as its ``also`` (for reports)
    given: Given | None = None  # a document from standard input, checked as a file in its folder


def _alert_findings(repo: Repository, options: Options) -> tuple[list[Finding], int, str | None]:
    """Findings of the alert cross-check, the number of rule files read besides the checked files, and
    the configured site address (which ``--no-lint`` reports link to as well).

    Rule files come from ``--alert-rules`` (else the ``alert_rules`` setting) and from among the
    checked files themselves.  A runbook naming an alert no rule file defines (A103) is reported
    only when rule files were named: one rule file kept beside some runbooks says nothing about
    the alerts of the others."""
    from validator.rules import config as configuration
    from validator.rules import registry

    config = configuration.load(repo.root, options.config, registry.rule_infos())
    if options.alert_rules:
        named = alert_sources.load_all(options.alert_rules, Path.cwd())
    elif config.alert_rules:
        named = alert_sources.load_all(config.alert_rules, repo.root)
    else:
        named = []
    if not named and not repo.alert_files:
        return [], 0, config.docs_url
    seen = {os.path.abspath(rf.path) for rf in repo.alert_files}
    named = [rf for rf in named if os.path.abspath(rf.path) not in seen]
    findings = alert_check.check([*named, *repo.alert_files], [*repo.runbooks, *repo.alert_runbooks],
                                 options.runbook_url or config.runbook_url, repo.checked, unknown_alerts=bool(named))
    return findings, len(named), config.docs_url


@dataclass
class Result:
    repository: Repository
    findings: list[Finding]
    docs_url: str | None = None  # the site's address from the configuration; reporters link each rule under it
    rules: dict[str, RuleInfo] = field(default_factory=lambda: dict(CORE_RULES))  # metadata of every rule that ran
    _shown: dict[tuple[str, int], str] = field(default_factory=dict, repr=False)  # redacted lines, by file and line
    _disk: DiskLines = field(default_factory=DiskLines, repr=False)
    other_files: int = 0  # files checked besides runbooks and policies (alert rule files)
    baselined: list[Finding] = field(default_factory=list)  # findings the baseline accepts, not in ``findings``

    @property
    def checked_files(self) -> int:
        return len(self.repository.files) + self.other_files

    def failed(self, strict: bool = False) -> bool:
        bad = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
        return any(f.severity in bad for f in self.findings)

    @cached_property
    def _secret_values(self) -> list[str]:
        return [str(i.default) for rb in self.repository.runbooks for i in rb.inputs if i.secret and i.default is not None]

    def line_of(self, path: str, line: int) -> str:
        """A source line for display, with credentials and secret defaults masked: reports never repeat a secret.

        Each line is read and redacted once, however many findings quote it.
        """
        key = (path, line)
        if key not in self._shown:
            self._shown[key] = secrets.redact(self._raw_line(path, line), self._secret_values)
        return self._shown[key]

    def _raw_line(self, path: str, line: int) -> str:
        source = self.repository.sources.get(path)
        if source is not None:
            return source.locator.line_text(line)
        return self._disk.line(path, line)


def run(paths: Iterable[Path], options: Options | None = None) -> Result:
    """Load, check and lint; the returned findings are sorted and final."""
    options = options or Options()
    repo = load_repository(paths, given=options.given)
    alerts, rule_files, docs_url = _alert_findings(repo, options)
    result = Result(repo, sort_findings([*repo.findings, *alerts]), docs_url=docs_url, other_files=rule_files)
    if options.lint:
        try:
            from validator.rules import engine
        except ImportError:
            result.findings = cap_per_file(grouping.group(result.findings) if options.group else result.findings)
            return result
        settings = engine.Settings(today=options.today, config=options.config, baseline=options.baseline,
                                   write_baseline=options.write_baseline, shellcheck=options.shellcheck)
        # The loaded model is long-lived: without this, every collection the rules
        # trigger walks all of it again (about half a second per 1,000 runbooks).
        gc.freeze()
        try:
            linted = engine.lint(repo, result.findings, settings)
        finally:
            gc.unfreeze()
        result.findings, result.docs_url, result.rules = sort_findings(linted.findings), linted.docs_url, linted.rules
        result.baselined = linted.baselined
    if options.group:
        result.findings = grouping.group(result.findings)
        result.baselined = grouping.group(result.baselined)
    result.findings = cap_per_file(result.findings)  # last: a baseline records every finding, a report lists the first
    return result

"""Before anything runs: find the runbook (a path, or an id under ``runbooks/``), and refuse it
when it is invalid, or when lint finds errors and ``--force`` was not given.

It calls the same :func:`validator.pipeline.run` as ``validate_runbook``, so the runner
refuses exactly what CI would reject, and prints the findings the same located way.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from validator import pipeline
from validator.findings import ConfigError, Finding, Severity
from validator.model import Runbook

CORE_PREFIXES = ("Y", "F", "R")  # loader, format and reference findings: the runbook cannot be trusted to run


class Refused(Exception):
    """The runbook must not run; ``findings`` say why."""

    def __init__(self, message: str, findings: list[Finding]) -> None:
        super().__init__(message)
        self.findings = findings


@dataclass
class Loaded:
    runbook: Runbook
    warnings: list[Finding]


def _is_path(target: str) -> bool:
    return os.sep in target or target.endswith((".yaml", ".yml")) or Path(target).is_file()


def load(target: str, search: Path | None, force: bool) -> Loaded:
    if _is_path(target):
        path = Path(target)
        if not path.is_file():
            raise ConfigError(f"{target}: no such runbook file")
        # its whole folder, so a policy named by id and related runbooks beside it resolve as in CI
        result = pipeline.run([path.parent], pipeline.Options())
        runbook = result.repository.runbook(str(path))
    else:
        folder = search or Path("runbooks")
        if not folder.exists():
            raise ConfigError(f"{folder}: no such folder (pass the runbook's path, or --path FOLDER)")
        result = pipeline.run([folder], pipeline.Options())
        runbook = result.repository.runbook(target)
        if runbook is None:
            errors = [f for f in result.findings if f.severity is Severity.ERROR and f.rule.startswith(CORE_PREFIXES)]
            if errors:
                raise Refused(f"no valid runbook '{target}' under {folder}; these files have errors:", errors)
            known = ", ".join(sorted(rb.id for rb in result.repository.runbooks)) or "none"
            raise ConfigError(f"no runbook '{target}' under {folder} (runbooks: {known})")
    if runbook is None:
        shown = os.path.abspath(target)
        mine = [f for f in result.findings if f.severity is Severity.ERROR and os.path.abspath(f.path) == shown]
        raise Refused(f"{target} is not a valid runbook:", mine)
    files = {runbook.source.path}
    if runbook.policy is not None:
        files.add(runbook.policy.source.path)
    mine = [f for f in result.findings if f.path in files]
    errors = [f for f in mine if f.severity is Severity.ERROR]
    core = [f for f in errors if f.rule.startswith(CORE_PREFIXES)]
    if core:
        raise Refused(f"{runbook.source.path} is not a valid runbook:", core)
    if errors and not force:
        raise Refused(f"{runbook.source.path} has lint errors (pass --force to run it anyway):", errors)
    return Loaded(runbook, [f for f in mine if f not in core])


def format_finding(f: Finding) -> str:
    where = f"{f.path}:{f.line}:{f.col}" if f.line else f.path
    hint = f" ({f.hint})" if f.hint else ""
    return f"{where}: {f.severity.value} {f.rule} {f.message}{hint}"

"""Before anything runs: find the runbook (a path, or an id under the nearest ``runbooks/`` folder
at or above the working directory), and refuse it when it is invalid, or when lint finds errors
that make this run unsafe (:mod:`validator.runner.gate`) and ``--force`` was not given.

It calls the same :func:`validator.pipeline.run` as ``validate_runbook``, so the runner sees
exactly what CI sees, and prints the findings the same located way.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path

from validator import pipeline
from validator.discovery import runbooks_folder
from validator.findings import ConfigError, Finding, Severity
from validator.logsafe import defuse, one_line
from validator.model import Runbook
from validator.runner import gate

CORE_PREFIXES = ("Y", "F", "R")  # loader, format and reference findings: the runbook cannot be trusted to run


class Refused(Exception):
    """The runbook must not run; ``findings`` say why."""

    def __init__(self, message: str, findings: list[Finding]) -> None:
        super().__init__(message)
        self.findings = findings


@dataclass
class Loaded:
    runbook: Runbook
    shown: list[Finding]  # findings that do not stop this run: the banner
    unsafe: list[Finding] = field(default_factory=list)  # errors that stop a real run: shown in a dry run or with --force
    library: dict[str, Runbook] = field(default_factory=dict)  # the runbooks loaded beside it, for `runbook:` steps


def _is_path(target: str) -> bool:
    return os.sep in target or target.endswith((".yaml", ".yml")) or Path(target).is_file()


def folder_for_ids(search: Path | None) -> Path:
    """Where runbook ids are looked up: ``--path``, else the nearest ``runbooks/`` folder upwards."""
    if search is not None:
        if not search.exists():
            raise ConfigError(f"{search}: no such folder")
        return search
    found = runbooks_folder(Path.cwd())
    if found is None:
        raise ConfigError(f"no runbooks/ folder in {Path.cwd()} or above it up to the repository root "
                          "(give the runbook's file, or --path FOLDER)")
    return found


def suggest(target: str, ids: list[str]) -> str:
    """``did you mean …?`` for a mistyped id (close spellings, or ids that contain what was typed)."""
    close = difflib.get_close_matches(target, ids, n=3, cutoff=0.6)
    close += [i for i in ids if target and target.lower() in i.lower() and i not in close][: 3 - len(close)]
    return f"; did you mean {' or '.join(close)}?" if close else ""


# Checked against the configuration's or the policy's inventory: with --inventory the run uses
# another one, and the runner resolves each step's hosts in that one (a pattern naming none fails the step).
OTHER_INVENTORY = {"S430"}


def load(target: str, search: Path | None, force: bool, dry_run: bool = False, severity: str | None = None,
         own_inventory: bool = False) -> Loaded:
    """The runbook to run, with what lint says of it.  ``own_inventory``: the responder named the
    inventory (``--inventory``), so findings about the configured one do not refuse the run."""
    if _is_path(target):
        path = Path(target)
        if not path.is_file():
            raise ConfigError(f"{target}: no such runbook file")
        # its whole folder, so a policy named by id and related runbooks beside it resolve as in CI
        result = pipeline.run([path.parent], pipeline.Options())
        runbook = result.repository.runbook(str(path))
    else:
        folder = folder_for_ids(search)
        result = pipeline.run([folder], pipeline.Options())
        runbook = result.repository.runbook(target)
        if runbook is None:
            ids = sorted(rb.id for rb in result.repository.runbooks)
            hint = suggest(target, ids)
            if hint:
                raise ConfigError(f"no runbook '{target}' under {folder}{hint} (`runbook list` shows them all)")
            errors = [f for f in result.findings if f.severity is Severity.ERROR and f.rule.startswith(CORE_PREFIXES)]
            if errors:
                raise Refused(f"no valid runbook '{target}' under {folder}; these files have errors:", errors)
            raise ConfigError(f"no runbook '{target}' under {folder} (runbooks: {', '.join(ids) or 'none'}; "
                              "`runbook list` shows them with titles)")
    if runbook is None:
        shown = os.path.abspath(target)
        mine = [f for f in result.findings if f.severity is Severity.ERROR and os.path.abspath(f.path) == shown]
        raise Refused(f"{target} is not a valid runbook:", mine)
    files = {runbook.source.path}
    if runbook.policy is not None:
        files.add(runbook.policy.source.path)
    mine = [f for f in result.findings if f.path in files]
    core = [f for f in mine if f.severity is Severity.ERROR and f.rule.startswith(CORE_PREFIXES)]
    if core:
        raise Refused(f"{runbook.source.path} is not a valid runbook:", core)
    unsafe, rest = gate.split(runbook, mine, severity or runbook.severity)
    if own_inventory:
        rest += [f for f in unsafe if f.rule in OTHER_INVENTORY]
        unsafe = [f for f in unsafe if f.rule not in OTHER_INVENTORY]
    if unsafe and not force and not dry_run:
        raise Refused(f"{runbook.source.path}: {len(unsafe)} lint error(s) make this run unsafe "
                      "(pass --force to run it anyway; --dry-run shows it):", unsafe)
    return Loaded(runbook, rest, unsafe, {rb.id: rb for rb in result.repository.runbooks})


def banner(loaded: Loaded, dry_run: bool, limit: int = 5) -> list[str]:
    """What the responder is told, before anything runs, about the findings that did not stop the run."""
    lines: list[str] = []
    if loaded.unsafe:
        lines.append(f"A real run would be refused for {len(loaded.unsafe)} lint error(s) (--force overrides):" if dry_run
                     else f"Running despite {len(loaded.unsafe)} lint error(s) that make this run unsafe (--force):")
        lines += ["  " + format_finding(f) for f in loaded.unsafe]
    if not loaded.shown:
        return lines
    errors = sum(1 for f in loaded.shown if f.severity is Severity.ERROR)
    counts = f"{errors} error(s), {len(loaded.shown) - errors} other finding(s)" if errors else f"{len(loaded.shown)} finding(s)"
    why = "a real run checks them" if dry_run else "they do not stop this run"
    lines.append(f"Lint: {counts} for this runbook and its policy ({why}):")
    lines += ["  " + format_finding(f) for f in sorted(loaded.shown, key=lambda f: f.severity.rank)[:limit]]
    if len(loaded.shown) > limit:
        lines.append(f"  ... and {len(loaded.shown) - limit} more: validate_runbook {loaded.runbook.source.path}")
    return lines


def format_finding(f: Finding) -> str:
    """One line per finding, whatever its message quotes (see :mod:`validator.logsafe`)."""
    where = f"{f.path}:{f.line}:{f.col}" if f.line else f.path
    hint = f" ({f.hint})" if f.hint else ""
    return defuse(one_line(f"{where}: {f.severity.value} {f.rule} {f.message}{hint}"))

"""Shared helpers for lint rule tests, in the spirit of yamllint's ``RuleTestCase.check``.

``lint_check(RUNBOOK, [("C101", 4, 12)], select="C1")`` writes the YAML to real files in a
fresh repository (a ``pyproject.toml`` marks the root, the standard policy sits beside the
runbook), runs the real pipeline and asserts that exactly those findings come out: every
core finding (Y/F/R, so a broken fixture fails loudly) plus the lint findings whose id
starts with ``select``.
"""

from __future__ import annotations

import os
import textwrap
import tomllib
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Protocol

import pytest

from validator import pipeline
from validator.findings import Finding

CORE_PREFIXES = ("Y", "F", "R")
TODAY = date(2026, 6, 1)

STANDARD_POLICY = """\
version: 1
kind: policy
id: standard
title: Standard test policy
severities:
  - id: SEV1
    name: Critical
    respond: 5m
    resolve: 1h
    update_every: 30m
    escalate_after: 15m
    page: [incident-commander]
    notify: [ops-team]
  - id: SEV2
    name: High
    respond: 15m
    resolve: 4h
    update_every: 1h
    page: [ana]
  - id: SEV3
    name: Medium
    respond: 1h
    resolve: 1d
  - id: SEV4
    name: Low
    respond: 4h
    resolve: 5d
contacts:
  - id: ana
    name: Ana Lima
    phone: "+44 20 7946 0958"
    email: ana.lima@acme-payments.io
    chat: "@ana"
    backup: bo
  - id: bo
    name: Bo Chen
    phone: "+1 415 555 2671"
    email: bo.chen@acme-payments.io
    backup: ops-team
  - id: ops-team
    name: Operations on-call
    type: team
    pager: pagerduty:P7Q2L9K
    chat: "#ops-incidents"
roles:
  - id: incident-commander
    name: Incident commander
    primary: ana
    secondary: bo
escalation:
  - after: 5m
    notify: [incident-commander]
  - after: 30m
    notify: [ops-team]
templates:
  - id: status-update
    body: "{{title}} is {{status}}; next update in {{next_update}}."
"""

STANDARD_RUNBOOK = """\
version: 1
kind: runbook
id: disk-full
title: Disk full on a database host
service: orders-db
owner: incident-commander
severity: SEV2
steps:
  - id: check
    title: See how full the disk is
    run: df -h /var/lib/postgresql
    timeout: 30s
verify:
  - id: confirm
    run: test "$(df --output=pcent / | tail -1 | tr -dc 0-9)" -lt 90
"""

Expected = tuple[str, int, int] | tuple[str, str, int, int]


class LintCheck(Protocol):
    def __call__(self, runbook: str | Mapping[str, str] | None, expected: Iterable[Expected], *,
                 select: str | tuple[str, ...], policy: str | None = STANDARD_POLICY,
                 files: Mapping[str, str | bytes] | None = None, config: str | None = None,
                 today: date = TODAY) -> list[Finding]: ...


FICTIONAL = """
[[tool.runbook.per_path]]
paths = ["**"]
disable = ["C115"]
reason = "test fixture: every person, number and address is invented"
"""


def write_repo(root: Path, runbook: str | Mapping[str, str] | None, policy: str | None = STANDARD_POLICY,
               files: Mapping[str, str | bytes] | None = None, config: str | None = None) -> Path:
    """A throwaway runbook repository on disk; ``config`` is the body of ``[tool.runbook]``.  The
    repository says its contacts are fictional (the fixtures' numbers are drama numbers) unless
    ``config`` sets its own ``per_path`` or is not valid TOML (a test of the error message), or a
    ``.runbook.yaml`` is to be read instead."""
    tool = f"\n[tool.runbook]\n{textwrap.dedent(config)}" if config else ""
    try:
        if "per_path" not in tool and ".runbook.yaml" not in (files or {}):
            tomllib.loads(tool + FICTIONAL)
            tool += FICTIONAL
    except tomllib.TOMLDecodeError:
        pass
    (root / "pyproject.toml").write_text(f'[project]\nname = "fixture"\n{tool}', encoding="utf-8")
    documents: dict[str, str | bytes] = {}
    if policy is not None:
        documents["policy.yaml"] = textwrap.dedent(policy)
    if isinstance(runbook, str):
        documents["runbook.yaml"] = textwrap.dedent(runbook)
    elif runbook is not None:
        documents.update({name: textwrap.dedent(text) for name, text in runbook.items()})
    documents.update(files or {})
    for name, content in documents.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return root


def lint_repo(root: Path, today: date = TODAY, **options: object) -> list[Finding]:
    """Findings of the real pipeline on ``root``, run from inside it so paths are relative."""
    here = os.getcwd()
    os.chdir(root)
    try:
        result = pipeline.run([Path(".")], pipeline.Options(today=today, **options))  # type: ignore[arg-type]
    finally:
        os.chdir(here)
    return result.findings


def selected(findings: Iterable[Finding], select: str | tuple[str, ...]) -> list[Finding]:
    prefixes = (select,) if isinstance(select, str) else select
    return [f for f in findings if f.rule.startswith(CORE_PREFIXES + tuple(prefixes))]


def _as_tuples(findings: Iterable[Finding], with_path: bool) -> list[tuple[object, ...]]:
    if with_path:
        return sorted((f.path, f.rule, f.line, f.col) for f in findings)
    return sorted((f.rule, f.line, f.col) for f in findings)


@pytest.fixture
def lint_check(tmp_path: Path) -> LintCheck:
    """Assert that linting the given YAML yields exactly ``expected``; returns those findings.

    ``expected`` holds ``(rule, line, col)`` or, to name the file, ``(path, rule, line, col)``
    with the path relative to the repository (``runbook.yaml``, ``policy.yaml``).
    """

    def check(runbook: str | Mapping[str, str] | None, expected: Iterable[Expected], *,
              select: str | tuple[str, ...], policy: str | None = STANDARD_POLICY,
              files: Mapping[str, str | bytes] | None = None, config: str | None = None,
              today: date = TODAY) -> list[Finding]:
        write_repo(tmp_path, runbook, policy, files, config)
        found = selected(lint_repo(tmp_path, today), select)
        wanted = list(expected)
        with_path = any(len(e) == 4 for e in wanted)
        actual = _as_tuples(found, with_path)
        shown = "\n".join(f"{f.path}:{f.line}:{f.col}: {f.rule} {f.message}" for f in found) or "(none)"
        assert actual == sorted(wanted), f"findings were:\n{shown}"
        return found

    return check

"""Fixture cases for the scripts, steps, secrets and freshness rule tests, and their goldens.

A case is a folder under ``tests/rules/fixtures/FAMILY/``; it is copied with the family's
``policy.yaml`` (a case may bring its own) into a fresh repository root, linted for real
from inside that root (so paths in the output are short and stable), and its text output
for one rule is compared with ``tests/rules/golden/RULE.txt``.  ``UPDATE_GOLDEN=1``
rewrites the golden files instead of comparing.
"""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

from tests.rules.conftest import FICTIONAL
from validator import pipeline
from validator.findings import Finding
from validator.reporters import REPORTERS, Report

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
GOLDEN = HERE / "golden"
TODAY = date(2026, 6, 1)
CORE = ("Y", "F", "R")


def copy_case(family: str, case: str, dest: Path) -> Path:
    """A repository root under ``dest`` holding the case's files and the family policy."""
    root = dest / "repo"
    shutil.copytree(FIXTURES / family / case, root, symlinks=True)
    if not (root / "policy.yaml").exists() and (FIXTURES / family / "policy.yaml").exists():
        shutil.copy(FIXTURES / family / "policy.yaml", root / "policy.yaml")
    fictional = "" if case.startswith("C115") else FICTIONAL
    (root / "pyproject.toml").write_text(f'[project]\nname = "fixture"\n{fictional}', encoding="utf-8")
    return root


def run_in(root: Path, shellcheck: bool = False) -> pipeline.Result:
    """The real pipeline on ``root``, run from inside it, with today pinned."""
    here = os.getcwd()
    os.chdir(root)
    try:
        return pipeline.run([Path(".")], pipeline.Options(today=TODAY, shellcheck=shellcheck))
    finally:
        os.chdir(here)


def only(result: pipeline.Result, rule: str) -> list[Finding]:
    """Findings of ``rule``, plus any core finding (a broken fixture must fail loudly)."""
    return [f for f in result.findings if f.rule == rule or f.rule.startswith(CORE)]


def text(result: pipeline.Result, findings: list[Finding]) -> str:
    """The text report, rendered from the repository root so that files outside the YAML
    (a shell script ShellCheck spoke about) show their source lines as they do on the CLI."""
    here = os.getcwd()
    os.chdir(result.repository.root)
    try:
        return REPORTERS["text"](Report(findings, len(result.repository.files), result.line_of))
    finally:
        os.chdir(here)


def check_golden(rule: str, result: pipeline.Result) -> list[Finding]:
    """Compare the text output for ``rule`` with its golden file; returns the findings."""
    found = only(result, rule)
    shown = text(result, found)
    golden = GOLDEN / f"{rule}.txt"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_text(shown, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden.name}: run with UPDATE_GOLDEN=1"
    assert shown == golden.read_text(encoding="utf-8")
    return found


def rules_of(result: pipeline.Result) -> list[str]:
    return sorted({f.rule for f in result.findings})

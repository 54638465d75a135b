"""The lint engine end to end: the standard fixtures are clean, findings carry lint metadata."""

from __future__ import annotations

from pathlib import Path

from tests.rules.conftest import STANDARD_RUNBOOK, LintCheck, lint_repo, write_repo


def test_standard_policy_and_runbook_are_clean(tmp_path: Path) -> None:
    write_repo(tmp_path, STANDARD_RUNBOOK)
    assert [(f.rule, f.line, f.message) for f in lint_repo(tmp_path)] == []


def test_lint_check_reports_core_findings(lint_check: LintCheck) -> None:
    broken = STANDARD_RUNBOOK.replace("owner: incident-commander", "owner: nobody-here")
    found = lint_check(broken, [("R002", 6, 8)], select="C1")
    assert "nobody-here" in found[0].message

"""The lint engine end to end: the standard fixtures are clean, findings carry lint metadata."""

from __future__ import annotations

from pathlib import Path

from tests.rules.conftest import STANDARD_POLICY, STANDARD_RUNBOOK, LintCheck, lint_repo, write_repo

REVIEW = 'review:\n  last_reviewed: "2026-05-01"\n  every: 90d\n'
OWNED_POLICY = STANDARD_POLICY.replace("title: Standard test policy\n", "title: Standard test policy\nowner: ops-team\n" + REVIEW)
REVIEWED_RUNBOOK = STANDARD_RUNBOOK.replace("severity: SEV2\n", "severity: SEV2\n" + REVIEW)


def test_standard_policy_and_runbook_are_clean(tmp_path: Path) -> None:
    """With an owner and review dates added, the standard fixtures pass every rule of every family."""
    write_repo(tmp_path, REVIEWED_RUNBOOK, OWNED_POLICY)
    assert [(f.rule, f.line, f.message) for f in lint_repo(tmp_path)] == []


def test_lint_check_reports_core_findings(lint_check: LintCheck) -> None:
    broken = STANDARD_RUNBOOK.replace("owner: incident-commander", "owner: nobody-here")
    found = lint_check(broken, [("R002", 6, 8)], select="C1", policy=OWNED_POLICY)
    assert "nobody-here" in found[0].message

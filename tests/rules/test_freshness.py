"""Freshness rules (D6xx) on real fixture files, with today pinned to 2026-06-01."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.rules.case_helpers import CORE, check_golden, copy_case, run_in
from tests.rules.conftest import STANDARD_POLICY, LintCheck

RULES = ["D601", "D602", "D603", "D604"]

# The standard policy, reviewed recently, so that only the runbook's review is in question.
POLICY = STANDARD_POLICY.replace("title: Standard test policy\n",
                                 "title: Standard test policy\nreview:\n  last_reviewed: 2026-05-20\n  every: 180d\n")

RUNBOOK = """\
version: 1
kind: runbook
id: cache-flush
title: Flush the edge cache
service: edge
review:
  last_reviewed: {date}
  every: 30d
steps:
  - id: purge
    run: curl -fsS -X POST https://cdn.example.com/purge
"""


@pytest.mark.parametrize("rule", RULES)
def test_failing_fixture_matches_golden(rule: str, tmp_path: Path) -> None:
    found = check_golden(rule, run_in(copy_case("freshness", f"{rule}-bad", tmp_path)))
    assert [f.rule for f in found] == [rule]


@pytest.mark.parametrize("rule", RULES)
def test_passing_fixture_is_clean(rule: str, tmp_path: Path) -> None:
    result = run_in(copy_case("freshness", f"{rule}-good", tmp_path))
    assert [(f.rule, f.message) for f in result.findings if f.rule.startswith(("D", *CORE))] == []


def test_overdue_counts_from_the_pinned_date(lint_check: LintCheck) -> None:
    # 2026-05-01 + 30d = 2026-05-31, one day before the pinned today
    found = lint_check(RUNBOOK.format(date="2026-05-01"), [("D601", 7, 18)], select="D60", policy=POLICY)
    assert "due on 2026-05-31 (1 day ago" in found[0].message


def test_due_today_is_not_overdue(lint_check: LintCheck) -> None:
    lint_check(RUNBOOK.format(date="2026-05-02"), [], select="D60", policy=POLICY)


def test_policy_review_is_checked_too(lint_check: LintCheck) -> None:
    lint_check(RUNBOOK.format(date="2026-05-20"), [("policy.yaml", "D601", 6, 18)], select="D60",
               policy=POLICY.replace("2026-05-20", "2025-01-10"))


UNREVIEWED = RUNBOOK.replace("review:\n  last_reviewed: {date}\n  every: 30d\n", "")


def test_a_policy_is_reported_when_nothing_that_uses_it_is_reviewed(lint_check: LintCheck) -> None:
    found = lint_check(UNREVIEWED, [("policy.yaml", "D602", 3, 1), ("runbook.yaml", "D602", 3, 1)], select="D60")
    assert found[0].message == "policy 'standard' has no review: block, and none of its 1 runbook has one either"


def test_a_policy_is_reviewed_through_its_reviewed_runbooks(lint_check: LintCheck) -> None:
    lint_check(RUNBOOK.format(date="2026-05-20"), [], select="D60")
    lint_check(None, [], select="D60")  # a policy alone governs nothing yet


def test_cli_today_option_pins_the_date(tmp_path: Path) -> None:
    root = copy_case("freshness", "D601-good", tmp_path)
    cmd = [sys.executable, "-m", "validator", "validate", "--format", "json"]
    later = subprocess.run([*cmd, "--today", "2027-01-01", "."], cwd=root, capture_output=True, text=True, check=False)
    now = subprocess.run([*cmd, "--today", "2026-06-01", "."], cwd=root, capture_output=True, text=True, check=False)
    assert '"D601"' in later.stdout
    assert '"D601"' not in now.stdout

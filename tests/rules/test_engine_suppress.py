"""Inline suppressions: ``# runbook: ignore[ID] reason: ...`` on the line or the line above."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.rules.case_helpers import CORE, check_golden, copy_case, run_in
from tests.rules.conftest import STANDARD_POLICY, LintCheck

RULES = ["L001", "L002", "L003"]
POLICY = STANDARD_POLICY.replace("title: Standard test policy\n", "title: Standard test policy\nowner: ops-team\n")
PAGER = "    pager: pagerduty:P7Q2L9K\n"  # line 44 of POLICY


@pytest.mark.parametrize("rule", RULES)
def test_failing_fixture_matches_golden(rule: str, tmp_path: Path) -> None:
    found = check_golden(rule, run_in(copy_case("suppress", f"{rule}-bad", tmp_path)))
    assert found
    assert {f.rule for f in found} == {rule}


@pytest.mark.parametrize("rule", RULES)
def test_passing_fixture_is_clean(rule: str, tmp_path: Path) -> None:
    result = run_in(copy_case("suppress", f"{rule}-good", tmp_path))
    assert [(f.rule, f.line, f.message) for f in result.findings if f.rule.startswith(("C", "L", *CORE))] == []


def test_unsuppressed_placeholder_is_reported(lint_check: LintCheck) -> None:
    lint_check(None, [("C101", 44, 23)], select=("C1", "L0"), policy=POLICY.replace(PAGER, "    pager: pagerduty:PXXXXXX\n"))


def test_suppression_on_the_same_line(lint_check: LintCheck) -> None:
    line = "    pager: pagerduty:PXXXXXX  # runbook: ignore[C101] reason: vendor's literal rota id\n"
    lint_check(None, [], select=("C1", "L0"), policy=POLICY.replace(PAGER, line))


def test_suppression_on_the_line_above_skips_blank_and_comment_lines(lint_check: LintCheck) -> None:
    lines = ("    # runbook: ignore[C101, C110] reason: vendor's literal rota id\n\n"
             "    # (kept for the audit)\n    pager: pagerduty:PXXXXXX\n")
    found = lint_check(None, [("L002", 44, 5)], select=("C1", "L0"), policy=POLICY.replace(PAGER, lines))
    assert found[0].message == "suppression of C110 matches no finding on line 47"


def test_suppression_silences_only_the_named_rule(lint_check: LintCheck) -> None:
    shared = '    phone: "+44 20 7946 0958"  # runbook: ignore[C101] reason: shared\n'
    policy = POLICY.replace('    phone: "+1 415 555 2671"\n', shared)
    found = lint_check(None, [("C112", 38, 12), ("L002", 38, 32)], select=("C1", "L0"), policy=policy)
    assert found[0].rule == "C112"


def test_suppression_of_a_disabled_rule_is_not_unused(lint_check: LintCheck) -> None:
    line = "    chat: \"#ops-incidents\"  # runbook: ignore[C111] reason: kept while the rule is off\n"
    policy = POLICY.replace('    chat: "#ops-incidents"\n', line)
    lint_check(None, [], select=("C1", "L0"), policy=policy, config='disable = ["C111"]\n')


def test_core_findings_cannot_be_suppressed(lint_check: LintCheck) -> None:
    policy = POLICY.replace("    backup: bo\n", "    backup: bob  # runbook: ignore[R002] reason: bob joins next week\n")
    found = lint_check(None, [("R002", 35, 13), ("L003", 35, 18)], select=("C1", "L0"), policy=policy)
    assert "cannot be suppressed" in found[1].message


def test_suppression_works_in_runbooks_through_the_cli(tmp_path: Path) -> None:
    from tests.rules.conftest import STANDARD_RUNBOOK, write_repo

    runbook = STANDARD_RUNBOOK.replace("owner: incident-commander\n", "")
    write_repo(tmp_path, runbook, POLICY, config='disable = ["D602"]\n')
    cmd = [sys.executable, "-m", "validator", "validate", "--strict", "--today", "2026-06-01", "."]
    before = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert "runbook 'disk-full' has no owner [C109]" in before.stdout
    assert before.returncode == 1
    (tmp_path / "runbook.yaml").write_text(runbook.replace(
        "id: disk-full\n", "# runbook: ignore[C109] reason: owner is being decided in OPS-123\nid: disk-full\n"))
    after = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert "C109" not in after.stdout
    assert after.returncode == 0, after.stdout

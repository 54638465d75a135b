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


BLOCK_RUNBOOK = """\
version: 1
kind: runbook
id: disk-full
title: Disk full on a database host
service: orders-db
owner: incident-commander
severity: SEV2
steps:
  - id: clean
    title: Clean the cache
    risk: mutating
    undo: systemctl start app
    run: |
      df -h /
      # runbook: ignore[S405] reason: the cache is rebuilt when the service starts
      rm -rf /var/cache/app
      tail -f /var/log/app.log  # runbook: ignore[S413] reason: the responder stops it once the first line shows
      tail -f /var/log/other.log
    timeout: 30s
verify:
  - id: confirm
    run: df -h /
"""


def test_suppression_names_one_line_inside_a_run_block(lint_check: LintCheck) -> None:
    lint_check(BLOCK_RUNBOOK, [("S413", 18, 7)], select=("S405", "S413", "L0"))
    lint_check(BLOCK_RUNBOOK.replace("      # runbook: ignore[S405]", "      # runbook: ignore[S413]"),
               [("S405", 16, 7), ("S413", 18, 7), ("L002", 15, 7)], select=("S405", "S413", "L0"))


def test_suppression_above_a_run_block_covers_the_block(lint_check: LintCheck) -> None:
    above = "    # runbook: ignore[S405] reason: both caches are rebuilt on start\n"
    runbook = BLOCK_RUNBOOK.replace("    run: |\n", above + "    run: |\n")
    inside = "      # runbook: ignore[S405] reason: the cache is rebuilt when the service starts\n"
    runbook = runbook.replace(inside, "      true\n")
    runbook = runbook.replace("  # runbook: ignore[S413] reason: the responder stops it once the first line shows", "")
    lint_check(runbook, [("S413", 18, 7), ("S413", 19, 7)], select=("S405", "S413", "L0"))
    lint_check(runbook.replace("ignore[S405]", "ignore[S405, S413]"), [], select=("S405", "S413", "L0"))

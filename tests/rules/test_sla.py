"""SLA rules (T2xx) on real fixture files, and edge cases through ``lint_check``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.case_helpers import CORE, FIXTURES, check_golden, copy_case, run_in
from tests.rules.conftest import STANDARD_POLICY, STANDARD_RUNBOOK, LintCheck

RULES = sorted(p.name.removesuffix("-bad") for p in (FIXTURES / "sla").glob("T2*-bad"))


def test_every_sla_rule_has_fixtures() -> None:
    from validator.rules import registry

    assert sorted(r.info.id for r in registry.rules() if r.info.id.startswith("T2")) == RULES
    assert all((FIXTURES / "sla" / f"{rule}-good").is_dir() for rule in RULES)


@pytest.mark.parametrize("rule", RULES)
def test_failing_fixture_matches_golden(rule: str, tmp_path: Path) -> None:
    found = check_golden(rule, run_in(copy_case("sla", f"{rule}-bad", tmp_path)))
    assert found
    assert {f.rule for f in found} == {rule}


@pytest.mark.parametrize("rule", RULES)
def test_passing_fixture_is_clean(rule: str, tmp_path: Path) -> None:
    result = run_in(copy_case("sla", f"{rule}-good", tmp_path))
    assert [(f.rule, f.line, f.message) for f in result.findings if f.rule.startswith(("C1", "T2", *CORE))] == []


def test_equal_targets_on_adjacent_levels_are_allowed(lint_check: LintCheck) -> None:
    lint_check(None, [], select="T2", policy=STANDARD_POLICY.replace("respond: 15m", "respond: 5m"))


def test_order_is_checked_against_the_loosest_level_above(lint_check: LintCheck) -> None:
    """SEV4 (30m) is tighter than SEV3 (1h) even though SEV3 itself is in order."""
    found = lint_check(None, [("T201", 26, 14)], select="T2", policy=STANDARD_POLICY.replace("respond: 4h", "respond: 30m"))
    assert found[0].message == "SEV4 (Low) must respond within 30m, but the more severe SEV3 (Medium) allows 1h"


def _runbook(severity: str, steps: str) -> str:
    head = STANDARD_RUNBOOK.split("steps:\n")[0].replace("severity: SEV2", f"severity: {severity}")
    return head + "steps:\n" + steps


def test_worst_case_counts_retries_delays_and_waits_but_not_untimed_manual_steps(lint_check: LintCheck) -> None:
    steps = """\
  - id: restart
    run: systemctl restart orders-db
    timeout: 10m
    retries: 2
    retry_delay: 1m
  - id: look
    manual: Watch the replication dashboard until lag is under 5s.
  - id: settle
    wait: {duration: 20m}
  - id: ask
    manual: Ask the DBA on call whether to fail over.
    timeout: 10m
"""
    # 3 x 10m + 2 x 1m = 32m, + 0 (manual, untimed) = 32m, + 20m = 52m, + 10m = 1h2m > 1h
    found = lint_check(_runbook("SEV1", steps), [("T204", 18, 9)], select="T2")
    assert found[0].message == "steps up to 'ask' can take 1h2m, more than SEV1 (Critical)'s resolve target of 1h"


def test_runbook_without_severity_has_no_targets_to_miss(lint_check: LintCheck) -> None:
    runbook = STANDARD_RUNBOOK.replace("severity: SEV2\n", "").replace("timeout: 30s", "timeout: 9h")
    lint_check(runbook, [], select="T2")


def test_runbook_escalation_is_measured_against_its_own_severity(lint_check: LintCheck) -> None:
    runbook = STANDARD_RUNBOOK + "escalation:\n  - after: 20m\n    notify: [ops-team]\n"
    found = lint_check(runbook, [("T208", 17, 12)], select="T2")
    assert "SEV2 (High) must be answered within 15m" in found[0].message

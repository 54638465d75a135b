"""Steps rules (S4xx) on real fixture files, plus edge cases written inline."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.case_helpers import CORE, check_golden, copy_case, run_in
from tests.rules.conftest import STANDARD_RUNBOOK, LintCheck
from validator import placeholders

RULES = ["S401", "S402", "S403", "S404", "S405", "S406", "S407", "S408", "S409", "S410", "S411", "S412"]


@pytest.mark.parametrize("rule", RULES)
def test_failing_fixture_matches_golden(rule: str, tmp_path: Path) -> None:
    found = check_golden(rule, run_in(copy_case("steps", f"{rule}-bad", tmp_path)))
    assert found and {f.rule for f in found} == {rule}


@pytest.mark.parametrize("rule", RULES)
def test_passing_fixture_is_clean(rule: str, tmp_path: Path) -> None:
    result = run_in(copy_case("steps", f"{rule}-good", tmp_path))
    assert [(f.rule, f.line, f.message) for f in result.findings if f.rule.startswith(("S", *CORE))] == []

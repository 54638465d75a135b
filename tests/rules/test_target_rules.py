"""Targeted steps (S430, S431) on real fixture repositories with real inventory files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.rules.case_helpers import CORE, TODAY, check_golden, copy_case, run_in
from validator import pipeline

RULES = ["S430", "S431"]


@pytest.mark.parametrize("rule", RULES)
def test_failing_fixture_matches_golden(rule: str, tmp_path: Path) -> None:
    found = check_golden(rule, run_in(copy_case("targets", f"{rule}-bad", tmp_path)))
    assert found and {f.rule for f in found} == {rule}


@pytest.mark.parametrize("rule", RULES)
def test_passing_fixture_is_clean(rule: str, tmp_path: Path) -> None:
    result = run_in(copy_case("targets", f"{rule}-good", tmp_path))
    assert [(f.rule, f.line, f.message) for f in result.findings if f.rule.startswith(("S", *CORE))] == []


def test_a_missing_inventory_is_reported_once_per_runbook(tmp_path: Path) -> None:
    result = run_in(copy_case("targets", "S430-missing", tmp_path))
    found = [(f.rule, f.line, f.message) for f in result.findings if f.rule == "S430"]
    assert len(found) == 1 and found[0][1] == 13, found
    assert "inventory/hosts.ini does not exist" in found[0][2] and "the policy's inventory" in found[0][2]


def test_an_inventory_plugin_is_left_to_run_time(tmp_path: Path) -> None:
    """A plugin configuration is YAML without ``kind:``: the runbook is checked, not the inventory folder."""
    root = copy_case("targets", "S430-dynamic", tmp_path)
    here = os.getcwd()
    os.chdir(root)
    try:
        result = pipeline.run([Path("runbook.yaml")], pipeline.Options(today=TODAY))
    finally:
        os.chdir(here)
    assert result.repository.runbooks and result.repository.runbooks[0].policy is not None
    assert [f for f in result.findings if f.rule.startswith(("S430", *CORE))] == []


def test_the_configuration_inventory_wins_over_the_policy(tmp_path: Path) -> None:
    root = copy_case("targets", "S430-good", tmp_path)
    (root / "inventory" / "small.ini").write_text("[workers]\nworker-a.eu.internal\n", encoding="utf-8")
    with (root / "pyproject.toml").open("a", encoding="utf-8") as out:
        out.write('\n[tool.runbook]\ninventory = "inventory/small.ini"\n')
    found = [f for f in run_in(root).findings if f.rule == "S430"]
    assert {f.message.split("'")[1] for f in found} == {"eu-api-only", "by-regex", "lone"}
    assert all("inventory/small.ini (the configuration's inventory setting)" in f.message for f in found)


def test_an_inventory_leading_out_of_the_repository_is_not_read(tmp_path: Path) -> None:
    root = copy_case("targets", "S430-good", tmp_path)
    outside = tmp_path / "elsewhere.ini"
    outside.write_text("[workers]\nw1\n", encoding="utf-8")
    (root / "inventory" / "hosts.ini").unlink()
    (root / "inventory" / "hosts.ini").symlink_to(outside)
    found = [f.message for f in run_in(root).findings if f.rule == "S430"]
    assert len(found) == 1 and "is outside the repository" in found[0]

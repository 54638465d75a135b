"""``runbook test`` on a runbook whose steps run on hosts: drills name the hosts that fail, and
the rollout stops at a failed batch as a real one does (the hosts come from the policy's
inventory, read as lint reads it)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.core.core_helpers import run_script

FLEET = Path(__file__).parents[1] / "runner" / "fixtures" / "fleet"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "fleet"
    shutil.copytree(FLEET, root)
    return root


def drills(root: Path) -> dict[str, dict[str, Any]]:
    ran = run_script("runbook", "test", "runbooks/fleet.yaml", "--format", "json", cwd=root)
    report = json.loads(ran.out)
    return {d["name"]: d for rb in report["runbooks"] for d in rb["drills"]}


def test_named_hosts_fail_and_a_failed_batch_stops_the_rollout(repo: Path) -> None:
    found = drills(repo)
    assert all(d["passed"] for d in found.values()), found
    locked = found["web3's cache is locked"]["path"]
    assert [(v["step"], v["status"]) for v in locked] == [("look", "done"), ("clear", "failed")]
    assert locked[1]["label"] == "failed (failed on web3 of 4 host(s); 1 not run): abort"
    last = found["web4 fails after every batch before it succeeded"]["path"][1]
    assert last["label"] == "failed (failed on web4 of 4 host(s)): abort"


def test_a_drill_expecting_success_reports_the_failed_host(repo: Path) -> None:
    book = repo / "runbooks" / "fleet.yaml"
    text = book.read_text(encoding="utf-8")
    book.write_text(text.replace("expect: {outcome: failed, visits: [look, clear], skips: [cleared-everywhere]}",
                                 "expect: {outcome: resolved}", 1), encoding="utf-8")
    ran = run_script("runbook", "test", "runbooks/fleet.yaml", cwd=repo)
    assert ran.code == 1, ran.both
    assert "FAIL  web3's cache is locked" in ran.out
    assert "expected outcome resolved, the run ended failed after clear (failed (failed on web3 of 4 host(s); 1 not run)" \
           in ran.out


def test_without_an_inventory_the_drill_knows_only_the_hosts_it_names(repo: Path) -> None:
    policy = repo / "runbooks" / "policy.yaml"
    policy.write_text(policy.read_text(encoding="utf-8").replace("inventory: ../inventory/hosts.ini\n", ""),
                      encoding="utf-8")
    found = drills(repo)
    locked = found["web3's cache is locked"]["path"][1]
    assert locked["label"] == "failed (failed on web3 of 1 host(s)): abort"

"""Lint's own inventory reader and pattern matcher (:mod:`validator.inventory`), checked against
Ansible's InventoryManager on real inventory files: the same hosts for every pattern."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader
from core_helpers import HANG_GUARD

from validator import inventory

INVENTORIES = Path(__file__).parents[1] / "fixtures" / "inventories"
PATTERNS = ["all", "*", "web", "prod", "db", "web:&prod", "prod:!db", "web*", "~web0[12].*", "web[0]", "web[1:2]",
            "web[-1]", "nosuch", "stage,db", "!db", "ungrouped", "db:replicas", "d*", "replicas", "w2", "prod:!web[0]",
            "edge", "origin", "origin:!edge-b.cdn.internal", "edge[0]", "*.cdn.internal", "localhost", "all:&nosuch"]


@pytest.mark.parametrize("name", ["shop.ini", "ledger.yaml", "split"])
def test_the_same_hosts_as_ansible_for_every_pattern(name: str) -> None:
    source = INVENTORIES / name
    theirs = InventoryManager(loader=DataLoader(), sources=[str(source)])
    ours = inventory.read(source)
    for pattern in PATTERNS:
        expected = [h.name for h in theirs.get_hosts(pattern)]
        found = inventory.match(ours, pattern)
        assert sorted(found) == sorted(expected), pattern
        assert len(found) == len(set(found)), pattern


def test_ranges_keep_their_padding_and_letters() -> None:
    assert inventory.expand("api-[08:11].eu") == ["api-08.eu", "api-09.eu", "api-10.eu", "api-11.eu"]
    assert inventory.expand("w[1:5:2]") == ["w1", "w3", "w5"]
    assert inventory.expand("st[a:c]-[1:2]") == ["sta-1", "sta-2", "stb-1", "stb-2", "stc-1", "stc-2"]


def test_scripts_and_plugins_are_known_only_at_run_time(tmp_path: Path) -> None:
    script = tmp_path / "ec2.py"
    script.write_text("#!/bin/sh\necho '{}'\n", encoding="utf-8")
    script.chmod(0o755)
    plugin = tmp_path / "aws_ec2.yml"
    plugin.write_text("plugin: amazon.aws.aws_ec2\nregions: [eu-west-1]\n", encoding="utf-8")
    for path in (script, plugin):
        with pytest.raises(inventory.Unreadable) as caught:
            inventory.read(path)
        assert caught.value.dynamic, path
    with pytest.raises(inventory.Unreadable) as missing:
        inventory.read(tmp_path / "nope.ini")
    assert not missing.value.dynamic and "does not exist" in str(missing.value)
    bad = tmp_path / "bad.ini"
    bad.write_text("[web:parents]\nw1\n", encoding="utf-8")
    with pytest.raises(inventory.Unreadable, match=r"bad.ini:1: \[web:parents\] is not a group"):
        inventory.read(bad)


def test_lint_with_an_inventory_never_imports_ansible(tmp_path: Path) -> None:
    """The core reads inventories itself: Ansible is the runner's, never the linter's."""
    cases = Path(__file__).parents[1] / "rules" / "fixtures" / "targets"
    root = tmp_path / "repo"
    shutil.copytree(cases / "S430-bad", root)
    shutil.copy(cases / "policy.yaml", root / "policy.yaml")
    (root / "pyproject.toml").write_text('[project]\nname = "fixture"\n', encoding="utf-8")
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "validator", "validate", "--today", "2026-06-01",
                           "runbook.yaml"], cwd=root, capture_output=True, text=True, timeout=HANG_GUARD, check=False)
    assert "matches no host of the inventory inventory/hosts.ini" in proc.stdout, proc.stdout + proc.stderr[-2000:]
    imported = {line.split("|")[-1].strip().split(".")[0] for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert "validator" in imported and not imported & {"ansible", "ansible_runner"}

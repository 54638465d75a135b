"""No silent pass and no misleading cascade: a wrong path fails the job, and a broken policy is
reported once instead of making every runbook below it look orphaned."""

from __future__ import annotations

from pathlib import Path

import pytest
from core_helpers import POLICY, RUNBOOK, assert_clean_failure, make_repo, rules_at, validate, validate_json

TODAY = ("--today", "2026-11-01")


@pytest.mark.parametrize("layout", [
    {},  # an empty folder
    {"notes.md": "# not a runbook\n"},  # files, none of them YAML
    {".github/workflows/ci.yml": "on: push\n", "site/runbook.yaml": "kind: runbook\n"},  # YAML only where nobody looks
])
def test_folder_without_yaml_fails_and_says_what_was_searched(tmp_path: Path, layout: dict[str, str]) -> None:
    make_repo(tmp_path)
    target = tmp_path / "runbooks-typo"
    target.mkdir()
    for name, text in layout.items():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_text(text, encoding="utf-8")
    for args in (["runbooks-typo"], ["runbooks", "runbooks-typo"], ["--format", "json", "runbooks-typo"]):
        ran = validate(*args, cwd=tmp_path)
        assert_clean_failure(ran, codes=(2,))
        assert ran.out == ""
        assert ran.err == ("error: runbooks-typo: no runbook or policy found: no .yaml or .yml file in it or its "
                           "subfolders (hidden folders and __pycache__, node_modules, site, venv are skipped)\n")
    # the other way round: the same folder with a runbook in it passes
    (target / "db-down.yaml").write_text(RUNBOOK.replace("id: db-down", "id: db-down-2"), encoding="utf-8")
    (target / "policy.yaml").write_text(POLICY, encoding="utf-8")
    ran = validate(*TODAY, "runbooks-typo", cwd=tmp_path)
    assert (ran.code, ran.out, ran.err) == (0, "2 files checked: no problems\n", "")


BROKEN_POLICY = POLICY.replace("respond: 5m", "respond: soon")
# a runbook with its own mistakes, which do not need the policy to be found
SLOPPY = RUNBOOK.replace("    timeout: 30s\n", "    timeout: 30s\n    on_failure: {goto: restart}\n", 1) \
    .replace("owner: on-call", "owner: on-cal")


def _broken_repo(root: Path) -> None:
    make_repo(root, SLOPPY, BROKEN_POLICY)
    for name in ("cache-miss", "queue-full"):
        (root / "runbooks" / f"{name}.yaml").write_text(RUNBOOK.replace("id: db-down", f"id: {name}"), encoding="utf-8")


def test_broken_policy_is_reported_once_and_each_runbook_says_so_once(tmp_path: Path) -> None:
    _broken_repo(tmp_path)
    ran = validate_json(*TODAY, "runbooks", cwd=tmp_path)
    assert_clean_failure(ran, codes=(1,))
    found = [(f["path"], f["rule"], f["line"]) for f in ran.findings()]
    assert found == [
        ("runbooks/cache-miss.yaml", "R006", 1),
        ("runbooks/db-down.yaml", "R006", 1),
        ("runbooks/db-down.yaml", "R007", 14),  # still checked: what does not need the policy
        ("runbooks/policy.yaml", "F003", 6),
        ("runbooks/queue-full.yaml", "R006", 1),
    ]
    r006 = ran.findings()[0]
    assert r006["message"] == ("not checked against its policy: runbooks/policy.yaml has errors, so this runbook's "
                               "severity, owners, contacts and templates are unverified")
    assert "put a policy file" not in ran.out
    # with lint: the runbooks' own lint findings still come, and nothing says the policy is missing
    linted = validate("--format", "json", *TODAY, "runbooks", cwd=tmp_path)
    assert not [f for f in linted.findings() if f["rule"] == "R005"]
    assert [f["rule"] for f in linted.findings() if f["rule"] == "R006"] == ["R006"] * 3


def test_fixed_policy_brings_the_reference_checks_back(tmp_path: Path) -> None:
    _broken_repo(tmp_path)
    (tmp_path / "runbooks" / "policy.yaml").write_text(POLICY, encoding="utf-8")
    ran = validate_json(*TODAY, "runbooks", cwd=tmp_path)
    assert rules_at(ran.findings()) == [("R002", 7, 8), ("R007", 14, 24)]  # the owner typo is now visible


def test_runbook_naming_a_broken_policy_is_told_at_its_policy_key(tmp_path: Path) -> None:
    make_repo(tmp_path, RUNBOOK.replace("owner: on-call", "owner: on-call\npolicy: acme"), BROKEN_POLICY, folder="runbooks/team")
    (tmp_path / "runbooks" / "team" / "policy.yaml").rename(tmp_path / "shared-policy.yaml")
    ran = validate_json(*TODAY, ".", cwd=tmp_path)
    assert [(f["path"], f["rule"], f["line"], f["column"]) for f in ran.findings()] == [
        ("runbooks/team/db-down.yaml", "R006", 8, 9), ("shared-policy.yaml", "F003", 6, 39)]
    assert "shared-policy.yaml has errors" in ran.findings()[0]["message"]

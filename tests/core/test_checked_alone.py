"""A file checked alone gets the verdict it gets when its whole folder is checked.

The pre-commit hook passes only the changed files. Each one is checked against the runbook tree
it belongs to (its other runbooks, its policies), which is read but neither reported on nor
linted, so related runbooks, drills, policies and duplicate ids resolve as they do in CI.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from core_helpers import Ran, run_script, validate

from validator.discovery import tree_of
from validator.repository import load_repository
from validator.rules.base import Context

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "alone"
TODAY = ("--today", "2026-11-01")  # for the fixture; the bundled runbooks are judged as of the suite's day (RUNBOOK_TODAY)
BUNDLED_FOLDERS = ("runbooks", "examples/ledger", "examples/tachi-protocol")  # as the README validates them
BUNDLED = sorted(str(p.relative_to(REPO)) for folder in BUNDLED_FOLDERS for p in (REPO / folder).rglob("*.y*ml"))
FIXTURE_FILES = sorted(str(p.relative_to(FIXTURE)) for p in FIXTURE.rglob("*.yaml"))


def _json(*args: str, cwd: Path) -> tuple[int, list[dict[str, Any]], int]:
    ran = validate("--format", "json", *(TODAY if cwd != REPO else ()), *args, cwd=cwd)
    assert ran.err == "" and ran.code in (0, 1), ran.both
    doc = ran.json()
    return ran.code, doc["findings"], doc["files_checked"]


@functools.cache
def _folder(cwd: Path, folder: str) -> list[dict[str, Any]]:
    return _json(folder, cwd=cwd)[1]


def _places(findings: list[dict[str, Any]], file: str) -> list[tuple[str, int, int, str, str]]:
    """Every place of every finding in ``file``: a finding grouped by cause stands for several."""
    return sorted((place["path"], place["line"], place["column"], f["rule"], f["severity"])
                  for f in findings for place in [f, *f["also"]] if place["path"] == file)


def _assert_same_verdict(cwd: Path, folder: str, file: str) -> list[dict[str, Any]]:
    code, alone, checked = _json(file, cwd=cwd)
    in_folder = _folder(cwd, folder)
    expected = _places(in_folder, file)
    assert _places(alone, file) == expected
    assert {f["path"] for f in alone} <= {file}
    # where a finding is reported at this file in both runs, it says the same thing
    said = {(f["line"], f["column"], f["rule"]): (f["message"], f["hint"]) for f in in_folder if f["path"] == file}
    assert all(said.get((f["line"], f["column"], f["rule"]), (f["message"], f["hint"])) == (f["message"], f["hint"])
               for f in alone)
    assert code == (1 if any(severity == "error" for *_, severity in expected) else 0)
    assert checked == 1
    return alone


def test_every_bundled_file_is_covered() -> None:
    assert len(BUNDLED) >= 15 and "runbooks/high-error-rate.yaml" in BUNDLED and "examples/ledger/policy.yaml" in BUNDLED


@pytest.mark.parametrize("file", BUNDLED)
def test_bundled_file_alone_gets_its_folders_verdict(file: str) -> None:
    folder = next(f for f in BUNDLED_FOLDERS if file.startswith(f + "/"))
    assert _assert_same_verdict(REPO, folder, file) == []  # the bundled runbooks are clean, alone too


def test_bundled_runbook_alone_resolves_related_runbooks_and_drills() -> None:
    # the case that failed: four R008 because the other runbooks were not loaded
    ran = validate("--no-lint", "runbooks/high-error-rate.yaml", cwd=REPO)
    assert (ran.code, ran.out, ran.err) == (0, "1 file checked: no problems\n", "")


@pytest.fixture(scope="module")
def fixture_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("alone") / "repo"
    shutil.copytree(FIXTURE, root)
    return root


@pytest.mark.parametrize("file", FIXTURE_FILES)
def test_fixture_file_alone_gets_the_repository_verdict(fixture_repo: Path, file: str) -> None:
    _assert_same_verdict(fixture_repo, ".", file)
    tree = os.path.relpath(tree_of(fixture_repo / file), fixture_repo)
    _assert_same_verdict(fixture_repo, tree, file)


def test_fixture_has_cross_file_findings_to_compare(fixture_repo: Path) -> None:
    """The comparisons above are only worth something if the files alone do find these."""
    found = {(f["path"], f["rule"]) for f in _folder(fixture_repo, ".")}
    assert {
        ("runbooks/cache-miss.yaml", "R004"), ("runbooks/team/duplicate.yaml", "R004"),  # id shared across folders
        ("runbooks/cache-miss.yaml", "R008"),  # a related runbook nobody wrote
        ("runbooks/payments/ledger-lag.yaml", "F001"),  # fails the schema, still known as a runbook
        ("legacy/policy.yaml", "F003"), ("legacy/old-batch.yaml", "R006"), ("legacy/old-batch.yaml", "R007"),
        ("runbooks/payments/refund-stuck.yaml", "P301"), ("runbooks/payments/refund-stuck.yaml", "C114"),
        ("notes/standalone.yaml", "R008"),
    } <= found
    # references that only resolve with the rest of the tree loaded: none of them is reported
    assert not [f for f in _folder(fixture_repo, ".") if f["rule"] == "R008"
                and re.search(r"'(db-down|refund-stuck|ledger-lag|cache-miss)'", f["message"])]


def test_subfolder_is_checked_against_the_tree_above_it(fixture_repo: Path) -> None:
    code, findings, checked = _json("runbooks/payments", cwd=fixture_repo)
    assert code == 1  # the deliberate problems in the payments folder
    assert checked == 3
    assert {f["path"] for f in findings} <= {"runbooks/payments/policy.yaml", "runbooks/payments/refund-stuck.yaml",
                                             "runbooks/payments/ledger-lag.yaml"}
    assert not [f for f in findings if f["rule"] == "R008"]  # db-down, one folder up, resolves


def test_context_is_loaded_but_not_linted(fixture_repo: Path) -> None:
    here = os.getcwd()
    os.chdir(fixture_repo)
    try:
        repo = load_repository([Path("runbooks/db-down.yaml")])
    finally:
        os.chdir(here)
    assert {rb.id for rb in repo.runbooks} >= {"db-down", "cache-miss", "refund-stuck"}
    assert repo.files == ["runbooks/db-down.yaml"]
    ctx = Context(repo=repo, today=date(2026, 11, 1), root=repo.root)
    assert [rb.id for rb in ctx.runbooks] == ["db-down"]
    assert ctx.policies == [] and list(ctx.sources) == ["runbooks/db-down.yaml"]


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True,
                          env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                               "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"})
    return done.stdout


def _hook(root: Path) -> Ran:
    """What pre-commit does with the shipped hook: the staged files its patterns select, passed to its entry."""
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])
    staged = [n for n in _git(root, "diff", "--cached", "--name-only").splitlines()
              if files.search(n) and not exclude.search(n)]
    assert staged
    return run_script(hook["entry"], *hook.get("args", []), *TODAY, "--format", "json", *staged, cwd=root)


def test_pre_commit_hook_on_changed_files(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE, root)
    (root / ".pre-commit-config.yaml").write_text("repos: []\n", encoding="utf-8")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "start")
    # a clean edit of a runbook whose related runbooks and policy live elsewhere in the tree
    refund = root / "runbooks/payments/refund-stuck.yaml"
    refund.write_text(refund.read_text(encoding="utf-8").replace("title: Tell finance", "title: Tell finance now"),
                      encoding="utf-8")
    (root / ".pre-commit-config.yaml").write_text("repos: []\n# touched\n", encoding="utf-8")
    _git(root, "add", "-A")
    ran = _hook(root)
    file = "runbooks/payments/refund-stuck.yaml"
    assert _places(ran.json()["findings"], file) == _places(_folder(root, "."), file)
    assert ran.json()["files_checked"] == 1
    rules = {f["rule"] for f in ran.json()["findings"]}
    assert {"C114", "P301"} <= rules and not {r for r in rules if r.startswith("R")}  # the deliberate ones, no R008
    # the change that breaks a reference fails the commit, located in the changed file
    _git(root, "commit", "-qm", "edit")
    policy = root / "runbooks/policy.yaml"
    policy.write_text(policy.read_text(encoding="utf-8").replace("runbook: refund-stuck", "runbook: refund-stuk"),
                      encoding="utf-8")
    _git(root, "add", "-A")
    broken = _hook(root)
    assert broken.code == 1
    assert [(f["path"], f["rule"], f["hint"]) for f in broken.json()["findings"] if f["severity"] == "error"] == [
        ("runbooks/policy.yaml", "R008", "did you mean 'refund-stuck'?")]

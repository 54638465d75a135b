"""Symlinks that lead out of the repository are never followed: a runbook or policy file linked to
``/etc/passwd``-like content is reported, not read, and nothing of it reaches any output."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from core_helpers import assert_clean_failure, make_repo, run_script, validate

SECRET_LINE = "root:x:0:0:do-not-print-me:/root:/bin/bash"


def _outside(tmp_path: Path) -> Path:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    target = outside / "passwd"
    target.write_text(SECRET_LINE + "\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n", encoding="utf-8")
    return target


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_a_runbook_linked_outside_the_repository_is_not_read(tmp_path: Path, fmt: str) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    make_repo(repo)
    os.symlink(_outside(tmp_path), repo / "runbooks" / "users.yaml")
    ran = validate("--format", fmt, "--today", "2026-11-01", "runbooks", cwd=repo)
    assert_clean_failure(ran, codes=(1,))
    assert "users.yaml" in ran.out
    assert "a symlink to a file outside the repository" in ran.out
    assert "do-not-print-me" not in ran.both and "root:x" not in ran.both


def test_a_folder_linked_outside_holds_nothing_that_is_read(tmp_path: Path) -> None:
    """A policy reached through a linked folder is refused as well, when validated alone or found above a runbook."""
    repo = tmp_path / "repo"
    repo.mkdir()
    make_repo(repo)
    elsewhere = _outside(tmp_path).parent
    (elsewhere / "policy.yaml").write_text("kind: policy\n" + SECRET_LINE + "\n", encoding="utf-8")
    os.symlink(elsewhere, repo / "runbooks" / "shared")
    ran = validate("--format", "json", "runbooks/shared/policy.yaml", cwd=repo)
    assert_clean_failure(ran, codes=(1,))
    assert [(f["rule"], f["path"]) for f in ran.findings()] == [("Y000", "runbooks/shared/policy.yaml")]
    assert "do-not-print-me" not in ran.both


def test_links_inside_the_repository_are_followed(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    runbook = make_repo(repo)
    (repo / "shared").mkdir()
    runbook.rename(repo / "shared" / "db-down.yaml")
    os.symlink(repo / "shared" / "db-down.yaml", runbook)
    ran = validate("--format", "json", "--no-lint", "runbooks", cwd=repo)
    assert ran.code == 0, ran.both


def test_the_runner_refuses_a_runbook_linked_outside(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    make_repo(repo)
    os.symlink(_outside(tmp_path), repo / "runbooks" / "users.yaml")
    ran = run_script("runbook", "run", "runbooks/users.yaml", "--yes", cwd=repo)
    assert_clean_failure(ran, codes=(1, 2))
    assert "symlink to a file outside the repository" in ran.both
    assert "do-not-print-me" not in ran.both

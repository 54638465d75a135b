"""Incident journals never end up in a commit: a real ``runbook run`` inside a real git checkout,
then what ``git status`` and ``git add -A`` see."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from conftest import RUNBOOKS, Run, journal_files

from validator.runner import journal_folder

GIT = shutil.which("git") or "git"


def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    done = subprocess.run([GIT, "-C", str(repo), *args], capture_output=True, text=True, env=env, timeout=60, check=True)
    return done.stdout


def _aborted_run(work: Path) -> None:
    run = Run(["run", str(RUNBOOKS / "clean.yaml"), "-i", "host=web1", "-i", f"workdir={work}", "-i", "region=us-east-1"], work)
    run.answer("Run it?", "r")
    run.answer("Run it?", "s")
    run.answer("Why skip it?", "testing the journal folder")
    run.answer("When it is done:", "a")
    run.expect("Aborted at look.")
    assert run.finish() == 1


def test_a_run_in_a_checkout_leaves_nothing_for_git_to_add(work: Path) -> None:
    _git(work, "init", "-q")
    (work / "README.md").write_text("the team's repository\n", encoding="utf-8")
    _aborted_run(work)
    assert journal_files(work), "the run wrote its journal"
    assert (work / ".runbook-runs" / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    assert _git(work, "status", "--porcelain", "--untracked-files=all").splitlines() == ["?? README.md"]
    _git(work, "add", "-A")
    assert _git(work, "diff", "--cached", "--name-only").splitlines() == ["README.md"]


def test_an_existing_journal_folder_without_one_gets_it(work: Path) -> None:
    _git(work, "init", "-q")
    old = work / ".runbook-runs"
    old.mkdir()
    (old / "20260101T000000000000Z-clean.jsonl").write_text("{}\n", encoding="utf-8")  # from before the upgrade
    _aborted_run(work)
    assert (old / ".gitignore").is_file()
    assert _git(work, "status", "--porcelain", "--untracked-files=all") == ""


def test_the_gitignore_is_never_written_through_a_symlink(tmp_path: Path) -> None:
    folder = tmp_path / "runs"
    folder.mkdir()
    elsewhere = tmp_path / "elsewhere"
    (folder / ".gitignore").symlink_to(elsewhere)  # dangling: following it would create the target
    journal_folder.prepare(folder)
    assert not elsewhere.exists()
    assert (folder / ".gitignore").is_symlink()


def test_a_folder_holding_other_files_is_left_alone(tmp_path: Path) -> None:
    """``--journal-dir .`` in a checkout: a ``*`` there would hide the team's own files."""
    (tmp_path / "policy.yaml").write_text("kind: policy\n", encoding="utf-8")
    journal_folder.prepare(tmp_path)
    assert not (tmp_path / ".gitignore").exists()
    fresh = tmp_path / "new" / "runs"
    journal_folder.prepare(fresh)
    assert (fresh / ".gitignore").read_bytes() == journal_folder.CONTENT

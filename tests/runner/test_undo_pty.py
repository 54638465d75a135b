"""Undo commands are commands: a destructive undo is confirmed like a destructive step and never
runs unattended; a mutating undo runs under --yes like a mutating step (in a real pty)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.runner.conftest import RUNBOOKS, Run, only_journal

pytestmark = pytest.mark.pty


def test_a_destructive_undo_never_runs_unattended(work: Path) -> None:
    run = Run(["run", str(RUNBOOKS / "undo-policy.yaml"), "--yes", "--ack-manual", "-i", f"workdir={work}"], work)
    run.expect("Undo build-cache (a DESTRUCTIVE undo): $ rm -rf")
    run.expect("Not run: a destructive undo never runs unattended. Run it by hand if it is still needed.")
    assert run.finish() == 1
    assert (work / "cache" / "keep").exists()  # rm -rf did not run
    assert (work / "log").read_text() == "built\nnoted\nunnoted\n"  # the mutating undo did
    _, evts = only_journal(work)
    skipped = [e for e in evts if e["type"] == "skipped" and e.get("undo")]
    assert [(e["step"], e["by"]) for e in skipped] == [("build-cache", "policy")]
    assert evts[-1]["outcome"] == "rollback-incomplete"


def test_a_destructive_undo_asks_for_the_step_id(work: Path) -> None:
    run = Run(["run", str(RUNBOOKS / "undo-policy.yaml"), "-i", f"workdir={work}"], work)
    run.answer("Run it?", "r")
    run.answer("This step asks for confirmation. Run it?", "y")
    run.answer("Run it?", "r")
    run.answer("Run it?", "r")
    run.expect("Undo note: $ echo unnoted >> ")
    run.answer("Undo note?", "u")
    run.expect("Undo build-cache (a DESTRUCTIVE undo): $ rm -rf")
    run.answer("Undo build-cache?", "u")
    run.answer("This undo is DESTRUCTIVE. Type the step id (build-cache) to run it", "build-cache")
    assert run.finish() == 1
    assert not (work / "cache").exists()
    _, evts = only_journal(work)
    confirms = [(e["step"], e["confirmed"]) for e in evts if e["type"] == "confirm" and e.get("undo")]
    assert confirms == [("build-cache", True)]

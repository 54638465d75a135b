"""Backing out, in a real pty: every undo command is shown and confirmed (the step id typed for
a destructive step's undo), a failure that would end the run offers the runbook's rollback, any
prompt can start it, and ``--start-at`` reaches rollback and verification steps."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.runner.conftest import RUNBOOKS, Run, only_journal

pytestmark = pytest.mark.pty

BOOK = str(RUNBOOKS / "backout.yaml")


def test_a_failed_step_offers_the_rollback_and_every_undo_is_confirmed(work: Path) -> None:
    run = Run(["run", BOOK, "-i", f"workdir={work}"], work)
    run.answer("Run it? [r]un  [s]kip  [n]ote  [b]ack out (roll back)  [a]bort", "r")
    run.expect("Step 2/4  drop-table")
    run.answer("Run it?", "r")
    run.answer("Type the step id (drop-table)", "drop-table")
    run.expect("Step 3/4  restore")
    run.answer("Run it?", "r")
    run.expect("FAILED: exit code 3, expected 0")
    run.answer("restore failed; on_failure: abort ends the run here. [b]ack out (roll back)  [a]bort: end the run here", "b")
    run.expect("Rolling back after restore failed.")
    run.expect(f"Undo drop-table (a DESTRUCTIVE step): $ echo recreated >> {work}/log")
    run.answer("Undo drop-table? [u]ndo  [s]kip this undo  [n]ote", "u")
    run.answer("This undoes a DESTRUCTIVE step. Type the step id (drop-table) to run it", "yes")
    run.expect("Not confirmed: the undo did not run.")
    run.answer("Undo drop-table?", "u")
    run.answer("Type the step id (drop-table) to run it", "drop-table")
    run.expect(f"Undo stop-writes: $ echo started >> {work}/log")
    run.answer("Undo stop-writes?", "s")
    run.answer("Why skip it?", "writes stay off until the DBA checks")
    run.expect("Rollback step 1/1  tell-dba")
    run.answer("When it is done: [d]one  [f]ailed  [s]kip  [n]ote  [a]bort", "d")
    run.expect("Rollback INCOMPLETE: the undo of stop-writes was not run.")
    run.expect("Run rollback incomplete.")
    assert run.finish() == 1
    assert (work / "log").read_text() == "stopped\ndropped\nrestore-failed\nrecreated\n"
    _, evts = only_journal(work)
    undone = [(e["step"], e["ok"]) for e in evts if e["type"] == "command" and e.get("undo")]
    assert undone == [("drop-table", True)]
    assert [(e["step"], e["confirmed"]) for e in evts if e["type"] == "confirm" and e.get("undo")] == [
        ("drop-table", False), ("drop-table", True)]
    assert [(e["step"], e["reason"]) for e in evts if e["type"] == "skipped" and e.get("undo")] == [
        ("stop-writes", "writes stay off until the DBA checks")]


def test_the_responder_can_back_out_at_a_prompt(work: Path) -> None:
    run = Run(["run", BOOK, "-i", f"workdir={work}"], work)
    run.answer("Run it?", "r")
    run.expect("Step 2/4  drop-table")
    run.answer("Run it?", "b")
    run.expect("Backing out undoes 1 completed step(s) (stop-writes), each asked first, then runs 1 rollback step(s)")
    run.answer("Roll back now? [y/N]", "n")
    run.answer("Run it?", "b")
    run.answer("Roll back now? [y/N]", "y")
    run.expect("Rolling back at drop-table, as asked.")
    run.answer("Undo stop-writes?", "u")
    run.expect("Rollback step 1/1  tell-dba")
    run.expect("When it is done: [d]one  [f]ailed  [s]kip  [n]ote  [a]bort  [?] help")  # no second rollback on offer
    run.child.sendline("d")
    run.expect("Run rolled back.")
    assert run.finish() == 1
    assert (work / "log").read_text() == "stopped\nstarted\n"


@pytest.mark.parametrize(("step", "card"), [("tell-dba", "Rollback step 1/1  tell-dba"), ("rows", "Step 4/4 [verify]  rows")])
def test_start_at_reaches_rollback_and_verification_steps(work: Path, step: str, card: str) -> None:
    run = Run(["run", BOOK, "-i", f"workdir={work}", "--start-at", step], work)
    run.expect(card)
    run.child.sendline("s" if step == "rows" else "d")
    if step == "rows":
        run.answer("Why skip it?", "checked by hand")
    run.expect("Run completed.")
    assert run.finish() == 0
    _, evts = only_journal(work)
    assert [e["step"] for e in evts if e["type"] == "step_start"] == [step]


def test_a_run_started_at_a_rollback_step_resumes_there(work: Path) -> None:
    run = Run(["run", BOOK, "-i", f"workdir={work}", "--start-at", "tell-dba"], work)
    run.expect("When it is done:")
    run.child.sendcontrol("c")
    assert run.finish() == 130
    journal, _ = only_journal(work)
    resumed = Run(["run", "--resume", str(journal), "--yes", "--ack-manual"], work)
    resumed.expect("Rollback step 1/1  tell-dba")
    resumed.expect("Run completed.")
    assert resumed.finish() == 0

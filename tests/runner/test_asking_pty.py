"""Nothing runs that the responder did not just ask for, driven in a real pty: input typed
before a question appears is discarded, so it cannot answer the next step's prompt."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.runner.conftest import RUNBOOKS, Run, only_journal

pytestmark = pytest.mark.pty


def test_input_typed_while_a_step_runs_does_not_answer_the_next_prompt(work: Path) -> None:
    run = Run(["run", str(RUNBOOKS / "typeahead.yaml"), "-i", f"workdir={work}"], work)
    run.answer("Run it?", "r")
    run.expect("checking")
    run.child.sendline("r")  # typed while slow-check still runs: meant for nothing on screen
    run.expect("Step 2/3  mark")
    run.expect("Run it?")
    run.child.sendline("s")
    run.answer("Why skip it?", "not now")
    run.expect("Step 3/3  pause")
    run.expect("Start waiting?")
    run.child.sendline("w")
    run.expect("(Enter or s to stop waiting)")
    run.child.sendline("")
    run.expect("Run completed.")
    assert run.finish() == 0
    assert not (work / "MARKED").exists()
    _, evts = only_journal(work)
    answers = [(e["step"], e["answer"]) for e in evts if e["type"] == "answer"]
    assert answers == [("slow-check", "run"), ("mark", "skip"), ("pause", "wait")]


def test_enter_typed_before_a_countdown_shows_does_not_cut_it_short(work: Path) -> None:
    run = Run(["run", str(RUNBOOKS / "typeahead.yaml"), "-i", f"workdir={work}", "--start-at", "pause"], work)
    run.expect("Start waiting?")
    run.child.send("w\r\r")  # one write: the second Enter arrives before the countdown is on screen
    run.expect("(Enter or s to stop waiting)")
    run.expect("left")
    run.child.sendcontrol("c")
    assert run.finish() == 130
    _, evts = only_journal(work)
    assert not [e for e in evts if e["type"] == "wait"]


def test_a_script_without_a_declared_risk_counts_as_mutating(work: Path) -> None:
    run = Run(["run", str(RUNBOOKS / "unattended.yaml"), "-i", f"workdir={work}"], work)
    run.expect("Step 1/2  burn")
    run.expect("risk: mutating")
    run.answer("Run it?", "r")
    run.expect("burns=1")
    run.answer("Run it?", "r")  # settled fails and goes back to burn
    run.expect("going to burn (1 of at most 1)")
    run.answer("Run it?", "r")
    run.expect("Warning: burn already ran 1 time(s) and is not idempotent.")
    run.answer("Run it again? [y/N]", "n")
    run.answer("Run it?", "a")
    run.expect("Run aborted.")
    assert run.finish() == 1
    assert (work / "burns").read_text() == "burned\n"
    _, evts = only_journal(work)
    assert next(e for e in evts if e["type"] == "step_start")["risk"] == "mutating"


def test_a_destructive_manual_step_needs_the_typed_id(work: Path) -> None:
    run = Run(["run", str(RUNBOOKS / "manual-destructive.yaml"), "-i", f"workdir={work}"], work)
    run.expect("Step 1/3  wipe-replica")
    run.expect("RISK: DESTRUCTIVE")
    run.answer("Do it now? [g]o ahead  [s]kip  [n]ote  [a]bort", "g")
    run.answer("Type the step id (wipe-replica)", "yes")
    run.expect("Not confirmed")
    run.answer("Do it now?", "g")
    run.answer("Type the step id (wipe-replica)", "wipe-replica")
    run.answer("When it is done:", "d")
    run.expect("Step 2/3  dns")
    run.answer("Do it now?", "g")
    run.answer("This step asks for confirmation. Run it? [y/N]", "y")
    run.answer("When it is done:", "d")
    run.answer("Run it?", "r")
    run.expect("Run completed.")
    assert run.finish() == 0
    _, evts = only_journal(work)
    assert [(e["step"], e["confirmed"]) for e in evts if e["type"] == "confirm"] == [
        ("wipe-replica", False), ("wipe-replica", True), ("dns", True)]
    assert [e["step"] for e in evts if e["type"] == "step_end" and e["outcome"] == "done"] == [
        "wipe-replica", "dns", "recorded"]


def test_ack_manual_does_not_acknowledge_a_destructive_manual_step(work: Path) -> None:
    run = Run(["run", str(RUNBOOKS / "manual-destructive.yaml"), "-i", f"workdir={work}", "--yes", "--ack-manual"], work)
    run.expect("Stopped at wipe-replica: a destructive step is never acknowledged unattended")
    assert run.finish() == 1
    _, evts = only_journal(work)
    assert not [e for e in evts if e["type"] == "answer"]
    assert evts[-1]["outcome"] == "stopped"
    assert not (work / "recorded").exists()

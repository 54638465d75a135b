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

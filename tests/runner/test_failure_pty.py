"""Failure policies and waits in a real pty: roll back (undo in reverse, then the rollback
steps), ask the responder, polls that time out, and a wait cut short."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.runner.conftest import RUNBOOKS, Run, kinds, only_journal

pytestmark = pytest.mark.pty


def test_failed_poll_rolls_back_completed_steps_in_reverse(work: Path) -> None:
    run = Run(["run", str(RUNBOOKS / "rollback.yaml"), "--yes", "-i", f"workdir={work}"], work)
    run.expect("Step 3/4  settle")
    run.expect("Poll 1 of healthy: the standby's ready file ...")
    run.expect("healthy: still failing after 2s and ")
    run.expect("Rolling back after healthy failed.")
    run.expect("Undo flip: $ echo unflipped >> ")
    run.expect("Undo scale-down: $ echo unscaled >> ")
    run.expect("Rollback step 1/1  restore")
    run.expect("Run rolled back.")
    assert run.finish() == 1
    assert (work / "log").read_text() == "scaled\nflipped\nunflipped\nunscaled\nrestored\n"
    _, evts = only_journal(work)
    polls = [e for e in evts if e["type"] == "command" and e["step"] == "healthy"]
    assert polls and not any(e["ok"] for e in polls)
    tail = [k for k in kinds(evts) if not k.startswith(("run:", "exec", "answer"))]
    at = tail.index("rollback:healthy")
    assert tail[at:] == ["rollback:healthy", "command:flip", "command:scale-down",
                         "step_start:restore", "command:restore", "step_end:restore", "rollback:healthy",
                         "step_end:healthy", "end"]
    undo = [(e["step"], e["undo"], e["ok"]) for e in evts if e["type"] == "command" and e["undo"]]
    assert undo == [("flip", True, True), ("scale-down", True, True)]
    assert next(e for e in evts if e["type"] == "wait")["cut_short"] is False
    assert evts[-1]["outcome"] == "rolled-back"


def test_ask_policy_lets_the_responder_retry_then_continue_and_cut_a_wait_short(work: Path) -> None:
    run = Run(["run", str(RUNBOOKS / "ask.yaml"), "-i", f"workdir={work}"], work)
    run.answer("Run it?", "r")
    run.expect("FAILED: exit code 4, expected 0 or 2")
    run.answer("flaky failed. What now? [r]etry  [c]ontinue  [g]oto  [b]ack out (roll back)  [a]bort", "r")
    run.expect("FAILED: exit code 4, expected 0 or 2")
    run.answer("flaky failed. What now?", "c")
    run.expect("Step 2/4  watch")
    run.answer("Start waiting? [w]ait  [s]kip  [a]bort", "w")
    run.expect("(Enter or s to stop waiting)")
    run.child.sendline("")
    run.expect("Step 3/4  tidy")
    run.answer("When it is done:", "d")
    run.answer("[ ] Close the alert - done? [y/N]", "y")
    run.answer("[ ] Tell support - done? [y/N]", "n")
    run.expect("Step 4/4  after")
    run.answer("Run it?", "r")
    run.expect("Run completed.")
    assert run.finish() == 0
    assert (work / "after").exists()
    _, evts = only_journal(work)
    flaky = [(e["attempt"], e["exit_code"], e["output"]) for e in evts if e["type"] == "command" and e["step"] == "flaky"]
    assert flaky == [(1, 4, "ping failed\n"), (1, 4, "ping failed\n")]
    after_failure = [e["answer"] for e in evts if e["type"] == "answer" and e.get("after") == "failure"]
    assert after_failure == ["retry", "continue"]
    wait = next(e for e in evts if e["type"] == "wait")
    assert wait["cut_short"] is True and wait["seconds"] == 600
    assert next(e for e in evts if e["type"] == "checklist")["items"] == [
        {"item": "Close the alert", "done": True}, {"item": "Tell support", "done": False}]
    assert [(e["step"], e["outcome"], e["reason"]) for e in evts if e["type"] == "step_end"] == [
        ("flaky", "failed", "failed; the responder continued"), ("watch", "done", "cut short by the responder"),
        ("tidy", "done", "1 of 2 items done"), ("after", "done", "")]

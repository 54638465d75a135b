"""The record tells the truth: partial rollbacks, failed and undone steps in the timeline, status
updates counted only when a person sent them, "responded" at the responder's first answer, and
redaction that hides the secret rather than the output the step asked for."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.runner.conftest import RUNBOOK, RUNBOOKS, Run, env, kinds, only_journal
from validator.runner.journal import parse_time

pytestmark = pytest.mark.pty


def timeline(journal: Path) -> dict[str, object]:
    done = subprocess.run([RUNBOOK, "timeline", str(journal), "--format", "json"], env=env(), capture_output=True,
                          text=True, timeout=60, check=True)
    loaded: dict[str, object] = json.loads(done.stdout)
    return loaded


def test_a_rollback_with_a_failed_undo_and_a_failed_step_is_reported_incomplete(work: Path) -> None:
    run = Run(["run", str(RUNBOOKS / "partial-rollback.yaml"), "--yes", "-i", f"workdir={work}"], work)
    run.expect("Rolling back after restore failed.")
    run.expect("Rollback INCOMPLETE: the undo of restore (the step that failed) was not run; the undo of freeze failed; "
               "rollback step reopen failed; rollback step(s) announce not run.")
    run.expect("Run rollback incomplete.")
    assert run.finish() == 1
    assert "Rolled back" not in run.screen and "rolled-back" not in run.screen
    assert (work / "log").read_text() == "stopped\nfrozen\nrestore-failed\nstarted\nreopen-failed\n"
    path, evts = only_journal(work)
    assert evts[-1]["outcome"] == "rollback-incomplete"
    end = [e for e in evts if e["type"] == "rollback"][-1]
    assert end["complete"] is False and len(end["gaps"]) == 4
    built = timeline(path)
    assert built["outcome"] == "rollback-incomplete"
    rows = {r["step"]: r["outcome"] for r in built["steps"]}  # type: ignore[union-attr,index]
    assert rows == {"stop-api": "undone", "freeze": "done; undo FAILED", "restore": "failed", "reopen": "failed"}
    texts = [e["text"] for e in built["entries"]]  # type: ignore[union-attr,index]
    assert any(t.startswith("Rollback INCOMPLETE (after `restore` failed): the undo of restore") for t in texts)


def test_a_complete_rollback_marks_rollback_steps_finished_and_undone_steps_undone(work: Path) -> None:
    run = Run(["run", str(RUNBOOKS / "rollback.yaml"), "--yes", "-i", f"workdir={work}"], work)
    run.expect("Rolled back: every undo and rollback step succeeded.")
    run.expect("Run rolled back.")
    assert run.finish() == 1
    path, _ = only_journal(work)
    rows = {r["step"]: r["outcome"] for r in timeline(path)["steps"]}  # type: ignore[union-attr,index]
    assert rows == {"scale-down": "undone", "flip": "undone", "settle": "done", "healthy": "failed", "restore": "done"}


def test_responded_is_the_first_answer_and_an_unattended_run_never_responds(work: Path) -> None:
    run = Run(["run", str(RUNBOOKS / "audit.yaml"), "--yes", "--ack-manual"], work)
    run.expect("Run completed.")
    assert run.finish() == 0
    path, evts = only_journal(work)
    assert "milestone:responded" not in kinds(evts)
    built = timeline(path)
    sla = {r["target"]: r for r in built["sla"]}  # type: ignore[union-attr,index]
    assert sla["Respond"]["actual"] == "not reached"
    # the notify step was only shown (--ack-manual): not counted as sent
    assert sla["Status updates"]["actual"] == "0 sent, 0 overdue, 1 shown unattended (not confirmed sent)"
    path.unlink()

    run = Run(["run", str(RUNBOOKS / "audit.yaml"), "--input", "region=eu-west-1"], work)
    run.expect("Step 1/2  read-audit")
    run.answer("[?] help:", "?")  # asking for help is already an answer from a person at the keyboard
    run.answer("[?] help:", "r")
    run.answer("When it is done:", "d")
    run.expect("Run completed.")
    assert run.finish() == 0
    path, evts = only_journal(work)
    order = kinds(evts)
    assert order.index("milestone:responded") > order.index("step_start:read-audit")
    responded = next(e for e in evts if e.get("name") == "responded")
    first_answer = next(e for e in evts if e["type"] == "answer")
    assert parse_time(responded["at"]) <= parse_time(first_answer["t"])
    sla = {r["target"]: r for r in timeline(path)["sla"]}  # type: ignore[union-attr,index]
    assert sla["Status updates"]["actual"] == "1 sent, 0 overdue"


def test_a_whole_output_secret_capture_is_shown_with_only_the_credential_masked(work: Path) -> None:
    run = Run(["run", str(RUNBOOKS / "audit.yaml"), "--yes", "--ack-manual"], work)
    run.expect("login from 10.0.0.7 at 02:10")
    run.expect("setting changed: api_token=[REDACTED]")
    run.expect("login from 203.0.113.9 at 02:14")
    run.expect("Captured audit_log: the output above, kept out of the journal (3 lines)")
    run.expect("Run completed.")
    assert run.finish() == 0
    assert "s3cr3tT0kenValue99" not in run.screen
    path, evts = only_journal(work)
    assert "s3cr3tT0kenValue99" not in path.read_text()
    assert not [e for e in evts if "10.0.0.7" in json.dumps({k: v for k, v in e.items() if k != "command"})]
    command = next(e for e in evts if e["type"] == "command")
    assert command["output"] == "[REDACTED]\n"

"""Decisions in a real terminal: answering by number and by name, answering beforehand with
--answer, --yes stopping at a question nobody answered, resuming on the chosen branch, a
severity raised mid-run, and a manual step reported failed following its on_failure."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.runner.conftest import RUNBOOK, RUNBOOKS, Run, kinds, only_journal

pytestmark = pytest.mark.pty
DECIDE = str(RUNBOOKS / "decide.yaml")


def _log(work: Path) -> list[str]:
    return (work / "log").read_text().split("\n")[:-1]


def test_answer_by_number_takes_that_branch(work: Path) -> None:
    run = Run(["run", DECIDE, "-i", f"workdir={work}"], work)
    run.answer("Run it?", "r")
    run.expect("Decide: Does pg_controldata show a clean shutdown?")
    run.expect("[1] yes - the data directory is intact  (go to restart)")
    run.expect("[2] no  (go to promote; severity P1)")
    run.answer("Answer (1-2 or the answer; ? for help):", "3")
    run.expect("'3' is not one of the answers.")
    run.answer("Answer (1-2 or the answer; ? for help):", "1")
    run.expect("Step 3/7  restart")
    run.answer("Run it?", "r")
    run.expect("Step 7/7  confirm")  # next: confirm jumps past the other branch
    run.answer("Run it?", "r")
    run.expect("Run completed.")
    assert run.finish() == 0
    assert _log(work) == ["probed", "restarted", "confirmed"]
    _, evts = only_journal(work)
    decision = next(e for e in evts if e["type"] == "decision")
    assert (decision["step"], decision["answer"], decision["goto"]) == ("recoverable", "yes", "restart")
    assert decision["by"] and decision["t"]  # who answered, and when
    assert "step_start:promote" not in kinds(evts)


def test_answer_by_name_raises_the_severity_and_asks_inputs_when_needed(work: Path) -> None:
    run = Run(["run", DECIDE, "-i", f"workdir={work}"], work)
    run.answer("Run it?", "r")
    run.answer("Answer (1-2 or the answer; ? for help):", "No")
    run.expect("** Severity raised from P2 to P1 (Critical): the clock now runs against its targets. **")
    run.expect("Step promote needs input standby.")
    run.answer("standby - The standby to promote:", "db-standby-2")
    run.expect("P1 Critical | elapsed")  # the status line now shows the new severity
    run.expect("1h to resolve")  # ...and counts against its targets (P2 allows 4h)
    run.expect("To do: Run pg_ctl promote on db-standby-2 and point the API at it.")
    run.answer("When it is done:", "d")
    run.expect("Step 5/7  record")
    run.answer("Run it?", "r")
    run.expect("Step 7/7  confirm")
    run.answer("Run it?", "r")
    run.expect("Run completed.")
    assert run.finish() == 0
    assert _log(work) == ["probed", "promoted db-standby-2", "confirmed"]
    _, evts = only_journal(work)
    raised = next(e for e in evts if e["type"] == "severity")
    assert (raised["old"], raised["new"], raised["reason"]) == ("P2", "P1", "answer 'no' to recoverable")
    assert raised["targets"]["respond"] == "5m"
    path, _ = only_journal(work)
    shown = subprocess.run([RUNBOOK, "timeline", str(path)], capture_output=True, text=True, check=True).stdout
    assert "`recoverable` Does pg_controldata show a clean shutdown? Answered **no** by" in shown
    assert "Severity raised from P2 to **P1** (answer 'no' to recoverable)" in shown
    assert "Input standby given for `promote`" in shown
    assert "| Resolve | 1h |" in shown  # measured against the raised severity's target, not P2's 4h


def test_a_manual_step_reported_failed_follows_on_failure(work: Path) -> None:
    run = Run(["run", DECIDE, "-i", f"workdir={work}", "-i", "standby=db-standby-2", "--answer", "recoverable=2"], work)
    run.answer("Run it?", "r")
    run.expect("Does pg_controldata show a clean shutdown?  -> no (--answer)")
    run.answer("When it is done:", "f")
    run.answer("What went wrong?", "the standby is 40 minutes behind")
    run.expect("promote failed; going to page-dba (1 of at most 1).")
    run.expect("Step 6/7  page-dba")
    run.answer("When it is done:", "d")
    run.answer("Run it?", "r")
    run.expect("Run completed.")
    assert run.finish() == 0
    _, evts = only_journal(work)
    ends = {e["step"]: e for e in evts if e["type"] == "step_end"}
    assert ends["promote"]["outcome"] == "failed" and ends["promote"]["next"] == "page-dba"
    assert ends["promote"]["reason"] == "go to page-dba"
    assert "step_start:record" not in kinds(evts)


def test_yes_stops_at_a_decision_nobody_answered(work: Path) -> None:
    run = Run(["run", DECIDE, "--yes", "-i", f"workdir={work}", "-i", "standby=db-standby-2"], work)
    run.expect("Stopped at recoverable: the decision 'recoverable' needs an answer "
               "(pass --answer recoverable=ANSWER to answer it beforehand).")
    assert run.finish() == 1
    answered = Run(["run", DECIDE, "--yes", "-i", f"workdir={work}", "-i", "standby=x", "--answer", "recoverable=yes"], work)
    answered.expect("Run completed.")
    assert answered.finish() == 0
    bad = Run(["run", DECIDE, "--yes", "-i", f"workdir={work}", "-i", "standby=x", "--answer", "recoverable=maybe"], work)
    bad.expect("--answer recoverable=maybe: not one of its answers (yes, no)")
    assert bad.finish() == 2


def test_resume_continues_on_the_chosen_branch(work: Path) -> None:
    run = Run(["run", DECIDE, "-i", f"workdir={work}", "-i", "standby=db-standby-2"], work)
    run.answer("Run it?", "r")
    run.answer("Answer (1-2 or the answer; ? for help):", "no")
    run.expect("Step 4/7  promote")
    run.answer("When it is done:", "d")
    run.expect("Step 5/7  record")
    run.answer("Run it?", "a")
    assert run.finish() == 1
    path, _ = only_journal(work)

    again = Run(["run", "--resume", str(path)], work)
    again.expect("Severity P1 (Critical)")  # the raised severity survives the resume
    again.expect("Step 5/7  record")  # steps.promote.status == 'done' still holds
    again.answer("Run it?", "r")
    again.expect("Step 7/7  confirm")
    again.answer("Run it?", "r")
    again.expect("Run completed.")
    assert again.finish() == 0
    assert _log(work) == ["probed", "promoted db-standby-2", "confirmed"]


def test_start_at_a_decision(work: Path) -> None:
    run = Run(["run", DECIDE, "-i", f"workdir={work}", "--start-at", "recoverable"], work)
    run.expect("Step 2/7  recoverable  Can the primary be restarted?: skipped, "
               "condition 'outputs.db_status == 'down'' is false")  # nothing was probed in this run
    run.expect("Step 3/7  restart")
    run.answer("Run it?", "a")
    assert run.finish() == 1


def test_a_step_runs_another_runbook_in_the_same_run(work: Path) -> None:
    run = Run(["run", str(RUNBOOKS / "call.yaml"), "-i", f"workdir={work}"], work)
    run.expect("Runs runbook flush-cache here with dir")
    run.expect("Running runbook flush-cache (Flush the edge cache) for step purge.")
    run.answer("zone [eu]:", "")  # an input the call does not give is asked as in any run, when needed
    run.expect("Step 1/1  flush")
    run.answer("Run it?", "r")
    run.expect("Back in call: runbook flush-cache completed.")
    run.expect("Step 2/2  check")
    run.answer("Run it?", "r")
    run.expect("Run completed.")
    assert run.finish() == 0
    assert _log(work) == ["flushed eu", "checked"]
    _, evts = only_journal(work)
    inner = [e for e in evts if e.get("call") == "purge"]
    steps_inside = [e for e in inner if e["type"] != "milestone"]  # the zone was the first answer of this run
    assert [e["type"] for e in steps_inside][:3] == ["input", "step_start", "answer"] and steps_inside[1]["step"] == "flush"
    calls = [(e["phase"], e.get("outcome")) for e in evts if e["type"] == "call"]
    assert calls == [("start", None), ("end", "completed")]
    assert [e["step"] for e in evts if e["type"] == "step_end" and not e.get("call")] == ["purge", "check"]

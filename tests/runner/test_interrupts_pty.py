"""Timeouts, Ctrl-C and ``kill -9``: the command's whole process group dies, the journal keeps
everything up to the step in flight, and ``--resume`` carries on from there."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from tests.runner.conftest import RUNBOOKS, Run, group_gone, kinds, only_journal, pid_gone

pytestmark = pytest.mark.pty


def _wait_for_file(path: Path, run: Run) -> str:
    run.child.expect("draining\r\n")  # the command's output, not its line on the step card
    return path.read_text().strip()


def test_timeout_kills_the_process_group_including_a_child_that_ignores_sigterm(work: Path) -> None:
    run = Run(["run", str(RUNBOOKS / "timeout.yaml"), "--yes", "-i", f"workdir={work}"], work)
    run.expect("FAILED: timed out after 2s; its process group was killed")
    run.expect("hang failed; continuing (on_failure: continue).")
    run.expect("carried on")
    run.expect("Run completed.")
    assert run.finish() == 0
    child = int((work / "child.pid").read_text())
    assert pid_gone(child), f"the child {child} that traps SIGTERM is still running"
    _, evts = only_journal(work)
    hang = next(e for e in evts if e["type"] == "command" and e["step"] == "hang")
    assert (hang["timed_out"], hang["exit_code"], hang["ok"]) == (True, None, False)
    ends = [(e["step"], e["outcome"]) for e in evts if e["type"] == "step_end"]
    assert ends == [("hang", "failed"), ("after", "done")]


def test_ctrl_c_stops_the_command_then_resume_continues_at_that_step(work: Path) -> None:
    run = Run(["run", str(RUNBOOKS / "slow.yaml"), "-i", f"workdir={work}"], work)
    run.answer("Run it?", "r")
    run.expect("Step 2/3  drain")
    run.answer("Run it?", "r")
    leader = int(_wait_for_file(work / "drain.pid", run))
    run.child.sendintr()
    run.answer("The command was stopped. [r]etry  [s]kip  [a]bort", "a")
    run.expect("Aborted at drain.")
    run.expect("Resume with:\r\n  $ runbook run --resume")
    assert run.finish() == 1
    assert pid_gone(leader) and group_gone(leader)
    path, evts = only_journal(work)
    assert kinds(evts)[-7:] == ["answer:drain", "run:drain", "exec:drain", "command:drain", "answer:drain", "step_end:drain",
                                "end"]
    assert evts[-3]["answer"] == "abort" and evts[-3]["after"] == "interrupt"
    assert (evts[-2]["outcome"], evts[-2]["next"]) == ("aborted", "drain")
    drain = next(e for e in evts if e["type"] == "command" and e["step"] == "drain")
    assert (drain["interrupted"], drain["exit_code"], drain["ok"]) == (True, None, False)
    assert evts[-1]["outcome"] == "aborted"
    assert (work / "log").read_text() == "first\n"

    (work / "go").touch()
    again = Run(["run", "--resume", str(path)], work)
    again.expect("Step 2/3  drain")
    again.answer("Run it?", "r")
    again.expect("Warning: drain already ran 1 time(s) and is not idempotent.")
    again.answer("Run it again? [y/N]", "y")
    again.expect("Step 3/3  last")
    again.answer("Run it?", "r")
    again.expect("Run completed.")
    assert again.finish() == 0
    assert (work / "log").read_text() == "first\ndrain\nlast\n"
    after = [e for e in _events(path) if e["seq"] > evts[-1]["seq"]]
    assert [k for k in kinds(after) if not k.startswith(("answer", "exec", "run:"))] == [
        "resume", "step_start:drain", "warning:drain", "command:drain", "step_end:drain",
        "step_start:last", "command:last", "step_end:last", "milestone:resolved", "end"]
    assert after[0]["next"] == "drain"


def test_kill_9_of_the_runner_then_resume(work: Path) -> None:
    run = Run(["run", str(RUNBOOKS / "slow.yaml"), "--yes", "-i", f"workdir={work}"], work)
    leader = int(_wait_for_file(work / "drain.pid", run))
    os.kill(run.child.pid, signal.SIGKILL)
    run.finish()
    path, evts = only_journal(work)
    assert kinds(evts)[-4:] == ["step_end:first", "step_start:drain", "run:drain", "exec:drain"]  # in flight, nothing after
    assert evts[-1]["pid"] == leader

    (work / "go").touch()
    unattended = Run(["run", "--resume", str(path), "--yes"], work)
    unattended.expect(f"Stopped the command left running by the interrupted run (process group {leader}).")
    unattended.expect("Stopped at drain: it was started before the runner stopped and its result was never recorded")
    assert unattended.finish() == 1  # --yes never runs a step again that may have run
    assert pid_gone(leader) and group_gone(leader)
    assert (work / "log").read_text() == "first\n"
    again = Run(["run", "--resume", str(path)], work)
    again.answer("Run it?", "r")
    again.expect("Warning: drain was started when the runner stopped and its result was never recorded: it may have run.")
    again.answer("Run it again? [y/N]", "y")
    again.answer("Run it?", "r")
    again.expect("Run completed.")
    assert again.finish() == 0
    assert (work / "log").read_text() == "first\ndrain\nlast\n"
    after = [e for e in _events(path) if e["seq"] > evts[-1]["seq"]]
    assert [k for k in kinds(after) if not k.startswith(("answer", "exec", "run:"))] == [
        "resume", "orphan", "step_start:drain", "stopped:drain", "step_end:drain", "end",
        "resume", "orphan", "step_start:drain", "warning:drain", "command:drain", "milestone:responded",
        "step_end:drain", "step_start:last", "command:last", "step_end:last", "milestone:resolved", "end"]
    assert after[1]["pid"] == leader and after[1]["killed"] is True
    second = [e for e in after if e["type"] == "orphan"][1]
    assert second["killed"] is False and second["reason"] == "nothing of it is left"


def test_ctrl_c_at_a_prompt_ends_the_run_cleanly(work: Path) -> None:
    run = Run(["run", str(RUNBOOKS / "slow.yaml"), "-i", f"workdir={work}"], work)
    run.answer("Run it?", "r")
    run.expect("Step 2/3  drain")
    run.expect("Run it?")
    run.child.sendintr()
    run.expect("Run interrupted.")
    run.expect("Resume with:\r\n  $ runbook run --resume")
    assert run.finish() == 130
    _, evts = only_journal(work)
    assert kinds(evts)[-2:] == ["step_start:drain", "end"]
    assert evts[-1]["outcome"] == "interrupted" and evts[-1]["completed"] == ["first"]


def _events(path: Path) -> list[dict[str, object]]:
    from tests.runner.conftest import events

    return events(path)

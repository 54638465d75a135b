"""Runs survive faults without doing anything twice, with real processes and real files:
commands that cannot start are step failures, not crashes."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.runner.conftest import FIXTURES, RUNBOOK, RUNBOOKS, TIMEOUT, Run, env, events, journal_files, kinds, only_journal

pytestmark = pytest.mark.pty


def test_commands_that_cannot_start_are_step_failures_that_follow_on_failure(work: Path) -> None:
    os.chmod(FIXTURES / "scripts" / "not-executable.sh", 0o644)  # what git checks out; the test relies on it
    run = Run(["run", str(RUNBOOKS / "exec-failures.yaml"), "--yes", "--force", "-i", f"workdir={work}"], work)
    run.expect("Run completed.")
    assert run.finish() == 0
    assert "internal error" not in run.screen
    assert (work / "reached").exists()
    _, evts = only_journal(work)
    reasons = {e["step"]: e["reason"] for e in evts if e["type"] == "command" and not e["ok"]}
    assert reasons["bad-interpreter"].endswith("bad-interpreter.sh's #! line was not found")
    assert reasons["no-shebang"].endswith("no-shebang.sh is not a program the system can start (no #! line, or a bad one)")
    assert reasons["not-executable"].endswith("not-executable.sh is not executable (permission denied)")
    nul = "could not start: the command, an argument or an environment value contains a NUL character"
    assert reasons["nul-in-env"] == nul  # in run: or env: a NUL is a validation error; a captured value can hold one
    assert reasons["long-delay"] == "exit code 1, expected 0"
    assert "Not retrying: a retry_delay of 30d is longer than a run waits (at most 1d)." in run.screen
    assert [e["step"] for e in evts if e["type"] == "command" and e["step"] == "long-delay"] == ["long-delay"]
    ends = [(e["step"], e["outcome"]) for e in evts if e["type"] == "step_end"]
    assert ends == [("bad-interpreter", "failed"), ("no-shebang", "failed"), ("not-executable", "failed"),
                    ("odd-output", "done"), ("nul-in-env", "failed"), ("long-delay", "failed"), ("reached", "done")]
    assert evts[-1]["type"] == "end" and evts[-1]["outcome"] == "completed"


def _unattended(args: list[str], cwd: Path, fsize: int | None = None) -> subprocess.CompletedProcess[str]:
    """The runner with --yes; ``fsize`` caps the size of any file it writes (RLIMIT_FSIZE): a disk that fills up."""
    def limit() -> None:
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
    return subprocess.run([RUNBOOK, "run", *args, "--yes"], cwd=cwd, env=env(), text=True, capture_output=True,
                          timeout=TIMEOUT, stdin=subprocess.DEVNULL, preexec_fn=limit, check=False)


def _ends(path: Path) -> dict[str, int]:
    """Byte offset where each event ends, by kind label ('run:mark')."""
    out, offset = {}, 0
    for line in path.read_bytes().splitlines(keepends=True):
        offset += len(line)
        out.setdefault(kinds([json.loads(line)])[0], offset)
    return out


def _calibrate(work: Path) -> dict[str, int]:
    done = _unattended([str(RUNBOOKS / "faults.yaml"), "-i", f"workdir={work}"], work)
    assert done.returncode == 0, done.stderr
    journal, _ = only_journal(work)
    ends = _ends(journal)
    shutil.rmtree(work / ".runbook-runs")
    (work / "marks").unlink()
    return ends


def test_a_step_whose_intent_cannot_be_recorded_does_not_run(work: Path) -> None:
    ends = _calibrate(work)
    full = _unattended([str(RUNBOOKS / "faults.yaml"), "-i", f"workdir={work}"], work, fsize=ends["step_start:mark"] + 10)
    assert full.returncode == 1
    assert "cannot write the journal (File too large)" in full.stderr and "internal error" not in full.stderr
    assert "nothing runs that the journal cannot record" in full.stderr
    assert not (work / "marks").exists()  # the intent was not recorded: the step did not run
    (journal,) = journal_files(work)
    assert not journal.read_bytes().endswith(b"\n")  # a torn line, as a full disk leaves it

    again = _unattended(["--resume", str(journal)], work)
    assert again.returncode == 0, again.stderr
    assert "The journal's last line was cut short" in again.stdout
    (aside,) = work.joinpath(".runbook-runs").glob("*.torn-*")
    assert aside.read_bytes().startswith(b'{"seq": ') and journal.read_bytes().endswith(b"\n")
    assert (work / "marks").read_text() == "ran\nafter\n"
    evts = events(journal)  # every line whole again
    assert [e["type"] for e in evts].count("repaired") == 1 and evts[-1]["outcome"] == "completed"
    shown = subprocess.run([RUNBOOK, "timeline", str(journal)], capture_output=True, text=True, check=False,
                           timeout=TIMEOUT, env=env())
    assert shown.returncode == 0 and f"The journal's torn last line was moved to {aside}" in shown.stdout


def test_a_step_started_without_a_recorded_end_is_never_run_again_unasked(work: Path) -> None:
    ends = _calibrate(work)
    full = _unattended([str(RUNBOOKS / "faults.yaml"), "-i", f"workdir={work}"], work, fsize=ends["run:mark"] + 60)
    assert full.returncode == 1 and "cannot write the journal (File too large)" in full.stderr
    assert (work / "marks").read_text() == "ran\n"  # it ran, but its result was never recorded
    (journal,) = journal_files(work)

    again = _unattended(["--resume", str(journal)], work)
    assert again.returncode == 1
    assert "Stopped at mark: it was started before the runner stopped and its result was never recorded" in again.stdout
    assert (work / "marks").read_text() == "ran\n"
    assert [e["type"] for e in events(journal)][-3:] == ["stopped", "step_end", "end"]


@pytest.mark.parametrize("pid", [0, 1, "own group", "setsid sleep"])
def test_resume_signals_only_the_process_group_it_recorded(work: Path, pid: object) -> None:
    done = _unattended([str(RUNBOOKS / "faults.yaml"), "-i", f"workdir={work}"], work)
    assert done.returncode == 0, done.stderr
    (journal,) = journal_files(work)
    lines = journal.read_text(encoding="utf-8").splitlines()
    cut = next(i for i, line in enumerate(lines) if json.loads(line)["type"] == "exec")
    stranger = subprocess.Popen(["sleep", "30"], start_new_session=True)  # an unrelated session leader, as setsid makes
    try:
        time.sleep(0.2)
        exec_event = json.loads(lines[cut])
        exec_event["pid"] = {"own group": os.getpgrp(), "setsid sleep": stranger.pid}.get(str(pid), pid)
        journal.write_text("\n".join([*lines[:cut], json.dumps(exec_event)]) + "\n", encoding="utf-8")
        again = _unattended(["--resume", str(journal)], work)
        assert f"Did not signal process group {exec_event['pid']}" in again.stdout, again.stdout + again.stderr
        assert again.returncode == 1 and "Stopped at mark" in again.stdout  # its result was never recorded
        assert stranger.poll() is None  # still running: never signalled
        orphan = next(e for e in events(journal) if e["type"] == "orphan")
        assert orphan["killed"] is False and orphan["reason"]
    finally:
        stranger.kill()
        stranger.wait()

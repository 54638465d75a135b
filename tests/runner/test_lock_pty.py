"""Two runners on one journal, as two real processes: the second refuses, naming the first,
until the first is gone; a lock never outlives its runner."""

from __future__ import annotations

import getpass
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.runner.conftest import RUNBOOK, RUNBOOKS, TIMEOUT, Run, env, events, journal_files, pid_gone
from validator.runner import lock

pytestmark = pytest.mark.pty


def _second(journal: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([RUNBOOK, "run", "--resume", str(journal), "--yes"], cwd=cwd, env=env(), text=True,
                          capture_output=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)


def test_a_second_runner_refuses_a_live_journal_and_takes_over_once_the_first_is_gone(work: Path) -> None:
    first = Run(["run", str(RUNBOOKS / "destructive.yaml"), "-i", f"workdir={work}"], work)
    first.expect("Run it?")
    (journal,) = journal_files(work)
    before = journal.read_text(encoding="utf-8")

    refused = _second(journal, work)
    assert refused.returncode == 1, refused.stderr
    message = " ".join(refused.stderr.split())
    assert (f"is in use by another runner: user {getpass.getuser()} on host {socket.gethostname()}, "
            f"pid {first.child.pid}, since 20") in message
    assert f"To take over: end that run (Ctrl-C in its terminal, or: kill {first.child.pid})" in message
    assert journal.read_text(encoding="utf-8") == before  # the second runner wrote nothing
    assert "Run it?" not in refused.stdout

    os.kill(first.child.pid, signal.SIGKILL)  # the first runner dies without cleaning up
    first.finish()  # reaped: gone for good
    assert pid_gone(first.child.pid)
    took_over = _second(journal, work)
    assert took_over.returncode == 1, took_over.stderr  # it resumed, then stopped at the destructive step
    assert "Stopped at drop-cache: destructive steps never run unattended" in took_over.stdout
    kinds = [e["type"] for e in events(journal)]
    assert kinds.count("resume") == 1 and kinds[-1] == "end"
    assert not journal.with_name(journal.name + ".lock").exists()


def test_a_finished_run_leaves_no_lock_and_a_new_run_is_locked_from_its_start(work: Path) -> None:
    run = Run(["run", str(RUNBOOKS / "destructive.yaml"), "-i", f"workdir={work}"], work)
    run.expect("Run it?")
    (journal,) = journal_files(work)
    lock = journal.with_name(journal.name + ".lock")
    assert lock.exists() and f'"pid": {run.child.pid}' in lock.read_text(encoding="utf-8")
    run.child.sendline("a")
    assert run.finish() == 1
    assert not lock.exists()
    assert _second(journal, work).returncode == 1  # free again: the resume runs and stops at the destructive step


def test_a_lock_kept_by_a_process_the_gone_runner_left_behind_is_named_as_such(tmp_path: Path) -> None:
    journal = tmp_path / "run.jsonl"
    journal.write_text("", encoding="utf-8")
    holder = ("import subprocess, sys; from pathlib import Path; from validator.runner import lock;"
              "held = lock.acquire(Path(sys.argv[1]));"
              "child = subprocess.Popen(['sleep', '60'], pass_fds=[held.fd],"
              " stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL);"
              "print(child.pid, flush=True)")  # exits at once; the sleep keeps the lock
    out = subprocess.run([sys.executable, "-c", holder, str(journal)], text=True, capture_output=True, timeout=TIMEOUT)
    left_behind = int(out.stdout)
    try:
        with pytest.raises(lock.Held) as refused:
            lock.acquire(journal)
        assert "is gone, but a process it left behind still holds the lock" in str(refused.value)
    finally:
        os.kill(left_behind, signal.SIGKILL)
    deadline = time.monotonic() + TIMEOUT
    while not pid_gone(left_behind) and time.monotonic() < deadline:
        time.sleep(0.05)
    lock.acquire(journal).release()  # once the leftover is gone the lock is free

"""The parts of a hand-off that need no terminal: file modes in a team's shared folder, who the
journal says held a run, a lock set aside under a live runner, reading hand-off entries, and a
command the previous responder left running (on another host, or as another user)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from validator.runner import handoff, journal, lock
from validator.runner.redact import Redactor


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_journals_and_locks_are_group_writable_only_in_a_shared_folder(tmp_path: Path) -> None:
    shared, private = tmp_path / "shared", tmp_path / "private"
    shared.mkdir()
    private.mkdir()
    os.chmod(shared, 0o2770)  # set-group-ID: the team's folder
    old = os.umask(0o022)
    try:
        for folder, expected in ((shared, 0o660), (private, 0o600)):
            written = journal.Journal(folder / "run.jsonl", Redactor())
            written.write("start", file="x", started_at="2025-03-01T02:10:00Z")
            written.close()
            held = lock.acquire(folder / "run.jsonl")
            assert (_mode(folder / "run.jsonl"), _mode(folder / "run.jsonl.lock")) == (expected, expected), folder
            held.release()
    finally:
        os.umask(old)


def test_every_entry_names_its_user_and_the_journal_says_who_held_the_run_last(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    record = journal.Journal(path, Redactor())
    record.user = "ana"
    record.write("start", file="x", started_at="2025-03-01T02:10:00Z", user="ana", host="jump-1", pid=41)
    record.write("step_end", step="check", outcome="done")
    record.user = "bob"
    record.write("handoff", from_user="ana", to_user="bob", to_host="jump-2", to_pid=77, reason="")
    record.write("step_end", step="fix", outcome="done")
    record.close()
    events = journal.read(path)
    assert [e["user"] for e in events] == ["ana", "ana", "bob", "bob"]
    last = handoff.Holder.from_journal(events)
    assert (last.user, last.host, last.pid, last.since) == ("bob", "jump-2", 77, events[2]["t"])
    assert handoff.Holder.from_journal(events[:2]).named() == "user ana on host jump-1, pid 41"
    older = [{k: v for k, v in e.items() if k != "user" or e["type"] == "start"} for e in events]  # only start named one
    assert handoff.responders(older) == ["ana", "ana", "bob", "bob"]


def test_a_hand_off_entry_without_its_new_holder_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    lines = [{"seq": 1, "t": "2025-03-01T02:10:00Z", "type": "start", "file": "x", "started_at": "2025-03-01T02:10:00Z"},
             {"seq": 2, "t": "2025-03-01T02:40:00Z", "type": "handoff", "from_user": "ana"},
             {"seq": 3, "t": "2025-03-01T02:41:00Z", "type": "note", "text": "x"}]
    path.write_text("".join(json.dumps(e) + "\n" for e in lines), encoding="utf-8")
    with pytest.raises(ValueError, match=r"run\.jsonl:2: handoff event without 'to_user'"):
        journal.read(path)


def test_a_runner_whose_lock_is_set_aside_cannot_write_again(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    record = journal.Journal(path, Redactor())
    held = lock.acquire(path)
    record.guard = held.still_ours
    record.write("start", file="x", started_at="2025-03-01T02:10:00Z")
    lock.break_lock(path)
    other = lock.acquire(path)  # the new holder writes itself into a new lock file
    with pytest.raises(journal.TakenOver, match=f"taken over by user .* on host {socket.gethostname()}"):
        record.write("note", text="too late")
    with pytest.raises(journal.JournalError):
        record.write("note", text="still too late")
    assert [e["type"] for e in journal.read(path)] == ["start"]
    other.release()
    held.release()
    record.close()


def test_a_gone_holder_on_this_host_and_one_elsewhere_are_told_apart() -> None:
    here = socket.gethostname()
    assert handoff.Holder("ana", here, os.getpid()).state(locked=True) == handoff.RUNNING
    assert handoff.Holder("ana", here, os.getpid(), start=1).state(locked=True) == handoff.LEFTOVER  # pid reused
    assert handoff.Holder("ana", here, 2**22 + 12345).state(locked=False) == handoff.GONE
    assert handoff.Holder("ana", "laptop-ana", os.getpid()).state(locked=False) == handoff.UNKNOWN
    lines = handoff.describe(handoff.Holder("ana", "laptop-ana", 9, "2025-03-01T02:10:00Z"), handoff.UNKNOWN, "")
    assert lines[1] == "Whether that runner still runs cannot be checked from here: it ran on host laptop-ana."


def test_a_command_left_running_on_another_host_is_not_judged_from_here() -> None:
    from validator.runner import executor

    here = executor.identity(os.getpid())
    assert here["host"] == socket.gethostname()
    why = executor.orphan_check(os.getpid() + 1, here["start"], "another-boot", "laptop-ana")
    assert why == "it ran on host laptop-ana, so it cannot be checked from here: see there whether it still runs"


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("setpriv") is None,
                    reason="needs root and setpriv to run the next responder as another user")
def test_a_command_another_user_started_is_named_not_reported_stopped(tmp_path: Path) -> None:
    """The next responder (here: user nobody) may not signal what the first responder's command left."""
    left = subprocess.Popen(["sleep", "60"], start_new_session=True)
    try:
        probe = ("import json, sys; from validator.runner import executor;"
                 "print(json.dumps(executor.kill_orphan(int(sys.argv[1]), **executor.identity(int(sys.argv[1])))))")
        done = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-c", probe,
                               str(left.pid)], capture_output=True, text=True, timeout=60, cwd=tmp_path)
        assert json.loads(done.stdout) == [False, f"it belongs to another user; stop it with: sudo kill -TERM -- -{left.pid}"], \
            done.stderr
        assert left.poll() is None  # still running: nothing pretended otherwise
    finally:
        left.kill()
        left.wait()

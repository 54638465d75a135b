"""Stopping a rollout a dead runner left behind: every group is stopped when this user may, and a
group of another account (a run taken over from a colleague) is reported as still running."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest

from validator.runner.remote import stop_tree


def _group() -> subprocess.Popen[bytes]:
    """A command in a process group of its own, as Ansible starts each host's command."""
    return subprocess.Popen(["sleep", "300"], start_new_session=True)


def _alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_group_of_this_user_is_stopped_and_not_reported() -> None:
    proc = _group()
    assert stop_tree(proc.pid, grace=1.0) == []
    assert proc.wait(timeout=10) != 0
    assert not _alive(proc.pid)


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("setpriv") is None,
                    reason="needs root and setpriv to ask as another account")
def test_a_group_of_another_account_is_reported_as_still_running() -> None:
    proc = _group()  # root's; the caller below is the account nobody
    try:
        code = f"from validator.runner.remote import stop_tree; print(stop_tree({proc.pid}, grace=0.2))"
        asked = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-c", code],
                               capture_output=True, text=True, timeout=60, check=False, cwd="/",
                               env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
        assert asked.returncode == 0, asked.stderr
        assert asked.stdout.strip() == f"[{proc.pid}]"  # not claimed stopped
        time.sleep(0.2)
        assert proc.poll() is None and _alive(proc.pid)  # and indeed still running
    finally:
        proc.kill()
        proc.wait(timeout=10)

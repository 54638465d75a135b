"""One runner per live journal: an exclusive ``flock`` on ``JOURNAL.lock`` beside the journal.

Two runners on one journal would both answer the same step and both run it.  The lock is
taken before a resume reads the journal and held until the run ends; the kernel drops it
when its holder dies, however it dies, so a lock is never left behind by a crash.  The lock
file names its holder (user, host, pid, since) for the refusal message, and the process's
start time, so that a holder that is gone (its pid now someone else's) is told apart from a
live one.  A second runner refuses at once rather than waiting: at 3 a.m. "someone else is
running this" is the news, not a hang.
"""

from __future__ import annotations

import contextlib
import fcntl
import getpass
import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from validator.runner.executor import start_ticks
from validator.runner.journal import now_iso


class Held(Exception):
    """Another runner holds the journal; the message says who and how to take over."""


def lock_path(journal: Path) -> Path:
    return journal.with_name(journal.name + ".lock")


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid {os.getuid()}"


@dataclass
class Lock:
    path: Path
    fd: int

    def release(self) -> None:
        """Remove the file while still holding it (a waiter that opened it re-checks), then let go."""
        with contextlib.suppress(OSError):
            self.path.unlink()
        with contextlib.suppress(OSError):
            os.close(self.fd)


def acquire(journal: Path) -> Lock:
    """Hold ``journal``'s lock or raise :class:`Held`; OSError when the folder cannot be written."""
    path = lock_path(journal)
    for _ in range(5):  # the holder may remove the file between our open and our flock: open it again
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read(fd)
            os.close(fd)
            raise Held(refusal(journal, holder)) from None
        except OSError:
            os.close(fd)
            raise
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            _write(fd)
            return Lock(path, fd)
        os.close(fd)
    raise Held(f"{journal}: its lock file keeps changing; another runner is starting or ending on it")


def _write(fd: int) -> None:
    pid = os.getpid()
    info = {"user": _user(), "host": socket.gethostname(), "pid": pid, "since": now_iso(), "start": start_ticks(pid)}
    os.ftruncate(fd, 0)
    os.pwrite(fd, (json.dumps(info) + "\n").encode(), 0)


def _read(fd: int) -> dict[str, Any]:
    try:
        info = json.loads(os.pread(fd, 4096, 0).decode("utf-8", "replace") or "{}")
    except ValueError:
        return {}
    return info if isinstance(info, dict) else {}


def refusal(journal: Path, holder: dict[str, Any]) -> str:
    """Who holds the journal, and what to do about it."""
    user, host, pid, since = (holder.get(k) or "?" for k in ("user", "host", "pid", "since"))
    text = (f"{journal} is in use by another runner: user {user} on host {host}, pid {pid}, since {since}.\n"
            "Two runners on one journal would both run the same step, so this one stops here.\n")
    here = host == socket.gethostname()
    gone = here and isinstance(pid, int) and (start_ticks(pid) is None or start_ticks(pid) != holder.get("start"))
    if gone:
        text += (f"That runner (pid {pid}) is gone, but a process it left behind still holds the lock "
                 f"({lock_path(journal)}); find it with: fuser -v {lock_path(journal)}\n")
    elif here:
        text += f"To take over: end that run (Ctrl-C in its terminal, or: kill {pid}), then run this command again.\n"
    else:
        text += (f"To take over: end that run on {host} (Ctrl-C in its terminal, or: kill {pid} there), "
                 "then run this command again.\n")
    return text + f"Resume with: runbook run --resume {journal}"

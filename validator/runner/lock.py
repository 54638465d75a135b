"""One runner per live journal: an exclusive ``flock`` on ``JOURNAL.lock`` beside the journal.

Two runners on one journal would both answer the same step and both run it.  The lock is
taken before a resume reads the journal and held until the run ends; the kernel drops it
when its holder dies, however it dies, so a lock is never left behind by a crash.  The lock
file names its holder (user, host, pid, since) for the refusal message, and the process's
start time, so that a holder that is gone (its pid now someone else's) is told apart from a
live one.  A second runner refuses at once rather than waiting: at 3 a.m. "someone else is
running this" is the news, not a hang.

A runner killed outright leaves the lock file behind (unlocked): the next one reads who it named
(:attr:`Lock.previous`) before writing itself in, so a take-over can say whose run it takes.  In a
folder shared by a team (group-owned, set-group-ID) the lock and journal are made group-writable,
so the next responder can take the run over.
"""

from __future__ import annotations

import contextlib
import fcntl
import getpass
import json
import os
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from validator.runner.executor import start_ticks
from validator.runner.journal import now_iso, open_shared


class Held(Exception):
    """Another runner holds the journal; the message says who and how to take over."""

    def __init__(self, message: str, holder: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.holder = holder or {}


def lock_path(journal: Path) -> Path:
    return journal.with_name(journal.name + ".lock")


def user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid {os.getuid()}"


@dataclass
class Lock:
    path: Path
    fd: int
    previous: dict[str, Any] = field(default_factory=dict)  # whom a lock file left by a killed runner named

    def still_ours(self) -> str:
        """'' while the lock file is still the one we hold and names us; else why not: a forced take-over
        replaced the file, or (shared storage) our lock lapsed and another runner took it and wrote itself in."""
        try:
            replaced = os.stat(self.path).st_ino != os.fstat(self.fd).st_ino
        except OSError:
            replaced = True
        holder = read(self.path) if replaced else _read(self.fd)
        if not replaced and holder.get("pid") == os.getpid() and holder.get("host") == socket.gethostname():
            return ""
        who = f"user {holder.get('user', '?')} on host {holder.get('host', '?')}" if holder else "another runner"
        return f"this run was taken over by {who}; this runner stops here without writing more"

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
        fd = open_shared(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read(fd)
            os.close(fd)
            raise Held(refusal(journal, holder), holder) from None
        except OSError:
            os.close(fd)
            raise
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            previous = _read(fd)
            _write(fd)
            return Lock(path, fd, previous)
        os.close(fd)
    raise Held(f"{journal}: its lock file keeps changing; another runner is starting or ending on it")


def _write(fd: int) -> None:
    pid = os.getpid()
    info = {"user": user(), "host": socket.gethostname(), "pid": pid, "since": now_iso(), "start": start_ticks(pid)}
    os.ftruncate(fd, 0)
    os.pwrite(fd, (json.dumps(info) + "\n").encode(), 0)


def read(path: Path) -> dict[str, Any]:
    """Whom the lock file at ``path`` names ({} when there is none)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return {}
    try:
        return _read(fd)
    finally:
        os.close(fd)


def break_lock(journal: Path) -> None:
    """Set aside a lock no live runner of ours can release (its holder on another host, or a process
    a gone runner left behind): the file is removed, so the next :func:`acquire` makes a new one.  A
    displaced runner still holding the old file notices through :meth:`Lock.still_ours`."""
    with contextlib.suppress(FileNotFoundError):
        lock_path(journal).unlink()


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

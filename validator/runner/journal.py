"""The run's record: an append-only JSON Lines file, one event per line, fsync'ed as written.

Every event is flushed and fsync'ed before the runner moves on, so a crash, ``kill -9`` or a
power cut loses at most the step in flight.  Values pass through the run's redactor on the
way in: nothing secret ever reaches the disk.  Each event names the ``user`` who wrote it, so
a run handed from one responder to another says who did which step.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from validator.runner import journal_check, journal_folder
from validator.runner.redact import Redactor

SUFFIX = ".jsonl"


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


class JournalError(Exception):
    """The journal cannot be written (a full disk, a lost mount): nothing more may run unrecorded."""


class TakenOver(JournalError):
    """Another responder took the run over (forcing it): this runner must not write or run anything more."""


def open_shared(path: Path, flags: int) -> int:
    """Open (creating) a journal or lock file: group-writable in a team's shared folder (set-group-ID,
    so new files take the folder's group and the next responder can take the run over), else private:
    a journal holds what the run printed, so only a folder set up for sharing shares it."""
    try:
        shared = bool(os.stat(path.parent).st_mode & 0o2000)
    except OSError:
        shared = False
    fd = os.open(path, flags, 0o660 if shared else 0o600)
    if shared:  # the umask would take the group's write bit away
        with contextlib.suppress(OSError):  # not ours: its owner set its mode
            if os.fstat(fd).st_uid == os.geteuid():
                os.fchmod(fd, 0o660)
    return fd


class Journal:
    """Appends redacted events to one file; ``seq`` numbers them across resumes.

    Each event is one ``write`` of a whole line, then ``fsync``.  When a write fails the journal is
    marked broken and every later write raises :class:`JournalError` too, so nothing is appended
    after a torn line and the caller stops the run instead of running steps it cannot record.
    """

    user = ""  # who writes from now on: stamped on every event that names no user itself
    guard: Callable[[], str] | None = None  # '' while this runner may still write; else why not (taken over)

    def __init__(self, path: Path, redactor: Redactor, seq: int = 0) -> None:
        self.path = path
        self.redactor = redactor
        self.seq = seq
        journal_folder.prepare(path.parent)  # created if needed, and kept out of git
        fresh = not path.exists()
        self._fd = open_shared(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC)
        self.broken = ""
        if fresh:  # make the new file's name itself durable, not only its contents
            folder = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(folder)
            finally:
                os.close(folder)

    def write(self, type_: str, **fields: Any) -> dict[str, Any]:
        self.seq += 1
        event: dict[str, Any] = {"seq": self.seq, "t": now_iso(), "type": type_}
        if self.user:
            event["user"] = self.user
        event.update(self.redactor.value(fields))
        if self.broken:
            raise JournalError(self.broken)
        if self.guard is not None and (taken := self.guard()):
            self.broken = taken
            raise TakenOver(taken)
        line = memoryview((json.dumps(event, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8"))
        try:
            while line:
                line = line[os.write(self._fd, line):]
            os.fsync(self._fd)
        except OSError as err:
            self.broken = f"{self.path}: cannot write the journal ({err.strerror or err})"
            raise JournalError(self.broken) from None
        return event

    def close(self) -> None:
        os.close(self._fd)


class NullJournal(Journal):
    """Dry runs write nothing: the same interface, no file."""

    def __init__(self, redactor: Redactor) -> None:
        self.path = Path(os.devnull)
        self.redactor = redactor
        self.seq = 0

    def write(self, type_: str, **fields: Any) -> dict[str, Any]:
        self.seq += 1
        return {"seq": self.seq, "t": now_iso(), "type": type_, **fields}

    def close(self) -> None:
        pass


def new_path(directory: Path, runbook_id: str, drill: bool) -> Path:
    """``<dir>/<UTC time>-<runbook id>[-drill].jsonl``; sortable and unique enough for one responder."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    safe = re.sub(r"[^a-z0-9._-]", "-", runbook_id.lower())
    return directory / f"{stamp}-{safe}{'-drill' if drill else ''}{SUFFIX}"


def repair(path: Path) -> Path | None:
    """Cut a torn last line (a write that a full disk or a kill cut short) off the journal before
    anything is appended to it, keeping the fragment in ``JOURNAL.torn-TIME``; returns that file."""
    with path.open("rb") as f:
        f.seek(max(0, os.fstat(f.fileno()).st_size - 1024 * 1024))
        tail = f.read()
    if not tail or tail.endswith(b"\n"):
        return None
    fragment = tail[tail.rfind(b"\n") + 1:]
    try:
        whole = isinstance(json.loads(fragment), dict)
    except ValueError:
        whole = False
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CLOEXEC)
    try:
        if whole:  # only the newline is missing
            os.write(fd, b"\n")
            os.fsync(fd)
            return None
        aside = path.with_name(f"{path.name}.torn-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}")
        aside.write_bytes(fragment)
        os.ftruncate(fd, os.fstat(fd).st_size - len(fragment))
        os.fsync(fd)
        return aside
    finally:
        os.close(fd)


def read(path: Path) -> list[dict[str, Any]]:
    """All complete events; a torn last line (killed mid-write) is dropped, any other bad line is an
    error naming the line: what :mod:`journal_check` says the readers need, or that it is no JSON."""
    events: list[dict[str, Any]] = []
    lines = path.read_bytes().split(b"\n")
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            event = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise ValueError(f"{path}:{number}: not UTF-8 text") from None
        except (ValueError, RecursionError):  # not JSON, a number too long, nesting too deep
            if number >= len(lines) - 1:
                break
            raise ValueError(f"{path}:{number}: not a journal line (not one JSON object)") from None
        why = journal_check.problem(event)
        if why is not None:
            raise ValueError(f"{path}:{number}: {why}")
        events.append(event)
    if not events or events[0]["type"] != "start":
        raise ValueError(f"{path}:1: not a runbook journal (no start event)")
    return events

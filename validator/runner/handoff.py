"""Who holds a run, whether that runner still lives, and the hand-off record when someone else
takes it over.

A run's holder is named twice: by the lock file beside the journal (user, host, pid, since;
left behind, unlocked, by a runner that was killed) and by the journal itself (the user, host
and pid of the last ``start``, ``resume`` or ``handoff``).  The lock file is the fresher word
when there is one.  Whether the holder still runs can be checked only on its own host (its
pid, and that pid's start time so a reused pid is not mistaken for it); from another host the
answer is "cannot be checked", said as such rather than guessed.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from validator.durations import format_duration
from validator.runner.executor import start_ticks
from validator.runner.journal import parse_time
from validator.runner.lock import user

RUNNING, GONE, LEFTOVER, UNKNOWN = "running", "gone", "gone, a process it left holds the lock", "cannot be checked"


@dataclass
class Holder:
    """Whoever last held the run, as the lock file or the journal names them."""

    user: str = ""
    host: str = ""
    pid: int | None = None
    since: str = ""  # ISO time they took the run (started, resumed or took it over)
    start: int | None = None  # the pid's start time in clock ticks, when the lock file gave it

    @classmethod
    def from_lock(cls, info: dict[str, Any]) -> Holder:
        pid, ticks = info.get("pid"), info.get("start")
        return cls(str(info.get("user") or ""), str(info.get("host") or ""), pid if isinstance(pid, int) else None,
                   str(info.get("since") or ""), ticks if isinstance(ticks, int) else None)

    @classmethod
    def from_journal(cls, events: list[dict[str, Any]]) -> Holder:
        """The last ``start``, ``resume`` or ``handoff`` that names who ran it."""
        for e in reversed(events):
            if e.get("type") == "handoff":
                return cls(str(e.get("to_user") or ""), str(e.get("to_host") or ""), _pid(e.get("to_pid")), str(e["t"]))
            if e.get("type") in ("start", "resume") and e.get("user"):
                return cls(str(e["user"]), str(e.get("host") or ""), _pid(e.get("pid")), str(e["t"]))
        return cls()

    def known(self) -> bool:
        return bool(self.user or self.host or self.pid)

    def here(self) -> bool:
        return self.host == socket.gethostname()

    def state(self, locked: bool) -> str:
        """RUNNING, GONE, LEFTOVER (gone, but a child it left still holds the lock) or UNKNOWN (another host).
        ``locked``: the lock is held right now."""
        if not self.here() or self.pid is None:
            return UNKNOWN if locked or not self.here() else GONE
        ticks = start_ticks(self.pid)
        alive = ticks is not None and (self.start is None or ticks == self.start)
        if alive:
            return RUNNING
        return LEFTOVER if locked else GONE

    def named(self) -> str:
        pid = f", pid {self.pid}" if self.pid is not None else ""
        return f"user {self.user or '?'} on host {self.host or '?'}{pid}"


def _pid(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def me() -> Holder:
    return Holder(user(), socket.gethostname(), os.getpid())


def ago(iso_time: str) -> str:
    try:
        seconds = (datetime.now(UTC) - parse_time(iso_time)).total_seconds()
    except (TypeError, ValueError):
        return ""
    return f" ({format_duration(max(0.0, seconds))} ago)"


def describe(holder: Holder, state: str, last_event: str, locked: bool = True) -> list[str]:
    """The lines a take-over shows before asking: who, since when, alive or not, last activity."""
    since = f"{holder.since}{ago(holder.since)}" if holder.since else "?"
    lines = [f"This run {'is' if locked else 'was last'} held by {holder.named()}, since {since}."]
    if state == RUNNING:
        lines.append(f"That runner is STILL RUNNING on this host (pid {holder.pid}).")
    elif state == LEFTOVER:
        lines.append(f"That runner (pid {holder.pid}) is gone, but a process it left behind still holds the lock.")
    elif state == GONE:
        lines.append(f"That runner is gone: no process {holder.pid} of it runs on this host." if holder.pid is not None
                     else "That runner is gone.")
    else:
        lines.append(f"Whether that runner still runs cannot be checked from here: it ran on host {holder.host or '?'}.")
    if last_event:
        lines.append(f"Last journal entry: {last_event}{ago(last_event)}.")
    return lines


def record(holder: Holder, state: str, reason: str, forced: bool) -> dict[str, Any]:
    """The ``handoff`` event: from whom (and whether their runner lived), to whom, why."""
    new = me()
    return {"from_user": holder.user or None, "from_host": holder.host or None, "from_pid": holder.pid,
            "from_since": holder.since or None, "holder": state, "to_user": new.user, "to_host": new.host,
            "to_pid": new.pid, "reason": reason, "forced": forced}


def timeline_text(e: dict[str, Any]) -> str:
    """Who took the run over from whom, whether the first runner still ran, and why."""
    held = ", ".join(p for p in (f"on host {e['from_host']}" if e.get("from_host") else "",
                                 f"pid {e['from_pid']}" if e.get("from_pid") is not None else "",
                                 f"holding it since {e['from_since']}" if e.get("from_since") else "") if p)
    text = f"Hand-off: {e.get('to_user')} took the run over from {e.get('from_user') or 'an unknown responder'}"
    text += f" ({held})" if held else ""
    text += f"; their runner: {e['holder']}" if e.get("holder") else ""
    text += " (forced)" if e.get("forced") else ""
    return text + (f"; reason: {e['reason']}" if e.get("reason") else "")


def responders(events: list[dict[str, Any]]) -> list[str | None]:
    """Who wrote each event: its own ``user``, else whoever held the run then (older journals)."""
    current: str | None = None
    out: list[str | None] = []
    for e in events:
        if e["type"] in ("start", "resume") and e.get("user"):
            current = str(e["user"])
        elif e["type"] == "handoff" and e.get("to_user"):
            current = str(e["to_user"])
        out.append(str(e["user"]) if e.get("user") else current)
    return out

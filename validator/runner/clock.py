"""The incident clock: time since the incident started, measured against the severity's targets.

Targets come from the policy's severity level (respond, resolve, update_every,
escalate_after, and the escalation path).  Milestones are events the journal records once:
``responded``, ``update_due``, ``escalation_due`` and ``resolved``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from validator.durations import format_duration, parse_duration
from validator.model import EscalationLevel, SeverityLevel


@dataclass
class Clock:
    started_at: datetime
    level: SeverityLevel | None
    escalation: list[EscalationLevel] = field(default_factory=list)
    now: Callable[[], datetime] = lambda: datetime.now(UTC)
    responded_at: datetime | None = None
    resolved_at: datetime | None = None
    last_update: datetime | None = None
    seen: set[str] = field(default_factory=set)

    def elapsed(self) -> float:
        return (self.now() - self.started_at).total_seconds()

    def targets(self) -> dict[str, int | None]:
        lv = self.level
        return {"respond": lv.respond if lv else None, "resolve": lv.resolve if lv else None,
                "update_every": lv.update_every if lv else None, "escalate_after": lv.escalate_after if lv else None}

    def next_update(self) -> datetime | None:
        every = self.level.update_every if self.level else None
        if not every:
            return None
        base = self.last_update or self.started_at
        return base + timedelta(seconds=every)

    def status(self) -> list[tuple[str, bool]]:
        """The status line's parts, each with whether it is an alarm (a target missed, an update
        overdue): alarms are written in capitals so they stand out without colour too."""
        elapsed = self.elapsed()
        parts: list[tuple[str, bool]] = [(f"{self.level.id} {self.level.name}" if self.level else "no severity", False),
                                         (f"elapsed {_coarse(elapsed)}", False)]
        t = self.targets()
        if t["respond"] is not None:
            parts.append(("responded", False) if self.responded_at else _left("respond", t["respond"] - elapsed))
        if self.resolved_at is not None:
            parts.append((f"resolved after {format_duration((self.resolved_at - self.started_at).total_seconds())}", False))
            return parts
        if t["resolve"] is not None:
            parts.append(_left("resolve", t["resolve"] - elapsed))
        nxt = self.next_update()
        if nxt is not None:
            left = (nxt - self.now()).total_seconds()
            parts.append((f"update OVERDUE {_coarse(-left)}", True) if left < 0
                         else (f"update in {_coarse(left, up=True)}", False))
        return parts

    def header(self, width: int = 80) -> str:
        """One line of at most ``width`` characters: severity, elapsed, respond, resolve, next update."""
        parts = self.status()
        line = " | ".join(text for text, _ in parts)
        if len(line) > width and self.level is not None:
            parts[0] = (self.level.id, False)
            line = " | ".join(text for text, _ in parts)
        return line if len(line) <= width else line[: width - 1] + "…"

    def overdue(self, within: int | None) -> float:
        """Seconds a step with this ``within:`` target is past it (0 when not past, or no target)."""
        return max(0.0, self.elapsed() - within) if within else 0.0

    def due_milestones(self) -> list[dict[str, object]]:
        """Milestones that became due since the last call (each recorded once)."""
        out: list[dict[str, object]] = []
        elapsed = self.elapsed()
        nxt = self.next_update()
        if nxt is not None and nxt <= self.now():
            key = f"update_due@{_iso(nxt)}"
            if key not in self.seen:
                self.seen.add(key)
                out.append({"name": "update_due", "due": _iso(nxt)})
        marks: list[tuple[str, int]] = []
        if self.level and self.level.escalate_after:
            marks.append(("severity", self.level.escalate_after))
        marks += [(lvl.name or f"level {i + 1}", lvl.after) for i, lvl in enumerate(self.escalation)]
        for name, after in marks:
            key = f"escalation_due@{name}"
            if elapsed >= after and key not in self.seen:
                self.seen.add(key)
                out.append({"name": "escalation_due", "level": name, "after": format_duration(after),
                            "due": _iso(self.started_at + timedelta(seconds=after))})
        return out

    def respond(self, at: datetime | None = None) -> dict[str, object] | None:
        """The responder first answered the runner at ``at`` (default now): the respond target is
        met or missed at that moment."""
        if self.responded_at is not None:
            return None
        self.responded_at = at or self.now()
        event = self._target("responded", "respond", self.responded_at)
        event["at"] = self.responded_at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        return event

    def resolved(self) -> dict[str, object]:
        event = self._target("resolved", "resolve")
        self.resolved_at = self.now()
        return event

    def _target(self, name: str, key: str, at: datetime | None = None) -> dict[str, object]:
        target = self.targets()[key]
        elapsed = self.elapsed() if at is None else (at - self.started_at).total_seconds()
        event: dict[str, object] = {"name": name, "elapsed": round(elapsed, 3)}
        if target is not None:
            event.update(target=format_duration(target), met=elapsed <= target)
        return event


def _coarse(seconds: float, up: bool = False) -> str:
    """Whole minutes past ten minutes (rounded up for time left): the status line must fit 80
    columns and seconds do not matter there."""
    if seconds < 600:
        return format_duration(seconds)
    return format_duration(-(-seconds // 60) * 60 if up else seconds // 60 * 60)


def _left(what: str, seconds: float) -> tuple[str, bool]:
    if seconds < 0:
        return f"{what} MISSED {_coarse(-seconds)} ago", True
    return f"{_coarse(seconds, up=True)} to {what}", False


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


MAX_AGE = timedelta(days=7)  # an incident older than this is a typo, not a page
_AGO = re.compile(r"^\s*(\S+)\s+ago\s*$", re.I)
_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")


def parse_moment(text: str | None, now: datetime | None = None, check: bool = True) -> datetime:
    """A time given on the command line, in UTC: ``02:10`` (the last such local time, so at 01:00
    it means yesterday), ``20m ago`` / ``1h30m ago``, or an ISO time (local without a zone).
    Default: now.  ValueError (saying what to write) for anything else, a time in the future, or
    one more than a week ago."""
    now = now or datetime.now(UTC)
    if not text:
        return now
    if (ago := _AGO.match(text)) is not None:
        try:
            moment = now - timedelta(seconds=parse_duration(ago.group(1)))
        except ValueError:
            raise ValueError(f"'{ago.group(1)}' is not a duration such as 20m or 1h30m") from None
    elif (clock := _CLOCK.match(text)) is not None:
        hour, minute, second = int(clock.group(1)), int(clock.group(2)), int(clock.group(3) or 0)
        if hour > 23 or minute > 59 or second > 59:
            raise ValueError(f"'{text.strip()}' is not a time of day")
        local = now.astimezone()
        moment = local.replace(hour=hour, minute=minute, second=second, microsecond=0)
        if moment > local + timedelta(minutes=1):
            moment -= timedelta(days=1)  # 23:50 typed at 00:20 is last night
    else:
        try:
            moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ValueError("write a time such as 02:10, '20m ago' or 2024-05-01T03:12:00Z") from None
        if moment.tzinfo is None:
            moment = moment.astimezone()
    moment = moment.astimezone(UTC)
    if not check:
        return moment
    if moment > now + timedelta(minutes=1):
        raise ValueError(f"{_iso(moment)} is in the future (now is {_iso(now)})")
    if now - moment > MAX_AGE:
        raise ValueError(f"{_iso(moment)} is more than {MAX_AGE.days} days ago")
    return moment

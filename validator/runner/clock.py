"""The incident clock: time since the incident started, measured against the severity's targets.

Targets come from the policy's severity level (respond, resolve, update_every,
escalate_after, and the escalation path).  Milestones are events the journal records once:
``responded``, ``update_due``, ``escalation_due`` and ``resolved``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from validator.durations import format_duration
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

    def header(self) -> str:
        """One line: severity, elapsed, time left to respond/resolve, next update due."""
        elapsed = self.elapsed()
        parts = [f"[{self.level.id} {self.level.name}]" if self.level else "[no severity]",
                 f"elapsed {format_duration(elapsed)}"]
        t = self.targets()
        if t["respond"] is not None:
            parts.append("responded" if self.responded_at else _left("respond", t["respond"] - elapsed))
        if self.resolved_at is not None:
            parts.append(f"resolved after {format_duration((self.resolved_at - self.started_at).total_seconds())}")
            return " | ".join(parts)
        if t["resolve"] is not None:
            parts.append(_left("resolve", t["resolve"] - elapsed))
        nxt = self.next_update()
        if nxt is not None:
            left = (nxt - self.now()).total_seconds()
            parts.append(f"status update OVERDUE by {format_duration(-left)}" if left < 0
                         else f"next update in {format_duration(left)}")
        return " | ".join(parts)

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


def _left(what: str, seconds: float) -> str:
    if seconds < 0:
        return f"{what} target MISSED by {format_duration(-seconds)}"
    return f"{format_duration(seconds)} left to {what}"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def parse_started_at(text: str | None) -> datetime:
    """``--started-at``: ISO time; without a zone it is taken as local time. Default: now."""
    if not text:
        return datetime.now(UTC)
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.astimezone(UTC)

"""What each journal event must hold for ``--resume`` and ``timeline`` to read it, checked as it
is read, so a hand-edited or damaged journal gives a located error instead of a crash.

Only the fields the readers use are checked, and only their types: a journal written by an
older or newer runner with extra fields still reads.  ``t: "yesterday"`` or ``pid: "12"`` names
the line and the field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from validator.durations import parse_duration

Check = tuple[str, Callable[[Any], bool]]


def _time(value: Any) -> bool:
    from validator.runner.journal import parse_time

    try:
        parse_time(value)
    except (TypeError, ValueError, AttributeError):
        return False
    return True


def _duration(value: Any) -> bool:
    try:
        parse_duration(value)
    except (TypeError, ValueError, OverflowError):
        return False
    return True


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value: Any) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)) and value == value  # not NaN


def _text(value: Any) -> bool:
    return isinstance(value, str)


def _texts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _mapping(value: Any) -> bool:
    return isinstance(value, dict)


def _targets(value: Any) -> bool:
    return isinstance(value, dict) and all(v is None or (isinstance(v, str) and _duration(v)) for v in value.values())


def _outputs(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())


def _items(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(i, dict) and isinstance(i.get("item"), str) for i in value)


TIME: Check = ("an ISO time such as 2024-05-01T03:12:00Z", _time)
INT: Check = ("a whole number", _int)
NUMBER: Check = ("a number", _number)
TEXT: Check = ("text", _text)
TEXTS: Check = ("a list of texts", _texts)
FLAG: Check = ("true or false", lambda value: isinstance(value, bool))
MAPPING: Check = ("a mapping", _mapping)
OUTPUTS: Check = ("a mapping of texts", _outputs)
TARGETS: Check = ("a mapping of durations such as 15m", _targets)
ITEMS: Check = ("a list of {item, done} entries", _items)

COMMON: dict[str, Check] = {"seq": INT, "t": TIME, "type": TEXT}
REQUIRED: dict[str, dict[str, Check]] = {
    "start": {"file": TEXT, "started_at": TIME},
    "step_start": {"step": TEXT},
    "step_end": {"step": TEXT, "outcome": TEXT},
    "run": {"step": TEXT},
    "exec": {"step": TEXT, "pid": INT},
    "command": {"step": TEXT},
    "goto": {"step": TEXT},
    "end": {"outcome": TEXT},
    "handoff": {"to_user": TEXT},
    "page": {"level": TEXT, "level_index": INT},
}
NULLABLE = {"step", "next", "reason", "start", "boot", "title", "name", "phase", "section", "from_user"}
OPTIONAL: dict[str, Check] = {  # when present (null only where the runner writes null), whatever the event type
    "step": TEXT, "next": TEXT, "outputs": OUTPUTS, "outcome": TEXT, "reason": TEXT, "taken": INT, "start": INT,
    "boot": TEXT, "values": MAPPING, "secret": TEXTS, "gaps": TEXTS, "steps": TEXTS, "targets": TARGETS, "to": TEXTS,
    "items": ITEMS, "elapsed": NUMBER, "duration": NUMBER, "title": TEXT, "name": TEXT, "phase": TEXT, "section": TEXT,
    "host": TEXT, "hosts": TEXTS, "pattern": TEXT,
    "user": TEXT, "from_user": TEXT, "by_hand": TEXTS,
}
BY_TYPE: dict[str, dict[str, Check]] = {  # where one event type gives a field another meaning
    "input": {"secret": FLAG},  # one input asked mid-run: is it secret (its value is masked)
}


def problem(event: Any) -> str | None:
    """Why ``event`` cannot be read, or None."""
    if not isinstance(event, dict):
        return "not a journal event (a JSON object is expected)"
    if "type" not in event:
        return "not a journal event (no 'type' field)"
    for name, (what, ok) in COMMON.items():
        if name not in event:
            return f"no '{name}' field"
        if not ok(event[name]):
            return f"'{name}' must be {what} (found {_clip(event[name])})"
    kind = event["type"]
    for name, (what, ok) in REQUIRED.get(kind, {}).items():
        if event.get(name) is None:
            return f"{kind} event without '{name}'"
        if not ok(event[name]):
            return f"{kind} event: '{name}' must be {what} (found {_clip(event[name])})"
    for name, (what, ok) in (OPTIONAL | BY_TYPE.get(kind, {})).items():
        if name not in event or name in REQUIRED.get(kind, {}) or (event[name] is None and name in NULLABLE):
            continue
        if not ok(event[name]):
            return f"{kind} event: '{name}' must be {what} (found {_clip(event[name])})"
    return None


def _clip(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."

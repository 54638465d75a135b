"""Durations as people write them in runbooks: ``90s``, ``15m``, ``1h30m``, ``2d`` or ISO-8601 ``PT15M``.

Anything else is refused; the schema carries the same grammar as a pattern so editors
flag a bad duration as it is typed.  Each number is bounded (at most 4 digits of days,
5 of hours or minutes, 6 of seconds), so every accepted duration is under 40 years:
timers, sleeps and date arithmetic in the runner, the linter and the site never overflow.
"""

from __future__ import annotations

import re

_SHORT = re.compile(r"(?=\d)(?:(\d{1,4})d)?(?:(\d{1,5})h)?(?:(\d{1,5})m)?(?:(\d{1,6})s)?")
_ISO = re.compile(r"P(?=\d|T\d)(?:(\d{1,4})D)?(?:T(?=\d)(?:(\d{1,5})H)?(?:(\d{1,5})M)?(?:(\d{1,6})S)?)?")
# The same grammar without the bounds, to tell "too long" from "not a duration at all".
_UNBOUNDED = re.compile(r"(?=\d)(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?|P(?=\d|T\d)(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+S)?)?")

#: The longest duration the grammar accepts, in seconds (9999d 99999h 99999m 999999s).
MAX_SECONDS = ((9999 * 24 + 99999) * 60 + 99999) * 60 + 999999
LIMITS = "at most 9999d, 99999h, 99999m or 999999s per number"


class DurationError(ValueError):
    """The text is not a duration this format accepts."""


def too_long(text: object) -> bool:
    """Whether ``text`` has the form of a duration but a number longer than the format allows."""
    return isinstance(text, str) and _UNBOUNDED.fullmatch(text) is not None and \
        _SHORT.fullmatch(text) is None and _ISO.fullmatch(text) is None


def parse_duration(text: str) -> int:
    """Return the duration in seconds, or raise :class:`DurationError` with an example of the grammar."""
    if not isinstance(text, str):
        raise DurationError(f"a duration is text with a unit such as '90s' or '15m', not {text!r}")
    match = _SHORT.fullmatch(text) or _ISO.fullmatch(text)
    if match is None:
        if too_long(text):
            raise DurationError(f"'{text[:40]}' is longer than a duration may be: {LIMITS}")
        raise DurationError(f"'{text[:40]}' is not a duration; write 90s, 15m, 1h30m, 2d or PT15M")
    days, hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    return ((days * 24 + hours) * 60 + minutes) * 60 + seconds


def format_duration(seconds: float) -> str:
    """The shortest readable form, ``1h30m`` rather than ``5400s``; negative values get a minus."""
    total = round(seconds)
    sign = "-" if total < 0 else ""
    total = abs(total)
    if total == 0:
        return "0s"
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        amount, total = divmod(total, size)
        if amount:
            parts.append(f"{amount}{unit}")
    return sign + "".join(parts)

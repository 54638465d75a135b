"""Durations as people write them in runbooks: ``90s``, ``15m``, ``1h30m``, ``2d`` or ISO-8601 ``PT15M``.

Anything else is refused; the schema carries the same grammar as a pattern so editors
flag a bad duration as it is typed.
"""

from __future__ import annotations

import re

_SHORT = re.compile(r"(?=\d)(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")
_ISO = re.compile(r"P(?=\d|T\d)(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?")


class DurationError(ValueError):
    """The text is not a duration this format accepts."""


def parse_duration(text: str) -> int:
    """Return the duration in seconds, or raise :class:`DurationError` with an example of the grammar."""
    if not isinstance(text, str):
        raise DurationError(f"a duration is text with a unit such as '90s' or '15m', not {text!r}")
    match = _SHORT.fullmatch(text) or _ISO.fullmatch(text)
    if match is None:
        raise DurationError(f"'{text}' is not a duration; write 90s, 15m, 1h30m, 2d or PT15M")
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

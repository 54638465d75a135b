"""Durations: every accepted form and what it is worth in seconds; everything else refused,
and the schema's pattern agreeing with the parser on every case."""

from __future__ import annotations

import re

import pytest

from validator.durations import MAX_SECONDS, DurationError, format_duration, parse_duration
from validator.schema import load_schema

ACCEPTED = [
    ("0s", 0), ("1s", 1), ("90s", 90), ("15m", 900), ("1h", 3600), ("2d", 172_800),
    ("1h30m", 5400), ("1d2h3m4s", 93_784), ("2h15s", 7215), ("1d30m", 88_200), ("100m", 6000),
    ("PT15M", 900), ("PT90S", 90), ("PT1H30M", 5400), ("P1D", 86_400), ("P1DT2H", 93_600),
    ("PT1H2M3S", 3723), ("P2DT30M", 174_600),
    ("9999d", 863_913_600), ("999999s", 999_999), ("9999d99999h99999m999999s", MAX_SECONDS),
    ("P9999DT99999H99999M999999S", MAX_SECONDS),
]

# The form of a duration, with a number longer than the format allows.
TOO_LONG = ["10000d", "100000h", "100000m", "1000000s", "99999999999999999999d", "P10000D", "PT1000000S",
            "1d" + "9" * 400 + "s"]

REJECTED = [
    "", " ", "15", "15 m", " 15m", "15m ", "15M", "1H", "m", "h1", "1.5h", "-5m", "+5m", "1m1h", "30s1m",
    "1w", "5min", "1h 30m", "PT", "P", "P1", "PT1D", "P1H", "pt15m", "P1DT", "PT-1M", "1:30", "00:15:00",
    "fifteen minutes",
]


@pytest.mark.parametrize(("text", "seconds"), ACCEPTED)
def test_accepted_duration(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", REJECTED)
def test_rejected_duration_names_the_grammar(text: str) -> None:
    with pytest.raises(DurationError, match="write 90s, 15m, 1h30m, 2d or PT15M"):
        parse_duration(text)


@pytest.mark.parametrize("text", TOO_LONG)
def test_overlong_duration_names_the_limit(text: str) -> None:
    with pytest.raises(DurationError, match="longer than a duration may be: at most 9999d"):
        parse_duration(text)


def test_the_longest_duration_fits_every_clock() -> None:
    """Under 40 years: a 32-bit signed number of seconds, a timedelta, a date before 3050 from 2999."""
    assert MAX_SECONDS < 40 * 365 * 86_400 < 2**31


@pytest.mark.parametrize("value", [15, 1.5, None, True, ["15m"]])
def test_a_duration_must_be_text(value: object) -> None:
    with pytest.raises(DurationError, match="text with a unit"):
        parse_duration(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "valid"), [(t, True) for t, _ in ACCEPTED] + [(t, False) for t in REJECTED + TOO_LONG])
def test_schema_pattern_agrees_with_parser(text: str, valid: bool) -> None:
    pattern = re.compile(load_schema()["$defs"]["duration"]["pattern"])
    assert (pattern.search(text) is not None) is valid


@pytest.mark.parametrize(("seconds", "text"), [
    (0, "0s"), (59, "59s"), (60, "1m"), (90, "1m30s"), (5400, "1h30m"), (86_400, "1d"), (93_784, "1d2h3m4s"),
    (-90, "-1m30s"), (89.6, "1m30s"),
])
def test_format_duration_is_the_shortest_form(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


@pytest.mark.parametrize("text", [t for t, s in ACCEPTED if not t.startswith("P") and s < 10_000 * 86_400])
def test_format_round_trips(text: str) -> None:
    assert parse_duration(format_duration(parse_duration(text))) == parse_duration(text)

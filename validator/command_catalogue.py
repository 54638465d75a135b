"""The catalogue of what commands do (``command_catalogue.yaml`` beside this module), compiled.

The catalogue is data so that adding a tool's destructive verb is one line with its examples,
and the examples are the tests (``tests/rules/test_command_catalogue.py``).  This module only
reads and compiles it; :mod:`validator.commands` matches parsed commands against it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

FILE = Path(__file__).with_name("command_catalogue.yaml")
_REGEX_CHARS = re.compile(r"[\\.*+?()\[\]|^$]")


@dataclass(frozen=True)
class Entry:
    """One kind of command: see the header of the catalogue file for the fields."""

    table: str
    what: str
    programs: frozenset[str]
    program_regex: re.Pattern[str] | None
    args: tuple[re.Pattern[str], ...]
    within: int
    flags: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...]
    lasting: bool
    flagged: tuple[str, ...]
    quiet: tuple[str, ...]


@dataclass(frozen=True)
class Statement:
    """A statement pattern for a database client's language (``sql``, ``mongo``)."""

    table: str
    what: str
    regex: re.Pattern[str] | None
    unbounded: str  # "delete" | "update" | "": DELETE/UPDATE with no WHERE
    flagged: tuple[str, ...]
    quiet: tuple[str, ...]


@dataclass(frozen=True)
class Client:
    """Where a database client reads its statements."""

    language: str
    options: frozenset[str]
    positional: int  # 1-based positional word holding statements; 0 for none
    stdin: bool


@dataclass(frozen=True)
class Catalogue:
    entries: dict[str, tuple[Entry, ...]]  # table -> entries
    by_program: dict[str, dict[str, tuple[Entry, ...]]]  # table -> program -> entries
    by_regex: dict[str, tuple[Entry, ...]]  # table -> entries naming programs by regex
    statements: dict[str, tuple[Statement, ...]]  # language (and "sql_mutating") -> patterns
    values: dict[str, frozenset[str]]  # program -> options that take a value
    clients: dict[str, Client]
    canonical: dict[str, str]  # alias -> the tool's name (oc -> kubectl)


def _full(patterns: list[str]) -> tuple[re.Pattern[str], ...]:
    """Compiled for ``fullmatch``; a leading ``(?i)`` makes that one case-insensitive."""
    return tuple(re.compile(p[4:], re.IGNORECASE) if p.startswith("(?i)") else re.compile(p) for p in patterns)


def _entry(table: str, raw: dict[str, Any]) -> Entry:
    names = [str(p) for p in raw.get("program", [])]
    literal = frozenset(n for n in names if not _REGEX_CHARS.search(n))
    regexes = [n for n in names if _REGEX_CHARS.search(n)]
    return Entry(table, str(raw["what"]), literal, re.compile("|".join(f"(?:{r})" for r in regexes)) if regexes else None,
                 _full(raw.get("args", [])), int(raw.get("within", 1)), _full(raw.get("flags", [])),
                 _full(raw.get("unless", [])), bool(raw.get("lasting", True)),
                 tuple(raw.get("flagged", ())), tuple(raw.get("quiet", ())))


def _statement(table: str, raw: dict[str, Any]) -> Statement:
    return Statement(table, str(raw["what"]), re.compile(raw["regex"]) if "regex" in raw else None,
                     str(raw.get("unbounded", "")), tuple(raw.get("flagged", ())), tuple(raw.get("quiet", ())))


@cache
def load() -> Catalogue:
    raw: dict[str, Any] = yaml.load(FILE.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    entries = {table: tuple(_entry(table, e) for e in raw[table]) for table in ("destructive", "mutating", "endless")}
    by_program: dict[str, dict[str, tuple[Entry, ...]]] = {}
    by_regex: dict[str, tuple[Entry, ...]] = {}
    for table, rows in entries.items():
        index: dict[str, list[Entry]] = {}
        for e in rows:
            for name in e.programs:
                index.setdefault(name, []).append(e)
        by_program[table] = {k: tuple(v) for k, v in index.items()}
        by_regex[table] = tuple(e for e in rows if e.program_regex is not None)
    statements = {lang: tuple(_statement(lang, s) for s in rows) for lang, rows in raw["statements"].items()}
    statements["sql_mutating"] = tuple(_statement("sql_mutating", s) for s in raw["sql_mutating"])
    values: dict[str, frozenset[str]] = {}
    clients: dict[str, Client] = {}
    canonical: dict[str, str] = {}
    for section in ("tools", "clients"):
        for name, spec in raw[section].items():
            for alias in (name, *spec.get("aliases", ())):
                canonical[alias] = name
                values[alias] = frozenset(spec.get("values", ())) | frozenset(spec.get("options", ()))
                if section == "clients":
                    clients[alias] = Client(spec["statements"], frozenset(spec.get("options", ())),
                                            int(spec.get("positional", 0)), bool(spec.get("stdin", False)))
    return Catalogue(entries, by_program, by_regex, statements, values, clients, canonical)

"""Runbook inputs: from ``--input name=value``, ``RUNBOOK_INPUT_<NAME>`` or a prompt, each
checked against its declared type, pattern, choices and range before the run starts.

Secret inputs are read without echo and handed straight to the redactor; the journal
records only that they were given.
"""

from __future__ import annotations

import os
import re
from typing import Any

from validator.findings import ConfigError
from validator.model import Input, Runbook
from validator.runner.prompts import Console

_TRUE, _FALSE = {"true", "yes", "y", "1", "on"}, {"false", "no", "n", "0", "off"}


def parse_pairs(pairs: tuple[str, ...], runbook: Runbook) -> dict[str, str]:
    given: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise ConfigError(f"--input {pair!r}: write --input NAME=VALUE")
        if runbook.input(name) is None:
            known = ", ".join(i.name for i in runbook.inputs) or "none"
            raise ConfigError(f"--input {name}: runbook '{runbook.id}' has no such input (inputs: {known})")
        given[name] = value
    return given


def convert(spec: Input, raw: Any) -> Any:
    """The typed value, or ValueError saying what is wrong (never repeating a secret value)."""
    shown = "the value" if spec.secret else f"'{raw}'"
    if spec.type == "int":
        try:
            value: Any = int(str(raw).strip())
        except ValueError:
            raise ValueError(f"{shown} is not a whole number") from None
        if spec.min is not None and value < spec.min:
            raise ValueError(f"{'the value' if spec.secret else value} is below the minimum {spec.min}")
        if spec.max is not None and value > spec.max:
            raise ValueError(f"{'the value' if spec.secret else value} is above the maximum {spec.max}")
        return value
    if spec.type == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in _TRUE | _FALSE:
            return text in _TRUE
        raise ValueError(f"{shown} is not yes or no")
    value = str(raw)
    if spec.choices and value not in [str(c) for c in spec.choices]:
        raise ValueError(f"{shown} is not one of: {', '.join(str(c) for c in spec.choices)}")
    try:
        matched = not spec.pattern or re.fullmatch(spec.pattern, value) is not None
    except re.error as err:
        raise ValueError(f"the input's pattern {spec.pattern} is not a valid regular expression ({err})") from None
    if not matched:
        raise ValueError(f"the value does not match the pattern {spec.pattern}")
    return value


def _describe(spec: Input) -> str:
    bits = [spec.name]
    if spec.description:
        bits.append(f"- {spec.description}")
    if spec.choices:
        bits.append(f"({'/'.join(str(c) for c in spec.choices)})")
    elif spec.type in ("int", "bool"):
        bits.append(f"({'yes/no' if spec.type == 'bool' else 'number'})")
    return " ".join(bits)


def collect(runbook: Runbook, given: dict[str, str], console: Console, interactive: bool,
            skip: set[str] | None = None, examples: bool = False, defer: bool = False) -> dict[str, Any]:
    """Every input's value; unattended runs never prompt, so a missing required value is an error
    (an unattended drill takes the input's documented ``example`` instead).  With ``defer``, an
    interactive run leaves the inputs not given for the step that first needs them to ask."""
    values: dict[str, Any] = {}
    for spec in runbook.inputs:
        if skip and spec.name in skip:
            continue
        raw: Any = given.get(spec.name, os.environ.get(f"RUNBOOK_INPUT_{spec.name.upper()}"))
        if raw is not None:
            try:
                values[spec.name] = convert(spec, raw)
            except ValueError as err:
                raise ConfigError(f"input {spec.name}: {err}") from None
            if spec.secret:
                console.redactor.add(values[spec.name])
            continue
        if not interactive:
            if spec.default is not None or not spec.required:
                values[spec.name] = convert(spec, spec.default) if spec.default is not None else None
                continue
            if examples and spec.example is not None:
                values[spec.name] = convert(spec, spec.example)
                continue
            raise ConfigError(f"input {spec.name} is required: pass --input {spec.name}=VALUE")
        if not defer:
            values[spec.name] = ask(spec, console)
    return values


def ask(spec: Input, console: Console) -> Any:
    while True:
        if spec.secret:
            raw: Any = console.secret(f"{_describe(spec)} (hidden)")
        else:
            default = None if spec.default is None else str(spec.default).lower() if spec.type == "bool" else str(spec.default)
            raw = console.line(_describe(spec), default)
        if raw == "" and spec.default is None:
            if not spec.required:
                return None
            console.say(f"{spec.name} is required.")
            continue
        if raw == "" and spec.default is not None:
            raw = spec.default
        try:
            return convert(spec, raw)
        except ValueError as err:
            console.say(f"{spec.name}: {err}; try again.")

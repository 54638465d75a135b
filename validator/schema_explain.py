"""Why a document failed the schema, in the author's terms, pointing at the exact key or value.

:mod:`validator.schema` imports this module only for a document that ``jsonschema-rs``
rejected: ``jsonschema`` (pure Python, with its format checkers) is slow to import and to
run, but its errors carry paths and schema context.  They are translated here into
findings such as "unknown key 'tiemout' in steps[0] — did you mean 'timeout'?".
"""

from __future__ import annotations

import difflib
import functools
import json
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError

from validator import durations
from validator.findings import MAX_PER_FILE, TRUNCATED, Finding, Severity, clip
from validator.locate import Locator
from validator.schema import load_schema, shown, sub_schema
from validator.schema_select import accepted_types, choose_branch, drop_echoes, unknown_keys

STEP_KINDS = ("run", "script", "manual", "checklist", "notify", "wait", "decide", "runbook")


@functools.cache
def _slow(kind: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(sub_schema(kind))


def findings(path: str, kind: str, data: dict[str, Any], locator: Locator) -> list[Finding]:
    """The findings for a document of ``kind`` that does not match its schema."""
    found: list[Finding] = []
    errors, rest = _errors(kind, data)
    for err in errors:
        if err.validator == "additionalProperties":
            found.extend(_unknown_key(path, err, locator, key) for key in unknown_keys(err))
        else:
            found.append(_finding(path, err, locator))
    if rest is not None:
        found.append(Finding(*_where(path, locator, list(rest.absolute_path)), TRUNCATED, Severity.ERROR,
                             f"the format check stopped here, after {MAX_PER_FILE} problems; there are more",
                             "fix the problems listed and validate again"))
    return found


def _errors(kind: str, data: dict[str, Any]) -> tuple[list[ValidationError], ValidationError | None]:
    """The schema's errors, explained, and the first one left unexamined when there are too many.

    A generated file can fail the schema hundreds of thousands of times (``steps: [1, 1, …]``);
    explaining and locating each would take minutes, so the check stops at the limit.
    """
    found: list[ValidationError] = []
    for count, err in enumerate(_slow(kind).iter_errors(data)):
        if count == MAX_PER_FILE:
            return list(drop_echoes(found)), err
        found.extend(_explainable(err))
    return list(drop_echoes(found)), None


def _explainable(err: ValidationError) -> list[ValidationError]:
    """Replace a failed ``oneOf`` by the errors of the branch the author meant (see :mod:`validator.schema_select`)."""
    if err.validator not in ("oneOf", "anyOf") or not err.context or _is_step_kind(err) or _is_targeted_kind(err):
        return [err]
    chosen = choose_branch(err, load_schema())
    if not chosen:
        return [err]
    return [e for sub in chosen for e in _explainable(sub)]


def _is_step_kind(err: ValidationError) -> bool:
    return err.validator == "oneOf" and isinstance(err.schema, dict) and \
        err.schema.get("oneOf") == [{"required": [k]} for k in STEP_KINDS]


def _is_targeted_kind(err: ValidationError) -> bool:
    """``targets:`` on a step that is neither a command nor a script (the step's dependentSchemas)."""
    return err.validator == "anyOf" and isinstance(err.schema, dict) and \
        err.schema.get("anyOf") == [{"required": ["run"]}, {"required": ["script"]}]


def _where(path: str, locator: Locator, at: list[str | int], key: bool = False) -> tuple[str, int, int]:
    line, col = locator.locate(at, key=key)
    return path, line, col


def _label(at: list[str | int]) -> str:
    """A readable name for where the error is: ``steps[3].expect``."""
    out = ""
    for part in at:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the document"


def _unknown_key(path: str, err: ValidationError, locator: Locator, key: str) -> Finding:
    at = list(err.absolute_path)
    allowed = sorted(err.schema.get("properties", {})) if isinstance(err.schema, dict) else []
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else "allowed keys: " + ", ".join(allowed)
    if key == "<<":
        hint = "YAML merge keys (<<) are not supported: write the keys out, or use a plain alias for a whole value"
    return Finding(*_where(path, locator, [*at, key], key=True), "F001", Severity.ERROR,
                   f"unknown key '{clip(key)}' in {_label(at)}", hint)


def _finding(path: str, err: ValidationError, locator: Locator) -> Finding:
    at = list(err.absolute_path)
    where = _label(at)
    schema = err.schema if isinstance(err.schema, dict) else {}
    v = err.validator
    if v == "required":
        missing = str(err.message).split("'")[1] if "'" in err.message else str(err.validator_value)
        return Finding(*_where(path, locator, at, key=True), "F002", Severity.ERROR,
                       f"{where} is missing the required key '{missing}'", "")
    if v == "dependentRequired":
        needed, _, trigger = str(err.message).partition(" is a dependency of ")
        needed, trigger = needed.strip("'"), trigger.strip("'")
        return Finding(*_where(path, locator, [*at, trigger], key=True), "F002", Severity.ERROR,
                       f"{where}: '{trigger}' needs '{needed}' too", _DEPENDENCY_HINT.get(trigger, f"add '{needed}'"))
    if v == "not" and err.validator_value == {"required": ["capture"]}:
        return Finding(*_where(path, locator, [*at, "capture"], key=True), "F006", Severity.ERROR,
                       f"{where} has targets and capture: a targeted step has one output per host, and a value "
                       "is captured from one output", "capture the value in a step without targets")
    if _is_targeted_kind(err):
        return Finding(*_where(path, locator, [*at, "targets"], key=True), "F006", Severity.ERROR,
                       f"{where} has targets: only a command (run:) or a script runs on hosts",
                       "remove `targets:`, or make the step a command")
    if v == "oneOf" and _is_step_kind(err):
        present = [k for k in STEP_KINDS if isinstance(err.instance, dict) and k in err.instance]
        if present:
            msg = f"{where} has {' and '.join(present)}: a step does exactly one thing"
            anchor = [*at, present[1]]
        else:
            msg = f"{where} does nothing: a step needs one of {', '.join(STEP_KINDS)}"
            anchor = at
        return Finding(*_where(path, locator, anchor, key=bool(present)), "F006", Severity.ERROR, msg,
                       "split it into two steps" if present else "add `run:` for a command or `manual:` for an instruction")
    if v == "pattern" and schema.get("pattern") == load_schema()["$defs"]["duration"]["pattern"]:
        if durations.too_long(err.instance):
            return Finding(*_where(path, locator, at), "F003", Severity.ERROR,
                           f"{where}: {shown(err.instance)} is longer than a duration may be", durations.LIMITS)
        return Finding(*_where(path, locator, at), "F003", Severity.ERROR,
                       f"{where}: {shown(err.instance)} is not a duration",
                       "write 90s, 15m, 1h30m, 2d or ISO-8601 such as PT15M")
    if v == "pattern" and schema.get("pattern") == load_schema()["$defs"]["date"]["pattern"]:
        return Finding(*_where(path, locator, at), "F005", Severity.ERROR,
                       f"{where}: {shown(err.instance)} is not a date from 1900 to 2999", "write the date as YYYY-MM-DD")
    if v == "type" and schema.get("pattern") == load_schema()["$defs"]["duration"]["pattern"]:
        return Finding(*_where(path, locator, at), "F003", Severity.ERROR,
                       f"{where}: {shown(err.instance)} is not a duration", "durations need a unit: write '90s' or '15m'")
    if v == "type":
        wanted = err.validator_value if isinstance(err.validator_value, str) else " or ".join(err.validator_value)  # type: ignore[arg-type]
        return Finding(*_where(path, locator, at), "F004", Severity.ERROR,
                       f"{where} should be {_article(wanted)}, not {_describe(err.instance)}", _type_hint(wanted, err.instance))
    if v == "const" and at and at[-1] in ("version", "kind"):
        return Finding(*_where(path, locator, at), "F007", Severity.ERROR,
                       f"{where} is {shown(err.instance)}; this tool reads {at[-1]} {json.dumps(err.validator_value)}",
                       "upgrade the tool, or fix the value")
    if v == "enum":
        options = [str(o) for o in err.validator_value]  # type: ignore[union-attr]
        close = difflib.get_close_matches(str(err.instance), options, n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'?" if close else "one of: " + ", ".join(options)
        return Finding(*_where(path, locator, at), "F005", Severity.ERROR,
                       f"{where}: {shown(err.instance)} is not one of {', '.join(options)}", hint)
    if v in ("oneOf", "anyOf") and err.context and not _is_step_kind(err):
        wanted = " or ".join(_article(t) for t in accepted_types(err, load_schema()))
        if wanted:
            return Finding(*_where(path, locator, at), "F004", Severity.ERROR,
                           f"{where} should be {wanted}, not {_describe(err.instance)}", schema.get("description", ""))
    if v in ("minItems", "minLength") and err.validator_value == 1:
        return Finding(*_where(path, locator, at), "F005", Severity.ERROR, f"{where} is empty",
                       "add at least one item" if v == "minItems" else "give a value, or remove the key")
    if v == "uniqueItems" and isinstance(err.instance, list):
        seen: list[Any] = []
        for index, item in enumerate(err.instance):
            if item in seen:
                return Finding(*_where(path, locator, [*at, index]), "F005", Severity.ERROR,
                               f"{where} lists {shown(item)} twice", "remove the repeated item")
            seen.append(item)
    if v == "pattern" and len(err.relative_schema_path) >= 2 and err.relative_schema_path[-2] == "propertyNames":
        return Finding(*_where(path, locator, [*at, str(err.instance)], key=True), "F005", Severity.ERROR,
                       f"{where}: {shown(err.instance)} is not a valid name", f"names must match {err.validator_value}")
    if v == "pattern":
        return Finding(*_where(path, locator, at), "F005", Severity.ERROR, f"{where}: {shown(err.instance)} has the wrong form",
                       schema.get("description", "") or f"it must match {err.validator_value}")
    if v in ("minimum", "maximum"):
        word = "at least" if v == "minimum" else "at most"
        return Finding(*_where(path, locator, at), "F005", Severity.ERROR,
                       f"{where}: {shown(err.instance)} is out of range; it must be {word} {err.validator_value}", "")
    description = schema.get("description", "")
    return Finding(*_where(path, locator, at), "F005", Severity.ERROR, f"{where}: {_short(err.message)}", description)


_DEPENDENCY_HINT = {
    "notify": "name the template (from the policy) to send",
    "template": "add `notify: [ROLE]`: whom to send the template to",
    "args": "args go with `script:`; for a shell command put the arguments in `run:`",
}



def _article(word: str) -> str:
    names = {"object": "a mapping", "array": "a list", "string": "text", "integer": "a whole number",
             "boolean": "true or false", "number": "a number"}
    return names.get(word, word)


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty (null)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return f"the text {shown(value)}"


def _type_hint(wanted: str, value: Any) -> str:
    if wanted == "string" and isinstance(value, (int, float, bool)):
        return "quote the value"
    if wanted == "string" and value is None:
        return "give a value, or remove the key"
    if wanted == "array" and isinstance(value, str):
        return f"write it as a list: [{clip(value)}]"
    if wanted in ("integer", "number") and isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return "remove the quotes"
    if wanted == "boolean" and isinstance(value, str):
        return "write true or false, without quotes"
    return ""


def _short(message: str) -> str:
    return message if len(message) <= 160 else message[:157] + "..."

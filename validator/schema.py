"""The JSON Schema check: fast on the happy path, precise when something is wrong.

Valid documents are checked by ``jsonschema-rs`` (compiled, in Rust), which is many
times faster than pure-Python validation.  Only a document that fails is validated again,
by :mod:`validator.schema_explain`, which turns ``jsonschema``'s detailed errors into
findings in the author's terms.  That module (and ``jsonschema`` with its format checkers,
a quarter of a second of imports) is loaded only then: a clean file never pays for it.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import jsonschema_rs

from validator.findings import Finding, Severity, clip
from validator.locate import Locator

KINDS = ("runbook", "policy")
SCHEMA_FILE = "runbook.schema.json"


def schema_path() -> Path:
    """Where the published schema lives: inside the installed package, or ``schema/`` in a checkout.

    The wheel unpacks the schema beside this module (``validator/_schema``), so a path from
    ``__file__`` finds it without ``importlib.resources`` (and the modules it imports).
    """
    here = Path(__file__).resolve().parent
    packaged = here / "_schema" / SCHEMA_FILE
    return packaged if packaged.is_file() else here.parent / "schema" / SCHEMA_FILE


@functools.cache
def load_schema() -> dict[str, Any]:
    with schema_path().open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


def sub_schema(kind: str) -> dict[str, Any]:
    """The schema of one kind of document alone, so errors are not reported through the top-level ``if``."""
    schema = load_schema()
    return {"$schema": schema["$schema"], "$ref": f"#/$defs/{kind}", "$defs": schema["$defs"]}


@functools.cache
def _fast(kind: str) -> Any:
    return jsonschema_rs.validator_for(sub_schema(kind))


def check(path: str, data: dict[str, Any], locator: Locator) -> list[Finding]:
    """Validate one loaded document; an empty list means it matches the schema."""
    kind = data.get("kind")
    if kind not in KINDS:
        line, col = locator.locate(["kind"]) if "kind" in data else (1, 1)
        written = shown(kind) if "kind" in data else "missing"
        return [Finding(path, line, col, "F007", Severity.ERROR, f"kind is {written}; a document is a runbook or a policy",
                        "add `kind: runbook` or `kind: policy`")]
    if _fast(kind).is_valid(data):
        return []
    from validator import schema_explain  # only a failing document needs jsonschema's detailed errors

    return schema_explain.findings(path, kind, data, locator)


def shown(value: Any) -> str:
    """A value as the author wrote it, quoted, and clipped when long."""
    if isinstance(value, str):
        return "'" + clip(value) + "'"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return clip(json.dumps(value))

"""Choose which schema errors to explain, so the author reads one useful message per mistake.

``jsonschema`` reports a failed ``oneOf`` as "is not valid under any of the given schemas"
with every branch's errors underneath.  Its ``best_match`` picks by depth, which for
``on_failure: {goto: a, maxx: 2}`` blames the string branch ("not one of abort, continue…").
Here the branch is chosen the way a reader would: first by the kind of value written
(text, list or mapping), then by how many of the written keys the branch knows.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # only the error path (validator.schema_explain) calls these, and it imports jsonschema itself
    from jsonschema.exceptions import ValidationError

_JSON_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


def json_type_fits(value: Any, wanted: str) -> bool:
    """Whether ``value`` (loaded YAML) has the JSON type ``wanted``; booleans are not numbers."""
    if wanted in ("integer", "number"):
        return isinstance(value, int if wanted == "integer" else (int, float)) and not isinstance(value, bool)
    expected = _JSON_TYPES.get(wanted)
    return expected is not None and isinstance(value, expected)


def branch_types(branch: dict[str, Any]) -> list[str]:
    """The JSON types a ``oneOf`` branch accepts, from its ``type`` or its ``enum``/``const`` values."""
    declared = branch.get("type")
    if isinstance(declared, str):
        return [declared]
    if isinstance(declared, list):
        return [str(t) for t in declared]
    values = branch.get("enum", [branch["const"]] if "const" in branch else [])
    kinds = {"boolean" if isinstance(v, bool) else "string" if isinstance(v, str) else
             "integer" if isinstance(v, int) else "object" if isinstance(v, dict) else "array" for v in values}
    return sorted(kinds)


def _resolve(branch: Any, root: dict[str, Any]) -> dict[str, Any]:
    while isinstance(branch, dict) and isinstance(branch.get("$ref"), str) and branch["$ref"].startswith("#/$defs/"):
        branch = root.get("$defs", {}).get(branch["$ref"].split("/")[-1], {})
    return branch if isinstance(branch, dict) else {}


def choose_branch(err: ValidationError, root: dict[str, Any]) -> list[ValidationError]:
    """The errors of the ``oneOf``/``anyOf`` branch the author most plausibly meant."""
    branches = [_resolve(b, root) for b in err.validator_value]  # type: ignore[union-attr]
    by_branch: dict[int, list[ValidationError]] = {}
    for sub in err.context or []:
        index = sub.relative_schema_path[0] if sub.relative_schema_path else 0
        by_branch.setdefault(int(index), []).append(sub)
    instance = err.instance
    fitting = [i for i, b in enumerate(branches)
               if not branch_types(b) or any(json_type_fits(instance, t) for t in branch_types(b))]
    if not fitting:
        return []
    keys = set(instance) if isinstance(instance, dict) else set()

    def score(i: int) -> tuple[int, int]:
        known = set(branches[i].get("properties", {}))
        return (len(keys & known), -len(by_branch.get(i, [])))

    chosen = max(fitting, key=score)
    return list(by_branch.get(chosen, []))


def accepted_types(err: ValidationError, root: dict[str, Any]) -> list[str]:
    """Every JSON type some branch of a failed ``oneOf``/``anyOf`` accepts, for "should be text or a mapping"."""
    out: list[str] = []
    for branch in err.validator_value:  # type: ignore[union-attr]
        for t in branch_types(_resolve(branch, root)):
            if t not in out:
                out.append(t)
    return out


def unknown_keys(err: ValidationError) -> list[str]:
    """The keys an ``additionalProperties`` error complains about."""
    known = err.schema.get("properties", {}) if isinstance(err.schema, dict) else {}
    return [k for k in err.instance if k not in known] if isinstance(err.instance, dict) else []


def drop_echoes(errors: list[ValidationError]) -> Iterator[ValidationError]:
    """Leave out "missing key 'title'" when the same mapping has an unknown key 'titel': one fix, one message."""
    typos: dict[tuple[Any, ...], set[str]] = {}
    for err in errors:
        if err.validator == "additionalProperties":
            known = sorted(err.schema.get("properties", {})) if isinstance(err.schema, dict) else []
            close = {m for k in unknown_keys(err) for m in difflib.get_close_matches(k, known, n=1, cutoff=0.6)}
            typos.setdefault(tuple(err.absolute_path), set()).update(close)
    for err in errors:
        if err.validator == "required":
            missing = str(err.message).split("'")[1] if "'" in err.message else ""
            if missing in typos.get(tuple(err.absolute_path), set()):
                continue
        yield err

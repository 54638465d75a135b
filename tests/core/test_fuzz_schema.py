"""Property-based fuzzing of the schema check: a bundled runbook or policy with one value replaced
by arbitrary JSON-like data (or a key removed or added) is either reported with located findings,
or it is valid and then the model builds from it without a single complaint: the schema vouches
for every shape :mod:`validator.build` relies on.  Durations get a property of their own: the
schema's pattern and the parser accept exactly the same texts.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import yaml
from hypothesis import event, given, settings
from hypothesis import strategies as st

from validator import build, schema
from validator.durations import _UNBOUNDED, MAX_SECONDS, DurationError, parse_duration
from validator.locate import Locator
from validator.model import Source
from validator.yamlsafe import load_text

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [load_text(str(p), p.read_text(encoding="utf-8")).data
             for p in sorted((ROOT / "runbooks").glob("*.yaml")) + sorted((ROOT / "examples").glob("*/*.yaml"))]


def _property_names(node: Any, found: set[str]) -> set[str]:
    if isinstance(node, dict):
        found.update(k for k in node.get("properties", {}) if isinstance(k, str))
        for value in node.values():
            _property_names(value, found)
    elif isinstance(node, list):
        for value in node:
            _property_names(value, found)
    return found


KEYS = sorted(_property_names(schema.load_schema(), set()))
ODD = ["9999-12-31", "2024-02-30", "99999999999999999999d", "9999d99999h99999m999999s", "PT0S", "P1DT", "", " ", "P1",
       "policy", "runbook", "read-only", "destructive", "abort", "rollback", "P1", "SEV1", "+44 20 7946 0958",
       "https://example.org", "javascript:x()", "${x}", "a" * 300, "\u202e", "\x1b[2K", "::error::x"]
leaves = (st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=12)
          | st.sampled_from(ODD))
values = st.recursive(leaves, lambda kids: st.lists(kids, max_size=3)
                      | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), kids, max_size=3), max_leaves=12)


def _paths(node: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [at] if at else []
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*at, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += _paths(value, (*at, index))
    return out


@st.composite
def edited_document(draw: st.DrawFn) -> dict[str, Any]:
    doc = copy.deepcopy(draw(st.sampled_from(DOCUMENTS)))
    for _ in range(draw(st.integers(1, 2))):
        paths = _paths(doc)
        at = draw(st.sampled_from(paths))
        parent = doc
        for part in at[:-1]:
            parent = parent[part]
        edit = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        if edit == "replace":
            parent[at[-1]] = draw(leaves if isinstance(parent[at[-1]], (str, int, float, bool)) else values)
        elif edit == "delete":
            del parent[at[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(KEYS))] = draw(values)
    return doc


@settings(max_examples=max(10, settings.default.max_examples // 2))
@given(edited_document())
def test_edited_documents_are_reported_or_build(doc: dict[str, Any]) -> None:
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    loaded = load_text("edited.yaml", text)
    if loaded.data is None:
        return  # the dump made something the loader refuses (a YAML 1.1 trap, a tab): its own findings say so
    locator = Locator(text)
    findings = schema.check("edited.yaml", loaded.data, locator)
    lines = text.count("\n") + 1
    for f in findings:
        assert f.rule and f.message and 1 <= f.line <= lines and f.col >= 1, f
    event("schema-valid" if not findings else "reported")
    if not findings:
        source = Source("edited.yaml", "edited.yaml", locator)
        made = build.policy(loaded.data, source) if loaded.data["kind"] == "policy" else build.runbook(loaded.data, source)
        assert made.id == loaded.data["id"]


DURATION_PATTERN = re.compile(schema.load_schema()["$defs"]["duration"]["pattern"])
duration_like = (st.from_regex(_UNBOUNDED, fullmatch=True)
                 | st.text(alphabet="0123456789dhmsPTDHMS ", max_size=16) | st.text(max_size=8))


@given(duration_like)
def test_schema_and_parser_accept_the_same_durations(text: str) -> None:
    try:
        seconds = parse_duration(text)
    except DurationError as err:
        assert DURATION_PATTERN.search(text) is None, text
        assert str(err)
    else:
        assert DURATION_PATTERN.search(text) is not None, text
        assert 0 <= seconds <= MAX_SECONDS

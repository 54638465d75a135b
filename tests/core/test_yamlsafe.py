"""The safe loader on its own: what it accepts, what it refuses and where it says the problem is."""

from __future__ import annotations

from typing import Any

import pytest

from validator.yamlsafe import MAX_EXPANDED_NODES, load_bytes, load_text


def _data(text: str) -> Any:
    loaded = load_text("x.yaml", text)
    assert loaded.findings == [], loaded.findings
    return loaded.data


def _problems(text: str | bytes) -> list[tuple[str, int, int, str]]:
    loaded = load_bytes("x.yaml", text if isinstance(text, bytes) else text.encode("utf-8"))
    return [(f.rule, f.line, f.col, f.message) for f in loaded.findings]


@pytest.mark.parametrize(("text", "value"), [
    ("v: true", True), ("v: False", False), ("v: 42", 42), ("v: -7", -7), ("v: 0x1F", 31), ("v: 0o17", 15),
    ("v: 1.5", 1.5), ("v: 1e3", 1000.0), ("v: .inf", float("inf")), ("v: ~", None), ("v:", None), ("v: null", None),
    ("v: 2026-10-01", "2026-10-01"), ("v: 12:30:00Z", "12:30:00Z"), ("v: 0", 0), ("v: '0755'", "0755"),
    ('v: "yes"', "yes"), ("v: 1_000", "1_000"), ("v: 0b101", "0b101"), ("v: =", "="),
])
def test_yaml_12_like_resolution(text: str, value: Any) -> None:
    assert _data(text + "\n") == {"v": value}


@pytest.mark.parametrize(("text", "rule", "col"), [
    ("v: yes", "Y003", 4), ("v: NO", "Y003", 4), ("v: y", "Y003", 4), ("v: Off", "Y003", 4),
    ("on: push", "Y003", 1), ("v: 1:30", "Y004", 4), ("v: -1:30:00", "Y004", 4), ("v: 190:20:30.15", "Y004", 4),
    ("v: 0755", "Y005", 4), ("v: -012", "Y005", 4), ("v: [a, no]", "Y003", 8),
])
def test_yaml_11_traps_are_reported_and_kept_as_text(text: str, rule: str, col: int) -> None:
    loaded = load_text("x.yaml", text + "\n")
    assert [(f.rule, f.line, f.col) for f in loaded.findings] == [(rule, 1, col)]
    assert "quote it" in loaded.findings[0].hint


def test_tabs_inside_text_are_fine() -> None:
    text = "steps:\n  - run: |\n      cat <<-EOF\n      \tindented by a tab\n      EOF\n    env: {A: 'x\ty'}\n"
    assert _data(text)["steps"][0]["run"] == "cat <<-EOF\n\tindented by a tab\nEOF\n"
    assert _data("key:\tvalue\nlist: [\n\t1,\n\t2]\n") == {"key": "value", "list": [1, 2]}


@pytest.mark.parametrize(("text", "position"), [
    ("a: 1\n\tb: 2\n", (2, 1)),
    ("a:\n\t b: 1\n", (2, 1)),
    ("a:\n  - x\n  \t- y\n", (3, 3)),
])
def test_tab_indentation_is_located_at_the_tab(text: str, position: tuple[int, int]) -> None:
    assert _problems(text) == [("Y008", *position, "tab character in indentation")]


def test_nul_byte_column_counts_characters_not_bytes() -> None:
    assert _problems("title: café \0\n".encode()) == [
        ("Y012", 1, 13, "binary data (a NUL byte): this is not a YAML text file")]


def test_utf16_is_named() -> None:
    assert _problems("a: 1\n".encode("utf-16")) == [("Y006", 1, 1, "the file is UTF-16 text")]


def test_utf8_bom_is_accepted() -> None:
    assert load_bytes("x.yaml", b"\xef\xbb\xbfa: 1\n").data == {"a": 1}


def test_invalid_utf8_position() -> None:
    assert _problems(b"a: 1\nb: ok\nc: caf\xe9\n") == [("Y006", 3, 7, "byte 0xe9 is not valid UTF-8")]


def test_crlf_line_endings_keep_positions() -> None:
    assert _problems("a: 1\r\nb: yes\r\n") == [("Y003", 2, 4, "'yes' is a boolean in YAML 1.1 but text here")]


def test_duplicate_keys_in_nested_flow_mapping() -> None:
    assert _problems("a:\n  b: {c: 1, d: 2, c: 3}\n") == [("Y002", 2, 19, "duplicate key 'c'")]


def test_long_duplicate_key_is_clipped() -> None:
    key = "k" * 1000
    [(rule, line, col, message)] = _problems(f"{key}: 1\n{key}: 2\n")
    assert (rule, line, col) == ("Y002", 2, 1) and len(message) < 80


def test_small_aliases_are_allowed() -> None:
    assert _data("base: &b {x: 1}\nother: *b\nlist: [*b, *b]\n") == {
        "base": {"x": 1}, "other": {"x": 1}, "list": [{"x": 1}, {"x": 1}]}


def test_merge_key_is_not_expanded() -> None:
    assert _data("base: &b {x: 1}\nother:\n  <<: *b\n") == {"base": {"x": 1}, "other": {"<<": {"x": 1}}}


def test_alias_expansion_limit_counts_expanded_nodes() -> None:
    # 3 levels of 100 aliases: 10^6 nodes once expanded, from a few hundred bytes
    lines = ["a: &a [x]"]
    for i, name in enumerate("bcd"):
        prev = "abc"[i]
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 100) + "]")
    [(rule, line, col, message)] = _problems("\n".join(lines) + "\n")
    assert (rule, line, col) == ("Y010", 2, 8) and f"{MAX_EXPANDED_NODES:,} nodes" in message


@pytest.mark.parametrize(("text", "message"), [
    ("a: [1, 2\n", "YAML syntax: did not find expected ',' or ']' (while parsing a flow sequence on line 1)"),
    ("a: b: c\n", "YAML syntax: mapping values are not allowed in this context"),
    ('a: "open\n', "YAML syntax: found unexpected end of stream (while scanning a quoted scalar on line 1)"),
    ("a: @x\n", "YAML syntax: found character that cannot start any token"),
    ("a: 1\n---\nb: 2\n", "YAML syntax: more than one YAML document in the file"),
    ("a: &x 1\nb: *y\n", "YAML syntax: found undefined alias '*y': define the anchor (&y) before using it"),
])
def test_syntax_errors_are_readable(text: str, message: str) -> None:
    [(rule, _, _, found)] = _problems(text)
    assert rule == "Y001"
    assert found.startswith(message)

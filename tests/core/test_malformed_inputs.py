"""Malformed input, through the real ``validate_runbook``: a located finding and exit 1, never a traceback.

Small cases are committed under ``tests/fixtures/malformed/``; big ones (a 20 MB file,
100,000 levels of nesting) are generated in ``tmp_path``.  Each file is copied into a
folder of its own so that policy discovery cannot pull a neighbour in.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from core_helpers import Ran, assert_clean_failure, rules_at, validate, validate_json

MALFORMED = Path(__file__).resolve().parent.parent / "fixtures" / "malformed"

# file -> every finding expected: (rule, line, column, words the message must contain)
EXPECTED: dict[str, list[tuple[str, int, int, str]]] = {
    "empty.yaml": [("Y011", 1, 1, "the file is empty")],
    "comment-only.yaml": [("Y011", 1, 1, "the file is empty")],
    "top-level-list.yaml": [("Y011", 1, 1, "top level is a list, not a mapping")],
    "top-level-scalar.yaml": [("Y011", 1, 1, "top level is text, not a mapping")],
    "top-level-number.yaml": [("Y011", 1, 1, "top level is a number, not a mapping")],
    "binary-nul.yaml": [("Y012", 3, 6, "binary data (a NUL byte)")],
    "latin1.yaml": [("Y006", 3, 11, "byte 0xe9 is not valid UTF-8")],
    "alias-bomb.yaml": [("Y010", 3, 8, "alias bomb")],
    "recursive-alias.yaml": [("Y010", 4, 10, "refer to themselves")],
    "tab-indent.yaml": [("Y008", 5, 1, "tab character in indentation")],
    "duplicate-keys.yaml": [("Y002", 5, 1, "duplicate key 'title'"), ("Y002", 10, 5, "duplicate key 'run'")],
    "non-string-keys.yaml": [("Y014", 10, 7, "key 1 is a number, not text"),
                             ("Y014", 11, 7, "key true is true or false, not text"),
                             ("Y014", 12, 7, "key ~ is empty (null), not text"),
                             ("Y014", 13, 9, "a key is a list, not text")],
    "multi-document.yaml": [("Y001", 3, 1, "more than one YAML document")],
    "syntax-error.yaml": [("Y001", 4, 8, "did not find expected ',' or ']'")],
    "unknown-kind.yaml": [("F007", 2, 7, "kind is 'playbook'")],
    "version-2.yaml": [("F007", 1, 10, "version is 2; this tool reads version 1")],
    "missing-kind.yaml": [("F007", 1, 1, "kind is missing")],
    "explicit-tags.yaml": [
        ("Y013", 5, 8, "the tag '!!binary' is not supported"),
        ("F004", 6, 10, "service should be text, not a mapping"),
        ("Y013", 6, 10, "the tag '!!set' is not supported"),
        ("Y013", 7, 10, "the tag '!!timestamp' is not supported"),
        ("Y013", 8, 14, "the tag '!!int' does not fit the value 'abc'"),
        ("F004", 9, 9, "impact should be text, not a list"),
        ("Y013", 9, 9, "the tag '!!python/object/apply:os.system' is not supported"),
        ("Y013", 10, 8, "the tag '!vendor-tag' is not supported"),
        ("Y013", 12, 41, "the tag '!!bool' does not fit the value 'maybe'"),
    ],
    "out-of-range.yaml": [
        ("F005", 7, 25, "review.last_reviewed: '9999-12-31' is not a date from 1900 to 2999"),
        ("F003", 7, 44, "review.every: '99999999999999999999d' is longer than a duration may be"),
        ("F003", 12, 14, "steps[0].timeout: '99999999999999999999d' is longer than a duration may be"),
        ("F003", 14, 18, "steps[0].retry_delay: '99999999999999999999d' is longer than a duration may be"),
        ("F003", 15, 13, "steps[0].within: 'P99999999999999999999D' is longer than a duration may be"),
    ],
    "yaml11-traps.yaml": [
        *[("Y003", 6, col, f"'{word}' is a boolean in YAML 1.1")
          for col, word in ((8, "yes"), (13, "no"), (17, "on"), (21, "off"), (26, "Yes"), (31, "NO"),
                            (35, "y"), (38, "N"), (41, "On"), (45, "OFF"))],
        ("Y004", 7, 10, "'1:30' is a base-60 number"),
        ("Y005", 8, 14, "'0755' has a leading zero"),
    ],
}


def _alone(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copyfile(MALFORMED / name, target)
    return target


def _check(ran: Ran, expected: list[tuple[str, int, int, str]]) -> None:
    assert_clean_failure(ran, codes=(1,))
    findings = ran.findings()
    assert rules_at(findings) == [(rule, line, col) for rule, line, col, _ in expected]
    for finding, (_, _, _, words) in zip(findings, expected, strict=True):
        assert words in finding["message"], finding


def test_every_committed_case_has_an_expectation() -> None:
    assert sorted(p.name for p in MALFORMED.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_malformed_file_yields_located_finding(tmp_path: Path, name: str) -> None:
    _check(validate_json(_alone(tmp_path, name), timeout=30), EXPECTED[name])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_malformed_file_in_text_format_names_file_line_and_column(tmp_path: Path, name: str) -> None:
    path = _alone(tmp_path, name)
    ran = validate("--no-lint", path.name, cwd=tmp_path, timeout=30)
    assert_clean_failure(ran, codes=(1,))
    rule, line, col, words = EXPECTED[name][0]
    assert f"{name}:{line}:{col}: error: " in ran.out
    assert f"[{rule}]" in ran.out and words in ran.out


def test_alias_bomb_is_refused_without_expanding(tmp_path: Path) -> None:
    # 30 s is a hang guard only: expanding 9^9 strings would exhaust memory long before
    ran = validate_json(_alone(tmp_path, "alias-bomb.yaml"), timeout=30)
    _check(ran, EXPECTED["alias-bomb.yaml"])


def test_wider_alias_bomb_in_mappings_is_refused(write: Callable[[str, str], Path]) -> None:
    levels = ["a0: &a0 {k: lol}"] + [
        f"a{i}: &a{i} {{" + ", ".join(f"k{j}: *a{i - 1}" for j in range(12)) + "}" for i in range(1, 12)]
    path = write("bomb.yaml", "\n".join(levels) + "\n")
    ran = validate_json(path, timeout=30)
    assert_clean_failure(ran, codes=(1,))
    assert rules_at(ran.findings()) == [("Y010", 2, 14)]


def test_twenty_megabyte_file_is_refused_by_size(tmp_path: Path) -> None:
    big = tmp_path / "huge.yaml"
    line = "key_" + "x" * 95 + ": value\n"
    with big.open("w", encoding="utf-8") as handle:
        handle.write("version: 1\nkind: runbook\n")
        handle.write(line * (20 * 1024 * 1024 // len(line) + 1))
    assert big.stat().st_size > 20 * 1024 * 1024
    ran = validate_json(big)
    assert_clean_failure(ran, codes=(1,))
    [finding] = ran.findings()
    assert (finding["rule"], finding["line"], finding["column"]) == ("Y007", 0, 0)  # 0:0 is "the whole file"
    assert f"file is {big.stat().st_size:,} bytes" in finding["message"]
    assert "2,097,152-byte limit" in finding["message"]
    text = validate("--no-lint", big.name, cwd=tmp_path)
    assert text.out.startswith("huge.yaml: error: file is ") and "[Y007]" in text.out


DEEP = 100_000


@pytest.mark.parametrize(("name", "text", "position"), [
    ("deep-flow-seq.yaml", "[" * DEEP + "]" * DEEP + "\n", (1, 65)),
    ("deep-flow-map.yaml", "{a: " * DEEP + "b" + "}" * DEEP + "\n", (1, 257)),
    ("deep-block-seq.yaml", "- " * DEEP + "x\n", (1, 129)),
    ("deep-explicit-keys.yaml", "? " * DEEP + "x\n", (1, 129)),
    ("deep-keys-in-lists.yaml", "- ? " * (DEEP // 2) + "x\n", (1, 129)),
    ("deep-mixed.yaml", "a: " + "[{b: " * (DEEP // 2) + "c" + "}]" * (DEEP // 2) + "\n", (1, 5 + 5 * 31)),
])
def test_hundred_thousand_levels_of_nesting_are_refused(tmp_path: Path, name: str, text: str,
                                                        position: tuple[int, int]) -> None:
    # without the event-based pre-scan, LibYAML's recursive composer overflows the C stack here
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    ran = validate_json(path)
    assert_clean_failure(ran, codes=(1,))
    assert rules_at(ran.findings()) == [("Y009", *position)]
    assert "nesting deeper than 64 levels" in ran.findings()[0]["message"]


def test_deep_block_mapping_by_indentation_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep-indent.yaml"
    path.write_text("".join(" " * i + "a:\n" for i in range(1500)) + " " * 1500 + "b\n", encoding="utf-8")
    ran = validate_json(path)
    assert_clean_failure(ran, codes=(1,))
    assert rules_at(ran.findings()) == [("Y009", 65, 65)]


def test_long_source_line_is_cropped_around_the_caret(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("[" * DEEP + "]" * DEEP + "\n", encoding="utf-8")
    ran = validate("--no-lint", path.name, cwd=tmp_path)
    assert_clean_failure(ran, codes=(1,))
    assert max(len(line) for line in ran.out.splitlines()) < 200

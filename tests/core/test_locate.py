"""The locator: from a path inside the document to the line and column the author typed."""

from __future__ import annotations

import pytest

from validator.locate import Locator

TEXT = """\
version: 1
kind: runbook
steps:
  - id: first
    run: echo one
  - {id: second, run: "echo two"}
  -
    id: third
    checklist:
      - one
      - two
tags: [a, b]
empty:
multi: |
  line one
  line two
id: old
id: new
"""


@pytest.mark.parametrize(("path", "key", "position"), [
    (["version"], False, (1, 10)),
    (["version"], True, (1, 1)),
    (["steps"], False, (4, 3)),
    (["steps", 0], False, (4, 5)),
    (["steps", 0, "run"], False, (5, 10)),
    (["steps", 0, "run"], True, (5, 5)),
    (["steps", 1], False, (6, 5)),
    (["steps", 1, "run"], False, (6, 23)),
    (["steps", 1, "run"], True, (6, 18)),
    (["steps", 2, "checklist", 1], False, (11, 9)),
    (["tags", 1], False, (12, 11)),
    (["empty"], False, (13, 7)),
    (["multi"], False, (14, 8)),
    (["id"], False, (18, 5)),  # the last of duplicate keys, as the loader keeps it
])
def test_locate(path: list[str | int], key: bool, position: tuple[int, int]) -> None:
    assert Locator(TEXT).locate(path, key=key) == position


@pytest.mark.parametrize(("path", "position"), [
    (["steps", 0, "timeout"], (4, 5)),       # missing key: where it should be added
    (["steps", 7], (4, 3)),                  # index past the end: the list
    (["nowhere", "deeper"], (1, 1)),         # nothing at all: the document
    (["tags", "x"], (12, 7)),                # a key into a list
    (["version", 0], (1, 10)),               # an index into a scalar
])
def test_missing_paths_point_at_the_deepest_existing_parent(path: list[str | int], position: tuple[int, int]) -> None:
    assert Locator(TEXT).locate(path) == position


def test_key_of_missing_path_falls_back_to_the_parent_value() -> None:
    assert Locator(TEXT).locate(["steps", 0, "timeout"], key=True) == (4, 5)


def test_unparsable_text_locates_at_the_start() -> None:
    assert Locator("a: [1, 2\n").locate(["a"]) == (1, 1)


def test_non_string_keys_are_compared_as_written() -> None:
    assert Locator("200: ok\n404: missing\n").locate(["404"]) == (2, 6)


@pytest.mark.parametrize(("line", "text"), [(1, "version: 1"), (5, "    run: echo one"), (0, ""), (99, "")])
def test_line_text(line: int, text: str) -> None:
    assert Locator(TEXT).line_text(line) == text

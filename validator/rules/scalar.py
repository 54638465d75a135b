"""Positions inside a YAML text value, so a finding about ``${name}`` on the third line of a
``run: |`` block points at that line and column, not at the ``|``.

Exact for block scalars (``|``) and single-line values; for folded or multi-line flow
scalars, where YAML joins lines, it is the nearest line.
"""

from __future__ import annotations

from validator.model import At, Source


def place(source: Source, at: At, line: int, col: int) -> tuple[int, int]:
    """The file position of (``line``, ``col``), 1-based, inside the text value at ``at``."""
    vline, vcol = source.position(at)
    first = source.locator.line_text(vline)[vcol - 1:vcol]
    if first in ("|", ">"):
        text = source.locator.line_text(vline + line)
        return vline + line, len(text) - len(text.lstrip(" ")) + col
    if line == 1:
        return vline, vcol + (1 if first in ("'", '"') else 0) + col - 1
    text = source.locator.line_text(vline + line - 1)
    return vline + line - 1, len(text) - len(text.lstrip(" ")) + col


def place_offset(source: Source, at: At, text: str, offset: int) -> tuple[int, int]:
    """The file position of character ``offset`` of ``text``, the value found at ``at``."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return place(source, at, line, col)

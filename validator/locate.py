"""Map a path inside a document (``("steps", 3, "run")``) to the line and column it came from.

The positioned node tree costs about as much again as loading, so it is composed only
for files that have something to report, once per file, and then cached.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path as FilePath

import yaml

from validator.yamlsafe import Composer

PathPart = str | int
Path = Sequence[PathPart]


class Locator:
    """Answers "where is this?" for one file's text; composes its node tree on first use."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._root: yaml.Node | None = None
        self._composed = False
        self._lines: list[str] | None = None

    def _tree(self) -> yaml.Node | None:
        if not self._composed:
            self._composed = True
            try:
                self._root = yaml.compose(self._text, Loader=Composer)
            except yaml.YAMLError:
                self._root = None
        return self._root

    def locate(self, path: Path, key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the value at ``path``, or of its key when ``key`` is true.

        When the path leads somewhere that does not exist (a missing required key), the
        position of the deepest existing parent is returned, which is where the fix goes.
        """
        node = self._tree()
        if node is None:
            return (1, 1)
        key_node: yaml.Node | None = None
        for part in path:
            child, child_key = _step(node, part)
            if child is None:
                break
            node, key_node = child, child_key
        else:
            if key and key_node is not None:
                return (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        return (node.start_mark.line + 1, node.start_mark.column + 1)

    def span(self, path: Path) -> tuple[int, int] | None:
        """The first and last 1-based lines of the value at ``path``; None when it does not exist."""
        node = self._tree()
        for part in path:
            if node is None:
                return None
            node = _step(node, part)[0]
        if node is None:
            return None
        first, end = node.start_mark.line + 1, node.end_mark.line + 1
        if not self.line_text(end)[: node.end_mark.column].strip(" -"):
            end -= 1  # a block ends where the next item or key begins
        return first, max(first, end)

    @property
    def text(self) -> str:
        """The whole text, for checks that read comments (which the node tree drops)."""
        return self._text

    def line_text(self, line: int) -> str:
        """The source line (1-based) without its newline, for carets in text output.

        The text is split once: every finding of a file quotes a line, and splitting the
        whole file per finding made many findings cost the square of their number.
        """
        if self._lines is None:
            self._lines = self._text.splitlines()
        return self._lines[line - 1] if 0 < line <= len(self._lines) else ""


def _step(node: yaml.Node, part: PathPart) -> tuple[yaml.Node | None, yaml.Node | None]:
    if isinstance(node, yaml.MappingNode):
        found: tuple[yaml.Node | None, yaml.Node | None] = (None, None)
        for key_node, value_node in node.value:
            if str(key_node.value) == str(part):
                found = (value_node, key_node)  # last one wins, as when loading
        return found
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part], None
    return None, None


class DiskLines:
    """Lines of files that were never loaded (unreadable, or refused before parsing), each file
    read once for as long as this object lives.  A path that goes through a symlink is not read
    at all: it may lead out of the repository, to a file whose lines must not be quoted."""

    def __init__(self) -> None:
        self._files: dict[str, list[str]] = {}

    def line(self, path: str, line: int) -> str:
        lines = self._files.get(path)
        if lines is None:
            try:
                linked = os.path.realpath(path) != os.path.abspath(path)
                lines = [] if linked else FilePath(path).read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                lines = []
            self._files[path] = lines
        return lines[line - 1] if 0 < line <= len(lines) else ""

"""Fitting text to the responder's terminal: word wrapping at its width, and long command output
cut to its first and last lines with a count (the journal keeps all of it).

Lines holding a command (``$ …``) are never wrapped: a line break inside one would change what a
responder copies and pastes.
"""

from __future__ import annotations

import re
import shutil
import textwrap
from collections import deque

_COMMAND = re.compile(r"(?:^|\s)\$ ")  # "  $ cmd", "undo: $ cmd": a command, never broken
HEAD_LINES = 12  # shown live as a command prints them
TAIL_LINES = 8  # kept back and shown when the command ends, after the count of hidden lines


def width() -> int:
    """The terminal's width (``COLUMNS`` wins, as everywhere), at least 40."""
    return max(40, shutil.get_terminal_size((80, 24)).columns)


def wrap(text: str, columns: int) -> str:
    """Each line wrapped on words to ``columns``, continuation lines indented like the first."""
    out: list[str] = []
    for line in text.split("\n"):
        if len(line) <= columns or _COMMAND.search(line):
            out.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip())]
        out += textwrap.wrap(line, columns, subsequent_indent=indent + "  " if line.lstrip().startswith("- ") else indent,
                             break_long_words=False, break_on_hyphens=False) or [line]
    return "\n".join(out)


class Limiter:
    """Live output of one command: the first :data:`HEAD_LINES` lines as they come, then only the
    last :data:`TAIL_LINES`, shown at the end after a line saying how many were left out."""

    def __init__(self) -> None:
        self.shown = 0
        self.hidden = 0
        self.tail: deque[str] = deque(maxlen=TAIL_LINES)

    def reset(self) -> None:
        self.shown = self.hidden = 0
        self.tail.clear()

    def feed(self, text: str) -> str:
        """What to print now of ``text`` (complete lines, or a final partial one)."""
        out: list[str] = []
        for line in text.splitlines(keepends=True):
            if self.shown < HEAD_LINES:
                out.append(line)
                self.shown += line.endswith("\n")
            else:
                if len(self.tail) == TAIL_LINES:
                    self.hidden += 1
                self.tail.append(line)
        return "".join(out)

    def finish(self) -> str:
        """The end of the output: the count of hidden lines and the tail; the limiter starts over."""
        out = ""
        if self.hidden:
            total = self.shown + self.hidden + len(self.tail)
            out = f"  ... {self.hidden} more lines ({total} in all; the journal keeps them) ...\n"
        out += "".join(self.tail)
        self.reset()
        return out


def cut(text: str) -> str:
    """A whole output printed at once (a drill's, or one held back for a secret capture), cut the same way."""
    limiter = Limiter()
    return limiter.feed(text) + limiter.finish()

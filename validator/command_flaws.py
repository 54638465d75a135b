"""Commands that cannot work as written: ones that never exit on their own (``tail -f``) and
ones still holding a placeholder for a person to fill in (``--ip <IP>``; not inside an ``echo``
string or a comment, which nothing runs).

Both are what a runbook copied from a wiki looks like: fine for a human at a terminal,
wrong for a runner that waits for the command to finish and passes text as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from validator import commands, shell


@dataclass(frozen=True)
class Flaw:
    what: str
    start: int
    end: int


# <IP>, <commit-hash>, <backup file>: never valid shell (a redirection) and never a real argument.
_ANGLE = re.compile(r"(?<![<\w$])<(?!(?:a|b|i|p|br|hr|em|li|ul|ol|div|span|pre|code|html|head|body|title|strong|xml)>)"
                    r"([A-Za-z][\w.:-]*(?: [\w.:-]+){0,3})>(?![>&])")
_WORDS = re.compile(r"\b(?:YOUR_[A-Z0-9_]+|your[-_][a-z0-9-_]+|CHANGEME|CHANGE_ME|REPLACE_ME|REPLACEME)\b")


def endless(text: str) -> tuple[Flaw, ...]:
    """Commands in ``text`` that keep running until someone presses Ctrl-C (``tail -f``, ``top``
    without ``-b``), as :mod:`validator.commands` reads them: in command position only."""
    return tuple(Flaw(d.shown, d.start, d.end) for d in commands.endless(text))


def _inert(text: str) -> list[tuple[int, int]]:
    """Where text is only shown, never run or passed on: comments, quoted ``echo``/``printf``
    arguments and here-documents given to ``cat``."""
    parsed = shell.script(text)
    spans = list(parsed.comments)
    for cmd in parsed.commands:
        if cmd.program in ("echo", "printf"):
            spans += [(w.start, w.end) for w in cmd.args if w.quoted]
        elif cmd.program == "cat" and cmd.stdin is not None and not cmd.piped:
            spans.append((cmd.stdin.start, cmd.stdin.end))
    return spans


@lru_cache(maxsize=1 << 16)
def placeholders(text: str) -> tuple[Flaw, ...]:
    """Placeholders such as ``<IP>`` or ``YOUR_API_KEY`` left in a command or argument."""
    found = [Flaw(m.group(0), m.start(), m.end()) for m in _ANGLE.finditer(text)] if "<" in text else []
    lower = text.lower()
    if "your" in lower or "change" in lower or "replace" in lower:
        found += [Flaw(m.group(0), m.start(), m.end()) for m in _WORDS.finditer(text)]
    if found:
        inert = _inert(text)
        found = [f for f in found if not any(a <= f.start and f.end <= b for a, b in inert)]
    return tuple(sorted(found, key=lambda f: f.start))

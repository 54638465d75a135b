"""Commands that cannot work as written: ones that never exit on their own (``tail -f``) and
ones still holding a placeholder for a person to fill in (``--ip <IP>``).

Both are what a runbook copied from a wiki looks like: fine for a human at a terminal,
wrong for a runner that waits for the command to finish and passes text as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Flaw:
    what: str
    start: int
    end: int


_ENDLESS = re.compile(
    r"\btail\s+(?:-\w+\s+)*?(?:-[A-Za-z]*[fF][A-Za-z]*|--follow)\b"
    r"|\b(?:journalctl|kubectl\s+logs|docker(?:-compose|\s+compose)?\s+logs|stern)\b[^;&|\n]*\s(?:-f|--follow)\b"
    r"|\bkubectl\b[^;&|\n]*\s(?:-w|--watch)\b|\bkubectl\s+port-forward\b"
    r"|(?:^|[;&|(\n]\s*|\bsudo\s+)(?:watch|top|htop|less|more|vi|vim|nano)(?=\s|$)"
    r"|\bping\b(?![^;&|\n]*\s-c\s*\d)")
_ENDLESS_HINT = re.compile(r"\b(?:tail|journalctl|logs|kubectl|watch|top|htop|less|more|vi|vim|nano|ping)\b")
_SHOWN = ("-f", "-F", "--follow", "-w", "--watch", "logs", "port-forward")
_TOP_BATCH = re.compile(r"\btop\b[^;&|\n]*\s-b\b")

# <IP>, <commit-hash>, <backup file>: never valid shell (a redirection) and never a real argument.
_ANGLE = re.compile(r"(?<![<\w$])<(?!(?:a|b|i|p|br|hr|em|li|ul|ol|div|span|pre|code|html|head|body|title|strong|xml)>)"
                    r"([A-Za-z][\w.:-]*(?: [\w.:-]+){0,3})>(?![>&])")
_WORDS = re.compile(r"\b(?:YOUR_[A-Z0-9_]+|your[-_][a-z0-9-_]+|CHANGEME|CHANGE_ME|REPLACE_ME|REPLACEME)\b")


@lru_cache(maxsize=1 << 16)
def endless(text: str) -> tuple[Flaw, ...]:
    """Commands in ``text`` that keep running until someone presses Ctrl-C."""
    if not _ENDLESS_HINT.search(text):
        return ()
    found = []
    for m in _ENDLESS.finditer(text):
        words = [w for w in m.group(0).strip(" ;&|(\n").split() if w != "sudo"]
        if words[0] == "top" and _TOP_BATCH.search(text, m.start()):
            continue
        shown = " ".join(words[:1] + [w for w in words[1:] if w in _SHOWN])
        start = m.start() + len(m.group(0)) - len(m.group(0).lstrip(" ;&|(\n"))
        found.append(Flaw(shown, start, m.end()))
    return tuple(found)


@lru_cache(maxsize=1 << 16)
def placeholders(text: str) -> tuple[Flaw, ...]:
    """Placeholders such as ``<IP>`` or ``YOUR_API_KEY`` left in a command or argument."""
    found = [Flaw(m.group(0), m.start(), m.end()) for m in _ANGLE.finditer(text)] if "<" in text else []
    lower = text.lower()
    if "your" in lower or "change" in lower or "replace" in lower:
        found += [Flaw(m.group(0), m.start(), m.end()) for m in _WORDS.finditer(text)]
    return tuple(sorted(found, key=lambda f: f.start))

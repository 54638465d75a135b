"""Here-documents in a command: the ``<<WORD`` operator and where each body begins and ends.

Bash reads a here-document's body from the line after the command, up to a line that is exactly
the delimiter (``<<-`` strips leading tabs first).  A quoted delimiter (``<<'EOF'``) keeps the body
literal; an unquoted one expands ``$``, backquotes and ``\\`` in it.
"""

from __future__ import annotations

import re

from validator.shell_refs import Heredoc

_DELIMITER_END = set(" \t\n;&|<>()")


def operator(text: str, i: int) -> tuple[Heredoc, bool, int]:
    """The here-document whose ``<<`` is at ``i``: (it, whether tabs are stripped, where its word ends)."""
    j = i + 2
    strip = text.startswith("-", j)
    j += 1 if strip else 0
    while j < len(text) and text[j] in " \t":
        j += 1
    start, quote = j, ""
    while j < len(text) and (quote or text[j] not in _DELIMITER_END):
        ch = text[j]
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "\\":
            j += 1
        j += 1
    word = text[start:j]
    delimiter = re.sub(r"\\(.)", r"\1", word).replace("'", "").replace('"', "")
    return Heredoc(start, j, delimiter, any(c in word for c in "'\"\\")), strip, j


def bodies(text: str, pending: list[tuple[Heredoc, bool]], i: int) -> list[int]:
    """Set the body spans of ``pending`` (their bodies follow each other from ``i``); for each,
    where reading goes on after its delimiter line."""
    resumes = []
    for doc, strip in pending:
        doc.body_start = at = i
        while True:
            nl = text.find("\n", at)
            line = text[at:] if nl < 0 else text[at:nl]
            if (line.lstrip("\t") if strip else line) == doc.delimiter:
                doc.body_end = at
                break
            if nl < 0:  # no delimiter line: bash reads to the end
                doc.body_end = len(text)
                break
            at = nl + 1
        i = len(text) if nl < 0 else nl + 1
        resumes.append(i)
    return resumes

"""Text printed where CI reads it: a finding quoting a hostile value must not run a workflow command.

GitHub Actions' runner reads every line a job prints; a line that starts (after spaces) with
``::``, or holds ``##[`` anywhere, is executed as a workflow command, and a bare CR ends a
line as LF does.  Reporters and the runner's pre-flight pass text through here.
"""

from __future__ import annotations

import re

_SPLIT = "\u200b"  # zero-width space: the text reads the same, the runner sees no command
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"  # reorder what follows them
HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f" + BIDI + "]")  # controls and reordering marks: never shown raw
HIDDEN_BUT_LAYOUT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + BIDI + "]")  # the same, tab and line feed allowed
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def defuse(text: str) -> str:
    """Break ``::`` and ``##[`` so no workflow command can start in ``text``, wherever it lands on a line."""
    if ":" not in text and "#" not in text:
        return text
    return text.replace("##[", "#" + _SPLIT + "#[").replace("::", ":" + _SPLIT + ":")


def one_line(text: str) -> str:
    """Control characters as visible escapes (``\\n``, ``\\r``, ``\\x1b``, ``\\u202e``): a value quoted
    in a message never starts a line of its own, never moves the cursor, never colours a terminal
    and never reorders the rest of the line."""
    return HIDDEN.sub(lambda m: _ESCAPES.get(m.group(), _escape(m.group())), text)


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def json_safe(text: str) -> str:
    """JSON text in which no ``##[`` appears literally; the JSON means exactly the same.

    ``##[`` can only occur inside a JSON string, where ``\\u0023`` is the same ``#``.
    """
    return text.replace("##[", "\\u0023#[")

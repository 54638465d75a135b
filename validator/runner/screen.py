"""What may reach the responder's terminal.

Runbook text and values are shown with control characters made visible (a carriage return as
␍, escape as ␛, a right-to-left override as ``<U+202E>``), so nothing on screen can be erased,
overwritten or reordered.  Command output keeps its colours (SGR sequences such as ``ESC[31m``)
and loses every other escape sequence: cursor moves, erasing, window titles and hyperlinks
(OSC), device control strings.  A lone carriage return in output (a progress bar) starts a new
line instead of overwriting the last one.
"""

from __future__ import annotations

import re

from validator.hidden_chars import visible

_SGR = re.compile(r"\x1b\[[0-9;:]*m")
# CSI, OSC (ended by BEL or ST), DCS/SOS/PM/APC (ended by ST), two-character escapes; C1 forms too.
_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]"
                     r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"
                     r"|(?:\x1b[PX^_]|[\x90\x98\x9e\x9f])[^\x1b\x9c]*(?:\x1b\\|\x9c)"
                     r"|\x1b[ -/]*[0-~]")
# An escape sequence that has begun but not ended yet (the rest may come in the next read).
_UNFINISHED = re.compile(r"(?:\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b\x9c]*|[PX^_][^\x1b\x9c]*|[ -/]*)?|\x9b[0-?]*[ -/]*)\Z")


def text(value: str) -> str:
    """Runbook text, values and messages: every control character but tab and line feed made visible."""
    return visible(value)


def output(value: str) -> str:
    """Command output: colours kept, other escape sequences removed, other controls made visible."""
    if not any(c in value for c in "\x1b\r\x9b\x9d\x90\x98\x9e\x9f"):
        return visible(value)
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    parts: list[str] = []
    at = 0
    for m in _ESCAPE.finditer(value):
        parts.append(visible(value[at:m.start()]))
        if _SGR.fullmatch(m.group(0)):
            parts.append(m.group(0))
        at = m.end()
    parts.append(visible(value[at:]))
    return "".join(parts)


def unfinished(value: str) -> int:
    """Where an escape sequence cut off at the end of ``value`` begins (``len(value)`` if none)."""
    m = _UNFINISHED.search(value[-256:])
    return len(value) - len(m.group(0)) if m and m.group(0) else len(value)

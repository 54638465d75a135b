"""Characters that make text on a screen differ from what it is: control characters (a carriage
return that goes back to the start of the line, escape sequences that erase it) and the Unicode
bidirectional controls that reorder it (right-to-left override, isolates, marks).

``run: "touch /tmp/x #\\r\\e[2K  $ systemctl status api"`` looks like a status check on a terminal
and runs ``touch``.  Such characters are never needed in a command, an undo command, a script's
path or arguments, an environment value or an id, so finding one there is an error (F010);
anything else the runner prints goes through :func:`visible`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from validator.findings import Finding, Severity
from validator.logsafe import HIDDEN, HIDDEN_BUT_LAYOUT
from validator.model import At, Runbook, Source

_NAMES = {"\x00": "NUL", "\x07": "bell", "\x08": "backspace", "\t": "tab", "\n": "line feed", "\x0b": "vertical tab",
          "\x0c": "form feed", "\r": "carriage return", "\x1b": "escape", "\x7f": "delete", "\x9b": "CSI"}


def describe(ch: str) -> str:
    """``U+202E (RIGHT-TO-LEFT OVERRIDE)``, ``U+000D (carriage return)``."""
    name = _NAMES.get(ch) or unicodedata.name(ch, "") or "control character"
    return f"U+{ord(ch):04X} ({name})"


def find(text: str, multiline: bool = True) -> re.Match[str] | None:
    """The first hidden character of ``text`` (tabs and line feeds allowed when ``multiline``)."""
    return (HIDDEN_BUT_LAYOUT if multiline else HIDDEN).search(text)


def visible(text: str, keep: str = "\n\t") -> str:
    """``text`` with every hidden character except those in ``keep`` shown as a symbol:
    C0 controls as their control pictures (``\\r`` as ␍, escape as ␛), DEL as ␡, others as ``<U+202E>``."""
    def show(m: re.Match[str]) -> str:
        ch = m.group(0)
        if ch in keep:
            return ch
        code = ord(ch)
        if code < 0x20:
            return chr(0x2400 + code)
        return "\u2421" if code == 0x7F else f"<U+{code:04X}>"

    return HIDDEN.sub(show, text) if HIDDEN.search(text) else text


def _texts(rb: Runbook) -> Iterator[tuple[At, str, bool, str]]:
    """``(at, text, multiline, what)`` of everything that runs or names a step."""
    yield ("id",), rb.id, False, "the runbook id"
    for item in rb.inputs:
        yield (*item.at, "name"), item.name, False, "an input name"
    for step in rb.all_steps():
        where = f"step '{visible(step.id)}'"
        yield (*step.at, "id"), step.id, False, "a step id"
        for key, text in (("run", step.run), ("undo", step.undo), ("script", step.script)):
            if text is not None:
                yield (*step.at, key), text, key != "script", f"{where}: {key}"
        if step.wait is not None and step.wait.until:
            yield (*step.at, "wait", "until"), step.wait.until, True, f"{where}: wait.until"
        for i, arg in enumerate(step.args):
            yield (*step.at, "args", i), arg, True, f"{where}: argument {i + 1}"
        for name, value in step.env.items():
            yield (*step.at, "env", name), f"{name}={value}", True, f"{where}: env {visible(name)}"


def check_runbook(rb: Runbook) -> Iterator[Finding]:
    for at, text, multiline, what in _texts(rb):
        hit = find(text, multiline)
        if hit is not None:
            line, col = _position(rb.source, at, text, hit.start())
            yield Finding(rb.source.path, line, col, "F010", Severity.ERROR,
                          f"{what} holds {describe(hit.group(0))}, which hides what is shown or run: "
                          f"{visible(text[max(0, hit.start() - 30):hit.start() + 30], keep='')!s}",
                          "remove it; write the command as it should read on a terminal")


def _position(source: Source, at: At, text: str, offset: int) -> tuple[int, int]:
    """The character's line and column for a block scalar (``run: |``); the value's start otherwise."""
    line, col = source.position(at)
    if source.locator.line_text(line)[col - 1:col] in ("|", ">"):
        row = text.count("\n", 0, offset)
        body = source.locator.line_text(line + row + 1)
        return line + row + 1, len(body) - len(body.lstrip(" ")) + offset - text.rfind("\n", 0, offset)
    return line, col

"""``${name}`` in a command: what bash runs, and what the responder is shown.

Values are never spliced into the text bash reads.  Each input and captured value travels in an
environment variable (``RUNBOOK_INPUT_<name>``, ``RUNBOOK_OUTPUT_<name>``) and each ``${name}``
becomes a reference to it, written for where it stands (:mod:`validator.shell_refs`): ``"${VAR}"``
unquoted, ``${VAR}`` inside double quotes and here-documents, ``'"${VAR}"'`` inside single quotes.
Bash expands a variable once and does not read its value as code, with two exceptions handled here:

* where another shell reads the text again (``bash -c "…"``, ``eval``, ``ssh host …``) the
  reference is ``${VAR@Q}``: bash quotes the value for that one more reading;
* where bash evaluates the value (arithmetic, variable names) it must be a number or a name;
  anything else is refused before the command starts.

A quoted here-document (``<<'EOF'``) holding a reference is turned into an unquoted one with its
``\\``, ``$`` and backquotes escaped, so the body still reads literally except for the value.

The responder (and the journal) see the command with the values filled in, shell-quoted as a
person would type them, and secret values masked: the shown text never holds a secret.
For ``script`` + ``args`` no shell is involved: each argument is one argv item.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field

from validator.secrets import MASK
from validator.shell_refs import PLACEHOLDER, Heredoc, Ref, analyze

Lookup = Callable[[str], str | None]
_SHAPES = {"number": re.compile(r"[+-]?[0-9]+"), "name": re.compile(r"[A-Za-z_][A-Za-z0-9_]*")}
_PLAIN_DELIMITER = re.compile(r"[A-Za-z0-9_.:@%+=,-]+")
_WHAT = {"number": "a whole number", "name": "a plain variable name"}


@dataclass
class Values:
    """How the runner's values are reached: ``lookup`` (None: not ours, left to the shell), the
    variable each one travels in, and whether it is secret."""

    lookup: Lookup
    variable: Callable[[str], str]
    secret: Callable[[str], bool]


@dataclass
class Filled:
    text: str  # what bash runs
    shown: str  # what the screen and the journal show
    env: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # values that must not reach their place: do not run


def fill_shell(command: str, values: Values) -> Filled:
    analysis = analyze(command)
    run_edits: list[tuple[int, int, str]] = []
    show_edits: list[tuple[int, int, str]] = []
    filled = Filled("", "")
    for ref in analysis.refs:
        value = values.lookup(ref.name)
        if value is None:
            continue
        var = values.variable(ref.name)
        filled.env[var] = value
        run_edits.append((ref.start, ref.end, _reference(ref, var)))
        show_edits.append((ref.start, ref.end, MASK if values.secret(ref.name) else _shown(ref, value)))
        if ref.shape and value and not _SHAPES[ref.shape].fullmatch(value):
            filled.problems.append(f"${{{ref.name}}} stands where bash evaluates its value ({ref.why}), and the "
                                   f"value is not {_WHAT[ref.shape]}; the command was not run")
    used = {(e[0], e[1]) for e in run_edits}
    for doc in analysis.heredocs:
        if doc.quoted and any(doc.body_start <= r.start < doc.body_end and (r.start, r.end) in used
                              for r in analysis.refs):
            problem = _unquote(command, doc, run_edits, used)
            if problem:
                filled.problems.append(problem)
    filled.text = _apply(command, run_edits)
    filled.shown = _apply(command, show_edits)
    return filled


def _reference(ref: Ref, var: str) -> str:
    expr = f"${{{var}@Q}}" if ref.reparse else f"${{{var}}}"
    if ref.quote == "":
        return f'"{expr}"'
    if ref.quote == "'":
        return f"'\"{expr}\"'"
    return expr  # double quotes, here-document bodies


def _shown(ref: Ref, value: str) -> str:
    """The value as a person would type it at that place (the old splice, for reading only)."""
    if ref.quote in ("H", "Hq"):
        return value
    q = shlex.quote(value)
    if ref.quote and q == value:
        return value
    return {'"': f'"{q}"', "'": f"'{q}'"}.get(ref.quote, q)


def _unquote(command: str, doc: Heredoc, edits: list[tuple[int, int, str]], used: set[tuple[int, int]]) -> str | None:
    """Make a quoted here-document holding a value an unquoted one that reads the same."""
    if not _PLAIN_DELIMITER.fullmatch(doc.delimiter):
        return (f"a value is used in the here-document ending {doc.delimiter!r}, whose delimiter is not a plain word; "
                "the command was not run")
    edits.append((doc.word_start, doc.word_end, doc.delimiter))
    for i in range(doc.body_start, doc.body_end):
        if command[i] in "\\$`" and not any(s <= i < e for s, e in used):
            edits.append((i, i + 1, "\\" + command[i]))
    return None


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    out, at = [], 0
    for start, end, new in sorted(edits):
        out.append(text[at:start])
        out.append(new)
        at = end
    out.append(text[at:])
    return "".join(out)


def substitute_arg(arg: str, lookup: Lookup) -> str:
    """One script argument or environment value: plain text replacement, since no shell reads it."""
    return PLACEHOLDER.sub(lambda m: v if (v := lookup(m.group(1))) is not None else m.group(0), arg)

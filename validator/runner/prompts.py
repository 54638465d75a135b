"""Everything the responder sees and answers goes through :class:`Console`.

Output is redacted before it is printed, colour is used only on a terminal and never when
``NO_COLOR`` is set, and every question accepts ``?`` for help.  Reading stops cleanly on end
of input, so a closed terminal ends the run instead of spinning.

Every question first discards what was typed before it appeared (:func:`discard_typeahead`):
``r`` + Enter typed while a command is still running was meant for nothing on screen yet, and
must not answer the next step's question.
"""

from __future__ import annotations

import contextlib
import os
import sys
import termios
from collections.abc import Sequence
from datetime import UTC, datetime

import click

from validator.runner import screen
from validator.runner.redact import Redactor


class EndOfInput(Exception):
    """Standard input closed while a question was waiting for an answer."""


def discard_typeahead() -> None:
    """Drop input the terminal holds that nobody has read yet (a no-op when stdin is not a terminal)."""
    with contextlib.suppress(OSError, ValueError, termios.error):
        if sys.stdin.isatty():
            termios.tcflush(sys.stdin.fileno(), termios.TCIFLUSH)


class Console:
    def __init__(self, redactor: Redactor, color: bool | None = None) -> None:
        self.redactor = redactor
        if color is None:
            color = sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
        self.color = color
        self._pending = ""
        self.first_answer: datetime | None = None  # when a person first answered a question: "responded"

    def style(self, text: str, **kw: object) -> str:
        return click.style(text, **kw) if self.color and kw else text  # type: ignore[arg-type]

    def say(self, text: str = "", nl: bool = True, **style: object) -> None:
        """Runbook text, values and messages, with every control character made visible."""
        click.echo(self.style(screen.text(self.redactor.text(text, screen=True)), **style), nl=nl)

    def output(self, text: str) -> None:
        """Command output printed after the fact (a drill, a secret capture): colours kept, nothing else."""
        click.echo(screen.output(self.redactor.text(text, screen=True)))

    def stream(self, chunk: str) -> None:
        """Live command output, redacted a whole line at a time (a progress bar's ``\r`` ends a line
        too) so a credential split across two reads is still caught; ``""`` (the command ended)
        flushes what is left, and so does a very long line."""
        self._pending += chunk
        cut = max(self._pending.rfind("\n"), self._pending.rfind("\r")) + 1
        if chunk == "" or len(self._pending) > 65536:
            cut = len(self._pending)
        if chunk != "":
            cut = screen.unfinished(self._pending[:cut])  # an escape sequence cut in two waits for its end
        if cut > 0:
            sys.stdout.write(screen.output(self.redactor.text(self._pending[:cut], screen=True)))
            sys.stdout.flush()
            self._pending = self._pending[cut:]

    def line(self, prompt: str, default: str | None = None) -> str:
        shown = f"{prompt} [{default}]: " if default not in (None, "") else f"{prompt}: "
        discard_typeahead()
        click.echo(self.style(screen.text(shown), bold=True), nl=False)
        raw = sys.stdin.readline()
        if raw == "":
            raise EndOfInput
        if self.first_answer is None:
            self.first_answer = datetime.now(UTC)
        answer = raw.rstrip("\r\n").strip()
        return answer if answer or default is None else default

    def secret(self, prompt: str) -> str:
        """Read without echo; the value is added to the redactor before anything else can print it."""
        discard_typeahead()
        try:
            value = str(click.prompt(screen.text(prompt), hide_input=True, default="", show_default=False))
        except click.exceptions.Abort:
            raise EndOfInput from None
        if self.first_answer is None:
            self.first_answer = datetime.now(UTC)
        self.redactor.add(value)
        return value

    def choose(self, prompt: str, options: Sequence[tuple[str, str]], help_text: str = "") -> str:
        """Ask until one of ``options`` ((key, meaning) pairs) is given; ``?`` prints the help."""
        keys = {k for k, _ in options}
        menu = "  ".join(f"[{k}]{m[len(k):] if m.startswith(k) else ' ' + m}" for k, m in options)
        while True:
            answer = self.line(f"{prompt} {menu}  [?] help").lower()
            if answer in keys:
                return answer
            full = {m.split()[0].lower(): k for k, m in options}
            if answer in full:
                return full[answer]
            if answer in ("?", "h", "help"):
                for k, m in options:
                    self.say(f"  {k}  {m}")
                if help_text:
                    self.say(help_text)
                continue
            self.say(f"Please answer one of: {', '.join(k for k, _ in options)} (or ? for help).")

    def yes_no(self, prompt: str) -> bool:
        while True:
            answer = self.line(f"{prompt} [y/N]").lower()
            if answer in ("y", "yes"):
                return True
            if answer in ("", "n", "no"):
                return False

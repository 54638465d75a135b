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
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import click

from validator.runner import layout, screen
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
        self._limiter = layout.Limiter()
        self._status = False  # an updating status line is on screen (no newline yet)
        self.details: list[str] = []  # shown on the [o] key: the step owner's contacts
        self.first_answer: datetime | None = None  # when a person first answered a question: "responded"
        self.pager: Callable[[], None] | None = None  # the [p] key: page the next escalation level (interactive runs)

    def style(self, text: str, **kw: object) -> str:
        return click.style(text, **kw) if self.color and kw else text  # type: ignore[arg-type]

    def say(self, text: str = "", nl: bool = True, **style: object) -> None:
        """Runbook text, values and messages, redacted, with every control character made visible,
        wrapped between words at the terminal's width."""
        self.end_status()
        shown = screen.text(self.redactor.text(text, screen=True))
        click.echo(self.style(layout.wrap(shown, layout.width()) if nl else shown, **style), nl=nl)

    def status_line(self, parts: Sequence[tuple[str, bool]]) -> None:
        """The incident clock: alarms (missed, overdue) in red and capitals, the rest dimmed."""
        self.end_status()
        text = " | ".join(self.style(screen.text(t), fg="red", bold=True) if alarm else self.style(screen.text(t), dim=True)
                          for t, alarm in parts)
        click.echo(text)

    def update(self, text: str) -> None:
        """Rewrite one status line in place (a wait's countdown, a poll's last result)."""
        line = screen.text(self.redactor.text(text, screen=True))[: layout.width() - 1]
        click.echo(f"\r{line}\x1b[K" if sys.stdout.isatty() else line, nl=not sys.stdout.isatty())
        self._status = sys.stdout.isatty()

    def end_status(self) -> None:
        if self._status:
            self._status = False
            click.echo("")

    def output(self, text: str) -> None:
        """Command output printed after the fact (a drill, a secret capture): colours kept, nothing
        else; cut to its first and last lines like live output."""
        self.end_status()
        click.echo(layout.cut(screen.output(self.redactor.text(text, screen=True))).rstrip("\n"))

    def stream(self, chunk: str) -> None:
        """Live command output, redacted a whole line at a time (a progress bar's ``\r`` ends a line
        too) so a credential split across two reads is still caught; ``""`` (the command ended)
        flushes what is left, and so does a very long line."""
        self._pending += chunk
        cut = max(self._pending.rfind("\n"), self._pending.rfind("\r")) + 1
        if chunk == "" or len(self._pending) > 65536:
            # a very long line: keep back what may be the first part of a secret, to mask it whole
            cut = len(self._pending) - (0 if chunk == "" else max(0, self.redactor.longest - 1))
        if chunk != "":
            cut = screen.unfinished(self._pending[:cut])  # an escape sequence cut in two waits for its end
        if cut > 0:
            self.end_status()
            sys.stdout.write(self._limiter.feed(screen.output(self.redactor.text(self._pending[:cut], screen=True))))
            self._pending = self._pending[cut:]
        if chunk == "":
            sys.stdout.write(self._limiter.finish())
        sys.stdout.flush()

    def line(self, prompt: str, default: str | None = None) -> str:
        self.end_status()
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
        contacts = bool(self.details) and "o" not in keys
        if contacts:
            menu += "  [o]wner"
        while True:
            pager = self.pager if "p" not in keys else None
            answer = self.line(f"{prompt} {menu}{'  [p]age' if pager else ''}  [?] help").lower()
            if answer in keys:
                return answer
            if contacts and answer in ("o", "owner"):
                for text in self.details:
                    self.say(f"  {text}")
                continue
            if pager is not None and answer in ("p", "page"):
                pager()
                continue
            full = {m.split()[0].lower(): k for k, m in options}
            if answer in full:
                return full[answer]
            if answer in ("?", "h", "help"):
                for k, m in options:
                    self.say(f"  {k}  {m}")
                if pager is not None:
                    self.say("  p  page the next level of the escalation chain now (each press: the level after)")
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

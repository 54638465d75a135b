"""One redactor per run, so the screen, the journal and every export hide the same things.

It knows the declared secret values (secret inputs, secret captures) in every form they take on
their way out: as given, shell-quoted (``'a'\\''b'``, ``'a'"'"'b'``, ``a\\'b``), JSON-escaped and
URL-encoded; and it relies on :func:`validator.secrets.redact` for credential patterns found in
command output.  Output kept from its end only (the journal's last 64 KB) may begin with the tail
of a secret whose head was cut off: :meth:`Redactor.cut` masks that too.
"""

from __future__ import annotations

import json
import re
import shlex
from typing import Any
from urllib.parse import quote

from validator.secrets import MASK, redact

_PRINTF_Q = re.compile(r"([^\w@%+=:,./-])")


def forms(value: str) -> set[str]:
    """The texts ``value`` may appear as in commands, traces and output."""
    bash_quoted = "'" + value.replace("'", "'\\''") + "'"  # bash's own: ${v@Q}, set -x
    return {value, shlex.quote(value), bash_quoted, bash_quoted[1:-1], value.replace("'", "'\"'\"'"),
            _PRINTF_Q.sub(r"\\\1", value), json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1],
            quote(value, safe=""), quote(value)} - {""}


class Redactor:
    """Masks secrets in text and in JSON-like values; new secrets can be added as they appear."""

    def __init__(self, values: set[str] | None = None) -> None:
        self.values: set[str] = set()
        self.withheld: set[str] = set()  # kept out of every record, but the responder may read them on screen
        for value in values or ():
            self.add(value)

    def add(self, value: object) -> None:
        text = str(value) if value is not None else ""
        if text:
            self.values |= forms(text)

    def withhold(self, value: str) -> None:
        """A value the responder must read (a captured audit log) but that must never be written."""
        if value:
            self.withheld.add(value)

    @property
    def longest(self) -> int:
        """The length of the longest form of a secret (how much text may hold one piece of it)."""
        return max(map(len, self.values), default=0)

    def text(self, text: str, screen: bool = False) -> str:
        """``text`` with every secret masked; on ``screen`` withheld values stay readable, and only
        credentials inside them are masked: the secret is hidden, not the whole output."""
        if not text:
            return text
        values = self.values if screen else self.values | self.withheld
        out = redact(text, values)
        # redact() ignores values shorter than 3 characters; a declared secret is hidden whatever its length
        for value in values:
            if 0 < len(value) < 3 and value in out:
                out = out.replace(value, MASK)
        return out

    def cut(self, text: str) -> str:
        """``text`` whose beginning was cut off: mask a leading piece that ends a secret, then the rest."""
        body = text.lstrip("\ufffd")  # a character cut in half decodes as U+FFFD
        longest = max((size for value in self.values for size in range(1, min(len(value), len(body) + 1))
                       if body.startswith(value[-size:])), default=0)
        return MASK + self.text(body[longest:]) if longest else self.text(text)

    def value(self, value: Any) -> Any:
        """Redact every string inside a JSON-like value (keys are ours and left alone)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {k: self.value(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.value(v) for v in value]
        return value

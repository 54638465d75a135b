"""One redactor per run, so the screen, the journal and every export hide the same things.

It knows the declared secret values (secret inputs, secret captures) and relies on
:func:`validator.secrets.redact` for credential patterns found in command output.
"""

from __future__ import annotations

from typing import Any

from validator.secrets import MASK, redact


class Redactor:
    """Masks secrets in text and in JSON-like values; new secrets can be added as they appear."""

    def __init__(self, values: set[str] | None = None) -> None:
        self.values: set[str] = set(values or ())
        self.withheld: set[str] = set()  # kept out of every record, but the responder may read them on screen

    def add(self, value: object) -> None:
        text = str(value) if value is not None else ""
        if text:
            self.values.add(text)

    def withhold(self, value: str) -> None:
        """A value the responder must read (a captured audit log) but that must never be written."""
        if value:
            self.withheld.add(value)

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

    def value(self, value: Any) -> Any:
        """Redact every string inside a JSON-like value (keys are ours and left alone)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {k: self.value(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.value(v) for v in value]
        return value

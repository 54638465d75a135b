"""Write an imported runbook as YAML a person will edit: keys in the format's order, multi-line
text as literal blocks, and a header saying where it came from and what to review.

The documents are plain (mappings, lists, text, numbers, booleans), so they are written here
directly: a general YAML representer cost several times the markdown parse.  Text that is
not plainly safe is written as a JSON string, which is a valid YAML double-quoted scalar; the
tests load every written file back and compare it with the document.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9 _./()-]*")
_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}


@lru_cache(maxsize=4096, typed=True)
def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if _PLAIN.fullmatch(text) and not text.endswith(" ") and text.lower() not in _RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)


def _block(text: str, indent: str) -> str | None:
    """A literal block for multi-line text that survives it unchanged, else None."""
    lines = text.split("\n")
    if "\t" in text or "\r" in text or lines[0].startswith(" ") or any(ln != ln.rstrip(" ") for ln in lines):
        return None
    chomp = "" if text.endswith("\n") and not text.endswith("\n\n") else "-" if not text.endswith("\n") else None
    if chomp is None:
        return None
    body = lines[:-1] if text.endswith("\n") else lines
    return f"|{chomp}\n" + "\n".join(f"{indent}{ln}" if ln else "" for ln in body)


def _value(value: Any, indent: str) -> str:
    """``value`` written after ``key:`` (or ``- ``) at ``indent``: inline, or starting on the next line."""
    if isinstance(value, dict):
        return "\n" + _mapping(value, indent + "  ") if value else " {}"
    if isinstance(value, list):
        return "\n" + _sequence(value, indent) if value else " []"
    if isinstance(value, str) and "\n" in value:
        block = _block(value, indent + "  ")
        if block is not None:
            return " " + block
    return " " + _scalar(value)


def _mapping(doc: dict[str, Any], indent: str) -> str:
    return "\n".join(f"{indent}{_scalar(key)}:{_value(value, indent)}" for key, value in doc.items())


def _sequence(items: list[Any], indent: str) -> str:
    out: list[str] = []
    for item in items:
        if isinstance(item, dict) and item:
            inner = _mapping(item, indent + "  ")
            out.append(f"{indent}- {inner[len(indent) + 2:]}")
        else:
            out.append(f"{indent}-{_value(item, indent)}")
    return "\n".join(out)


def to_yaml(doc: dict[str, Any], source: str, notes: list[str]) -> str:
    head = [f"# Imported from {source} by runbook import.",
            "# Review every step marked needs_review, set its risk, then delete the mark."]
    head += [f"#  - {' '.join(note.split())}" for note in notes[:20]]
    return "\n".join(head) + "\n" + _mapping(doc, "") + "\n"

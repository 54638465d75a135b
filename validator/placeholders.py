"""The ``{{placeholders}}`` a communication template may use: exactly the ones the runner fills.

Lint (rule S406) and the runner both read this module, so a template that passes lint is
one the runner can send without leaving ``{{...}}`` in a message to customers.
"""

from __future__ import annotations

import re

#: Every placeholder the runner fills, besides ``inputs.NAME`` for declared non-secret inputs.
KNOWN: frozenset[str] = frozenset({
    "severity", "severity_name", "title", "runbook", "service", "status", "elapsed", "started_at", "now",
    "step", "step_title", "next_update", "update_every", "respond", "resolve", "commander", "summary",
    "update_summary", "update_number",
})
INPUT_PREFIX = "inputs."

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")


def used(text: str) -> list[tuple[str, int]]:
    """``(name, offset)`` of every ``{{name}}`` in ``text``, in order."""
    return [(m.group(1), m.start()) for m in PLACEHOLDER.finditer(text)]


def input_name(placeholder: str) -> str | None:
    """``region`` for ``inputs.region``; None for any other placeholder."""
    return placeholder[len(INPUT_PREFIX):] if placeholder.startswith(INPUT_PREFIX) else None

"""Mermaid building blocks: safe labels, and a policy's escalation path (a runbook's step graph
is drawn by :mod:`validator.docsite.flowchart`).

Node ids are generated (``s0``, ``s1`` …) so no author-chosen id can clash with Mermaid
keywords; labels go through :func:`label`, which turns every character Mermaid or HTML could
read as syntax into a Mermaid entity code.
"""

from __future__ import annotations

import textwrap

from validator.docsite.text import redact
from validator.durations import format_duration
from validator.model import EscalationLevel

_ENTITIES = {
    "#": "#35;",
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "&": "#amp;",
    "`": "#96;",
    "{": "#123;",
    "}": "#125;",
    "[": "#91;",
    "]": "#93;",
    "|": "#124;",
    ";": "#59;",
}
MAX_LABEL = 60


def label(text: str, wrap: int | None = None) -> str:
    """A quoted Mermaid label that shows ``text`` literally (shortened; on one line, or broken into
    lines of about ``wrap`` characters so a diagram stays narrow enough to read at page width)."""
    one_line = " ".join(redact(text).split())
    if len(one_line) > MAX_LABEL:
        one_line = one_line[: MAX_LABEL - 1] + "…"
    lines = textwrap.wrap(one_line, wrap, break_long_words=False) if wrap else [one_line]
    return '"' + "<br>".join("".join(_ENTITIES.get(ch, ch) for ch in line) for line in lines) + '"'


def escalation_flow(levels: list[EscalationLevel], names: dict[str, str]) -> str:
    """Each escalation level after the previous one, with who is notified."""
    lines = ["flowchart TD", '  e0(("incident"))']
    for i, level in enumerate(levels, 1):
        who = ", ".join(names.get(n, n) for n in level.notify)
        head = level.name or f"Level {i}"
        lines.append(f"  e{i}[{label(f'{head}: {who}')}]")
        when = f"after {format_duration(level.after)}" if level.after else "at once"
        lines.append(f"  e{i - 1} -- {label(when)} --> e{i}")
    return "\n".join(lines)

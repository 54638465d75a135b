"""Where a step's text is: the fields the runner substitutes ``${name}`` in, the captures a
step may use, and findings placed on a word inside a multi-line value.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

from validator.findings import Finding
from validator.model import At, Runbook, Source, Step
from validator.rules.base import Context
from validator.rules.scalar import place_offset


def located(ctx: Context, source: Source, at: At, text: str, offset: int, message: str, hint: str | None = None) -> Finding:
    line, col = place_offset(source, at, text, offset)
    return dataclasses.replace(ctx.report(source, at, message, hint), line=line, col=col)


INPUT_REF = re.compile(r"\binputs\.([A-Za-z_]\w*)")


def word_at(ctx: Context, source: Source, at: At, text: str, word: str, message: str, hint: str) -> Finding:
    """A finding at ``word`` (a whole word) inside the text value ``text`` at ``at``."""
    found = re.search(rf"(?<![\w.]){re.escape(word)}(?![\w.])", text)
    return located(ctx, source, at, text, found.start() if found else 0, message, hint)


def command_texts(step: Step) -> Iterator[tuple[str, At, str]]:
    """``(key, at, text)`` of every field whose ``${name}`` the runner substitutes."""
    for key, text in (("run", step.run), ("undo", step.undo), ("wait.until", step.wait.until if step.wait else None)):
        if text:
            yield key, (*step.at, *key.split(".")), text
    for i, arg in enumerate(step.args):
        yield "args", (*step.at, "args", i), arg
    for name, value in step.env.items():
        yield "env", (*step.at, "env", name), value


def captured_before(rb: Runbook, step: Step, include_self: bool = False) -> dict[str, Step]:
    """Captures available to ``step``: from steps that run before it (and itself, for ``undo``)."""
    out: dict[str, Step] = {}
    for other in rb.all_steps():
        if other is step and not include_self:
            break
        out.update({c.name: other for c in other.capture})
        if other is step:
            break
    return out

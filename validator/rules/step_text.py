"""Where a step's text is: the fields the runner substitutes ``${name}`` in, every step of a
runbook as one list, and findings placed on a word inside a multi-line value.
"""

from __future__ import annotations

import dataclasses
import re

from validator.findings import Finding
from validator.model import At, Runbook, Source, Step
from validator.rules.base import Context
from validator.rules.memo import per_run
from validator.rules.scalar import place_offset


def located(ctx: Context, source: Source, at: At, text: str, offset: int, message: str, hint: str | None = None) -> Finding:
    line, col = place_offset(source, at, text, offset)
    return dataclasses.replace(ctx.report(source, at, message, hint), line=line, col=col)


def word_at(ctx: Context, source: Source, at: At, text: str, word: str, message: str, hint: str) -> Finding:
    """A finding at ``word`` (a whole word) inside the text value ``text`` at ``at``."""
    found = re.search(rf"(?<![\w.]){re.escape(word)}(?![\w.])", text)
    return located(ctx, source, at, text, found.start() if found else 0, message, hint)


Text = tuple[str, At, str]


def _texts(step: Step) -> list[Text]:
    out: list[Text] = []
    for key, text in (("run", step.run), ("undo", step.undo), ("wait.until", step.wait.until if step.wait else None)):
        if text:
            out.append((key, (*step.at, *key.split(".")), text))
    out += [("args", (*step.at, "args", i), arg) for i, arg in enumerate(step.args)]
    out += [("env", (*step.at, "env", name), value) for name, value in step.env.items()]
    return out


def steps_of(rb: Runbook) -> list[Step]:
    """Steps, verification steps and rollback steps, as one list (cheaper than ``all_steps()``)."""
    return [*rb.steps, *rb.verify, *rb.rollback]


def all_texts(ctx: Context) -> dict[int, list[Text]]:
    """For every step (by ``id``), the ``(key, at, text)`` of each field whose ``${name}`` the runner
    substitutes (run, undo, wait.until, args, env); collected once per lint run."""
    return per_run(ctx, "command_texts", lambda: {id(st): _texts(st) for rb in ctx.repo.runbooks for st in steps_of(rb)})

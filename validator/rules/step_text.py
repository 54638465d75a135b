"""Where a step's text is: the fields the runner substitutes ``${name}`` in, every step of a
runbook as one list, and findings placed on a word inside a multi-line value.
"""

from __future__ import annotations

import dataclasses
import re

from validator.findings import Finding
from validator.model import At, Runbook, Source, Step
from validator.rules.base import Context
from validator.rules.scalar import place_offset


def located(ctx: Context, source: Source, at: At, text: str, offset: int, message: str, hint: str | None = None) -> Finding:
    line, col = place_offset(source, at, text, offset)
    return dataclasses.replace(ctx.report(source, at, message, hint), line=line, col=col)


def word_at(ctx: Context, source: Source, at: At, text: str, word: str, message: str, hint: str) -> Finding:
    """A finding at ``word`` (a whole word) inside the text value ``text`` at ``at``."""
    found = re.search(rf"(?<![\w.]){re.escape(word)}(?![\w.])", text)
    return located(ctx, source, at, text, found.start() if found else 0, message, hint)


Text = tuple[str, At, str]


def step_texts(step: Step) -> list[Text]:
    """``(key, at, text)`` of every field whose ``${name}`` the runner substitutes: run, undo,
    wait.until, args and env.  Several rules ask for every step, so the list is kept on the step
    (the pipeline freezes the loaded model before linting, so the collector does not rescan it)."""
    cached: list[Text] | None = step.__dict__.get("_texts")
    if cached is None:
        cached = step.__dict__["_texts"] = _collect(step)
    return cached


def _collect(step: Step) -> list[Text]:
    at, run, undo, wait = step.at, step.run, step.undo, step.wait
    out: list[Text] = []
    if run:
        out.append(("run", (*at, "run"), run))
    if undo:
        out.append(("undo", (*at, "undo"), undo))
    if wait is not None and wait.until:
        out.append(("wait.until", (*at, "wait", "until"), wait.until))
    if step.args:
        out += [("args", (*at, "args", i), arg) for i, arg in enumerate(step.args)]
    if step.env:
        out += [("env", (*at, "env", name), value) for name, value in step.env.items()]
    return out


def steps_of(rb: Runbook) -> tuple[Step, ...]:
    """Steps, verification steps and rollback steps, as one sequence (cheaper than ``all_steps()``).
    Most step rules walk every runbook's steps, so it is kept on the runbook like the step texts."""
    cached: tuple[Step, ...] | None = rb.__dict__.get("_steps")
    if cached is None:
        cached = rb.__dict__["_steps"] = (*rb.steps, *rb.verify, *rb.rollback)
    return cached

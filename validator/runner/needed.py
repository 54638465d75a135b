"""Inputs asked when a step first needs them, not all before the first step: the commit to
revert is often found by the step before the one that reverts it.

A step needs the inputs its texts name as ``${name}`` (command, arguments, environment, undo,
poll, manual text, checklist items, a called runbook's inputs) and those its ``when:`` reads as
``inputs.name``.  Unattended runs never ask: every required input is given before they start.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from validator import commands
from validator.findings import ConfigError
from validator.model import Runbook, Step
from validator.runner import inputs as inputs_mod
from validator.runner.quoting import substitute_arg
from validator.secrets import MASK

if TYPE_CHECKING:
    from validator.runner.session import Session

_CONDITION_INPUT = re.compile(r"\binputs\.([A-Za-z_][A-Za-z0-9_]*)")


def texts(step: Step) -> list[str]:
    out = [t for t in (step.run, step.undo, step.manual, step.wait.until if step.wait else None) if t]
    out += step.args + list(step.env.values()) + step.checklist + [str(v) for v in step.call_inputs.values()]
    return out


def names(step: Step) -> list[str]:
    """Input names the step uses, in the order they appear."""
    found = [name for text in texts(step) for name, _ in commands.references(text)]
    if step.when:
        found += _CONDITION_INPUT.findall(step.when)
    return list(dict.fromkeys(found))


def ask_inputs(s: Session, step: Step, condition_only: bool = False) -> None:
    """Ask for the inputs ``step`` uses that have no value yet (with ``condition_only``, those its
    ``when:`` reads), and record them."""
    state = s.state
    wanted = _CONDITION_INPUT.findall(step.when or "") if condition_only else names(step)
    for name in wanted:
        spec = state.runbook.input(name)
        if spec is None or name in state.inputs:
            continue
        if not s.mode.interactive:
            raw = spec.default if spec.default is not None else spec.example if s.mode.drill else None
            state.inputs[name] = inputs_mod.convert(spec, raw) if raw is not None else None
            continue
        s.console.say(f"Step {step.id} needs input {name}.", bold=True)
        value = inputs_mod.ask(spec, s.console)
        state.inputs[name] = value
        s.journal.write("input", step=step.id, name=name, value=MASK if spec.secret else value, secret=spec.secret)


def call_inputs(s: Session, step: Step, callee: Runbook) -> dict[str, Any]:
    """The called runbook's inputs: those the step gives (``${name}`` filled in from this run), then
    its defaults; any other it needs is asked when its own step needs it."""
    values: dict[str, Any] = {}
    for name, raw in step.call_inputs.items():
        spec = callee.input(name)
        if spec is None:
            continue
        text = substitute_arg(raw, s.state.lookup) if isinstance(raw, str) else raw
        try:
            values[name] = inputs_mod.convert(spec, text)
        except ValueError as err:
            raise ConfigError(f"step {step.id}: input {name} for runbook {callee.id}: {err}") from None
    return values

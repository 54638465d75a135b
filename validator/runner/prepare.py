"""Turn a step into the exact argv that will run, and the text shown for it.

``run:`` strings go to ``bash -c`` with every ``${name}`` turned into a reference to an environment
variable that holds the value (:mod:`validator.runner.quoting`); ``script`` steps run the file
directly (no shell) with each argument one argv element; the script path must stay inside the
repository.  Environment values are plain text (no shell reads them).  What is shown has the
values filled in and secret ones masked.
"""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass

from validator.model import Step
from validator.runner.quoting import Values, fill_shell, substitute_arg
from validator.runner.state import RunState
from validator.secrets import MASK


class PrepareError(Exception):
    """The step cannot be run as written (a script outside the repository, for example)."""


@dataclass
class Prepared:
    argv: list[str]
    shown: str
    env: dict[str, str]
    problems: list[str]


def values(state: RunState) -> Values:
    return Values(state.lookup, state.variable, state.is_secret)


def shell(command: str, state: RunState) -> Prepared:
    filled = fill_shell(command, values(state))
    return Prepared(["bash", "-c", filled.text], filled.shown, filled.env, filled.problems)


def build(step: Step, state: RunState) -> Prepared:
    """The argv, the shown text and the environment; ``problems`` say why it must not run."""
    if step.run is not None:
        prepared = shell(step.run, state)
    elif step.script is not None:
        prepared = _script(step, state)
    elif step.wait is not None and step.wait.until is not None:
        prepared = shell(step.wait.until, state)
    else:
        raise PrepareError(f"step {step.id} has no command")
    prepared.env = {**{k: substitute_arg(v, state.lookup) for k, v in step.env.items()}, **prepared.env}
    return prepared


def prepare(step: Step, state: RunState, command: str | None = None) -> Prepared:
    """What runs for ``step`` (or for ``command``, its undo); PrepareError when it must not run."""
    prepared = build(step, state) if command is None else shell(command, state)
    if prepared.problems:
        raise PrepareError(f"step {step.id}: " + "; ".join(prepared.problems))
    return prepared


def _script(step: Step, state: RunState) -> Prepared:
    assert step.script is not None
    root = state.root.resolve()
    path = (root / step.script).resolve()
    if not path.is_relative_to(root):
        raise PrepareError(f"step {step.id}: script {step.script!r} is outside the repository {root}")
    argv = [str(path), *(substitute_arg(a, state.lookup) for a in step.args)]
    masked = [substitute_arg(a, lambda n: MASK if state.is_secret(n) and state.lookup(n) is not None else state.lookup(n))
              for a in step.args]
    return Prepared(argv, shlex.join([step.script, *masked]), {}, [])


def environment(extra: dict[str, str]) -> dict[str, str] | None:
    if not extra:
        return None
    env = dict(os.environ)
    env.update(extra)
    return env


def shown_command(step: Step, state: RunState) -> str | None:
    """What the step card shows; None for steps without a command."""
    if not (step.is_command or (step.wait is not None and step.wait.until)):
        return None
    try:
        return build(step, state).shown
    except PrepareError as err:
        return f"(cannot run: {err})"

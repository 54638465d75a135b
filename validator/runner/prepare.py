"""Turn a step into the exact argv that will run, and the text shown for it.

``run:`` strings go to ``bash -c`` with every ``${name}`` shell-quoted; ``script`` steps run the
file directly (no shell) with each argument one argv element; the script path must stay
inside the repository.  Environment values are plain text (no shell reads them).
"""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass

from validator.model import Step
from validator.runner.quoting import substitute_arg, substitute_shell
from validator.runner.state import RunState


class PrepareError(Exception):
    """The step cannot be run as written (a script outside the repository, for example)."""


@dataclass
class Prepared:
    argv: list[str]
    shown: str
    env: dict[str, str]


def shell(command: str, state: RunState) -> Prepared:
    text = substitute_shell(command, state.lookup)
    return Prepared(["bash", "-c", text], text, {})


def prepare(step: Step, state: RunState) -> Prepared:
    if step.run is not None:
        prepared = shell(step.run, state)
    elif step.script is not None:
        prepared = _script(step, state)
    elif step.wait is not None and step.wait.until is not None:
        prepared = shell(step.wait.until, state)
    else:
        raise PrepareError(f"step {step.id} has no command")
    prepared.env = {k: substitute_arg(v, state.lookup) for k, v in step.env.items()}
    return prepared


def _script(step: Step, state: RunState) -> Prepared:
    assert step.script is not None
    root = state.root.resolve()
    path = (root / step.script).resolve()
    if not path.is_relative_to(root):
        raise PrepareError(f"step {step.id}: script {step.script!r} is outside the repository {root}")
    argv = [str(path), *(substitute_arg(a, state.lookup) for a in step.args)]
    shown = shlex.join([step.script, *argv[1:]])
    return Prepared(argv, shown, {})


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
        return prepare(step, state).shown
    except PrepareError as err:
        return f"(cannot run: {err})"

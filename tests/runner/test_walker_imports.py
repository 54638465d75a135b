"""The walker owns the order of a run; the step handlers only perform steps.  So no handler
imports the session or the walker at run time (only for type hints), and the old circle
session → actions → failure → session cannot come back."""

from __future__ import annotations

import ast
from pathlib import Path

import validator.runner

RUNNER = Path(validator.runner.__file__).parent
HANDLERS = ("actions", "commands", "decisions", "failure", "needed", "waiting", "display", "prepare")


def _runtime_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue  # hints only
        for sub in ast.walk(node):
            if isinstance(sub, ast.ImportFrom) and sub.module:
                found.add(sub.module)
                found.update(f"{sub.module}.{a.name}" for a in sub.names)
            elif isinstance(sub, ast.Import):
                found.update(a.name for a in sub.names)
    return found


def test_handlers_never_import_the_session_or_the_walker() -> None:
    for name in HANDLERS:
        imported = _runtime_imports(RUNNER / f"{name}.py")
        assert not {m for m in imported if m.startswith(("validator.runner.session", "validator.runner.walker"))}, name


def test_only_the_walker_uses_the_failure_policy() -> None:
    users = sorted(p.stem for p in RUNNER.glob("*.py") if "validator.runner.failure" in _runtime_imports(p))
    assert users == ["walker"]

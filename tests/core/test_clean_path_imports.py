"""A clean file must not pay for the machinery that only explains failures.

``jsonschema`` (with the format checkers it pulls in, such as ``rfc3986_validator``) costs
about a quarter of a second of imports; ``jsonschema-rs`` decides validity alone, and the
pure-Python validator is loaded only to explain a document that failed.  These tests read
``python -X importtime`` of the real command, so they see every import, however indirect.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from core_helpers import HANG_GUARD, RUNBOOK, make_repo

_IMPORTED = re.compile(r"^import time:\s+\d+ \|\s+\d+ \| *([\w.]+)\s*$", re.M)
SLOW_PATH = ("jsonschema", "rfc3986_validator", "rfc3339_validator", "referencing", "jsonschema_specifications")


def _imports_of_validate(cwd: Path, *args: str) -> tuple[int, str, set[str]]:
    """Run ``python -X importtime -m validator validate ARGS``: exit code, stdout and the top-level packages imported."""
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "validator", "validate", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=HANG_GUARD, check=False)
    modules = _IMPORTED.findall(proc.stderr)
    assert modules, proc.stderr[-2000:]  # importtime really reported
    return proc.returncode, proc.stdout, {m.split(".")[0] for m in modules}


def test_a_clean_file_never_imports_jsonschema(tmp_path: Path) -> None:
    target = make_repo(tmp_path)
    code, out, packages = _imports_of_validate(tmp_path, "--today", "2026-11-01", str(target.relative_to(tmp_path)))
    assert code == 0 and out.endswith(" checked: no problems\n"), out
    assert "jsonschema_rs" in packages  # the fast validator did the work
    assert "validator" in packages and "yaml" in packages
    assert not packages & set(SLOW_PATH), sorted(packages & set(SLOW_PATH))


def test_a_clean_repository_without_lint_never_imports_jsonschema(tmp_path: Path) -> None:
    make_repo(tmp_path)
    code, out, packages = _imports_of_validate(tmp_path, "--no-lint", "runbooks")
    assert (code, out) == (0, "2 files checked: no problems\n")
    assert not packages & set(SLOW_PATH), sorted(packages & set(SLOW_PATH))


def test_a_schema_error_loads_jsonschema_to_explain_it(tmp_path: Path) -> None:
    make_repo(tmp_path, RUNBOOK.replace("    timeout: 30s\n", "    tiemout: 30s\n", 1))
    code, out, packages = _imports_of_validate(tmp_path, "--no-lint", "runbooks")
    assert code == 1
    assert "runbooks/db-down.yaml:13:5: error: unknown key 'tiemout' in steps[0] [F001]" in out
    assert "hint: did you mean 'timeout'?" in out
    assert "jsonschema" in packages

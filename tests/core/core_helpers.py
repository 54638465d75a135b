"""Run the installed console scripts for real and read what they print.

The scripts are found beside the running interpreter, so the tests exercise what
``pip install`` put on the PATH of this virtual environment (the repo's ``.venv`` or a nox one).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The fixtures' contacts are drama numbers and example.org addresses, which the repository declares.
FICTIONAL = """
[[tool.runbook.per_path]]
paths = ["**"]
disable = ["C115"]
reason = "test fixture: every person, number and address is invented"
"""

BIN = Path(sys.executable).parent
HANG_GUARD = 60  # seconds: only turns a hang into a failure, never a speed assertion


@dataclass
class Ran:
    """The outcome of one console-script run."""

    code: int
    out: str
    err: str

    @property
    def both(self) -> str:
        return self.out + self.err

    def json(self) -> Any:
        return json.loads(self.out)

    def findings(self) -> list[dict[str, Any]]:
        """Findings from ``--format json`` output."""
        found: list[dict[str, Any]] = self.json()["findings"]
        return found


def run_script(name: str, *args: str | os.PathLike[str], cwd: Path | None = None, env: dict[str, str] | None = None,
               timeout: float = HANG_GUARD, stdin: str | None = None) -> Ran:
    """Run an installed console script (``validate_runbook``, ``runbook``) in a subprocess, with
    ``stdin`` piped to it (none at all when not given, as in CI)."""
    full_env = {**os.environ, "NO_COLOR": "1"}
    full_env.pop("RUNBOOK_DEBUG", None)
    full_env.update(env or {})
    piped = {"input": stdin.encode("utf-8")} if stdin is not None else {"stdin": subprocess.DEVNULL}
    proc = subprocess.run([str(BIN / name), *map(str, args)], cwd=cwd, env=full_env, capture_output=True, timeout=timeout,
                          check=False, **piped)
    return Ran(proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"))


def validate(*args: str | os.PathLike[str], cwd: Path | None = None, timeout: float = HANG_GUARD) -> Ran:
    """``validate_runbook ARGS`` as CI would run it."""
    return run_script("validate_runbook", *args, cwd=cwd, timeout=timeout)


def validate_json(*args: str | os.PathLike[str], cwd: Path | None = None, timeout: float = HANG_GUARD) -> Ran:
    """``validate_runbook --format json --no-lint ARGS``: core findings only, machine-readable."""
    return validate("--format", "json", "--no-lint", *args, cwd=cwd, timeout=timeout)


def assert_clean_failure(ran: Ran, codes: tuple[int, ...] = (1, 2)) -> None:
    """A failure that a person can act on: the expected exit code and no traceback or crash report."""
    assert ran.code in codes, ran.both
    assert "Traceback" not in ran.both, ran.both
    assert "internal error" not in ran.both, ran.both


def rules_at(findings: Sequence[dict[str, Any]]) -> list[tuple[str, int, int]]:
    """(rule, line, column) of each finding, the shape most assertions compare."""
    return [(f["rule"], f["line"], f["column"]) for f in findings]


POLICY = """\
version: 1
kind: policy
id: acme
owner: on-call
severities:
  - {id: P1, name: Critical, respond: 5m, resolve: 4h, update_every: 30m, page: [on-call]}
contacts:
  - {id: ana, name: Ana Lima, phone: "+44 20 7946 0958", backup: bo}
  - {id: bo, name: Bo Chen, phone: "+1 415 555 2671"}
roles:
  - {id: on-call, name: On-call engineer, primary: ana, secondary: bo}
templates:
  - {id: status-update, body: "{{title}} is {{status}}"}
"""

RUNBOOK = """\
version: 1
kind: runbook
id: db-down
title: Database down
service: api
severity: P1
owner: on-call
review: {last_reviewed: 2026-10-01, every: 90d}
steps:
  - id: check
    title: Check the health endpoint
    run: curl -fsS http://localhost:8000/healthz
    timeout: 30s
verify:
  - {id: health-ok, title: Health is back, run: curl -fsS http://localhost:8000/healthz, timeout: 30s}
"""


def make_repo(root: Path, runbook: str = RUNBOOK, policy: str = POLICY, folder: str = "runbooks") -> Path:
    """A repository root with ``pyproject.toml``, a policy and one runbook under ``folder``; returns the runbook."""
    (root / "pyproject.toml").write_text("[project]\nname = 'fixture'\n" + FICTIONAL, encoding="utf-8")
    (root / folder).mkdir(parents=True, exist_ok=True)
    (root / folder / "policy.yaml").write_text(policy, encoding="utf-8")
    path = root / folder / "db-down.yaml"
    path.write_text(runbook, encoding="utf-8")
    return path

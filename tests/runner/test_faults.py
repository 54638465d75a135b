"""Runs survive faults without doing anything twice, with real processes and real files:
commands that cannot start are step failures, not crashes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.runner.conftest import FIXTURES, RUNBOOKS, Run, only_journal

pytestmark = pytest.mark.pty


def test_commands_that_cannot_start_are_step_failures_that_follow_on_failure(work: Path) -> None:
    os.chmod(FIXTURES / "scripts" / "not-executable.sh", 0o644)  # what git checks out; the test relies on it
    run = Run(["run", str(RUNBOOKS / "exec-failures.yaml"), "--yes", "--force", "-i", f"workdir={work}"], work)
    run.expect("Run completed.")
    assert run.finish() == 0
    assert "internal error" not in run.screen
    assert (work / "reached").exists()
    _, evts = only_journal(work)
    reasons = {e["step"]: e["reason"] for e in evts if e["type"] == "command" and not e["ok"]}
    assert reasons["bad-interpreter"].endswith("bad-interpreter.sh's #! line was not found")
    assert reasons["no-shebang"].endswith("no-shebang.sh is not a program the system can start (no #! line, or a bad one)")
    assert reasons["not-executable"].endswith("not-executable.sh is not executable (permission denied)")
    nul = "could not start: the command, an argument or an environment value contains a NUL character"
    assert reasons["nul-in-env"] == reasons["nul-in-run"] == nul
    assert reasons["long-delay"] == "exit code 1, expected 0"
    assert "Not retrying: a retry_delay of 30d is longer than a run waits (at most 1d)." in run.screen
    assert [e["step"] for e in evts if e["type"] == "command" and e["step"] == "long-delay"] == ["long-delay"]
    ends = [(e["step"], e["outcome"]) for e in evts if e["type"] == "step_end"]
    assert ends == [("bad-interpreter", "failed"), ("no-shebang", "failed"), ("not-executable", "failed"),
                    ("nul-in-env", "failed"), ("nul-in-run", "failed"), ("long-delay", "failed"), ("reached", "done")]
    assert evts[-1]["type"] == "end" and evts[-1]["outcome"] == "completed"

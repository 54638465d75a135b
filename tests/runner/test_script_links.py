"""A ``script:`` path that reaches outside the repository through a linked folder is never run,
even with ``--force`` past the lint error: the step fails and says why."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import RUNBOOK, env

PROBE = """\
version: 1
kind: runbook
id: probe
title: Probe
service: api
review: {last_reviewed: 2026-10-01, every: 90d}
steps:
  - id: probe
    title: Run the probe
    script: tools/probe.sh
    timeout: 30s
"""


def test_a_script_through_a_linked_folder_is_not_run(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    marker = tmp_path / "ran"
    probe = outside / "probe.sh"
    probe.write_text(f"#!/bin/sh\ntouch '{marker}'\n", encoding="utf-8")
    probe.chmod(0o755)
    repo = tmp_path / "repo"
    (repo / "runbooks").mkdir(parents=True)
    (repo / "pyproject.toml").write_text("[project]\nname = 'fixture'\n", encoding="utf-8")
    (repo / "runbooks" / "probe.yaml").write_text(PROBE, encoding="utf-8")
    os.symlink(outside, repo / "tools")
    done = subprocess.run([RUNBOOK, "run", "probe", "--yes", "--force"], cwd=repo, env=env(), stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "script 'tools/probe.sh' is outside the repository" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    assert not marker.exists()
    lint = subprocess.run([RUNBOOK, "validate", "runbooks"], cwd=repo, env=env(), stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=60, check=False)
    assert "is a symlink that leads outside the repository [P302]" in lint.stdout

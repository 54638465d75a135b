"""The baseline through the real CLI: record today's findings, then fail only on new ones."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.rules.conftest import STANDARD_POLICY, write_repo

# two placeholder names (C101 errors) and no owner (C109 warning)
POLICY = STANDARD_POLICY.replace("    name: Ana Lima\n", '    name: "[Name]"\n').replace(
    "    name: Bo Chen\n", '    name: "[Name]"\n')
CLI = [sys.executable, "-m", "validator", "validate", "--today", "2026-06-01"]


def validate(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, "--format", "json", *args, "."], cwd=root, capture_output=True, text=True, check=False)


def findings(run: subprocess.CompletedProcess[str]) -> list[tuple[str, int, str]]:
    return [(f["rule"], f["line"], f["message"]) for f in json.loads(run.stdout)["findings"]]


def test_write_then_apply_baseline(tmp_path: Path) -> None:
    write_repo(tmp_path, None, POLICY)
    first = validate(tmp_path, "--write-baseline", "baseline.json")
    assert first.returncode == 1  # writing the baseline still reports what it recorded
    recorded = json.loads((tmp_path / "baseline.json").read_text())
    assert recorded["version"] == 1
    assert sorted((e["path"], e["rule"]) for e in recorded["findings"]) == [
        ("policy.yaml", "C101"), ("policy.yaml", "C101"), ("policy.yaml", "C109")]
    again = validate(tmp_path, "--baseline", "baseline.json")
    assert (again.returncode, findings(again)) == (0, [])


def test_baseline_survives_lines_moving_and_reports_only_new_findings(tmp_path: Path) -> None:
    write_repo(tmp_path, None, POLICY)
    validate(tmp_path, "--write-baseline", "baseline.json")
    shifted = "# Payments policy\n# kept by the payments team\n\n" + POLICY
    shifted = shifted.replace('    chat: "#ops-incidents"\n', '    chat: "#ops-incidents"\n    email: "TBD"\n')
    (tmp_path / "policy.yaml").write_text(shifted)
    run = validate(tmp_path, "--baseline", "baseline.json")
    assert run.returncode == 1
    assert findings(run) == [("C101", 48, "contact 'ops-team': email 'TBD' is a placeholder (a to-do marker)")]


def test_each_baseline_entry_covers_one_occurrence(tmp_path: Path) -> None:
    """Copying an accepted problem to a third contact is a new finding, though its text is the same."""
    write_repo(tmp_path, None, POLICY)
    validate(tmp_path, "--write-baseline", "baseline.json")
    (tmp_path / "policy.yaml").write_text(POLICY.replace("    name: Operations on-call\n", '    name: "[Name]"\n'))
    run = validate(tmp_path, "--baseline", "baseline.json")
    assert [(rule, line) for rule, line, _ in findings(run)] == [("C101", 41)]


def test_baseline_paths_are_relative_to_the_repository_root(tmp_path: Path) -> None:
    """Running from a subfolder (so displayed paths differ) matches the same entries."""
    write_repo(tmp_path, None, None, files={"teams/payments/policy.yaml": POLICY})
    validate(tmp_path, "--write-baseline", "baseline.json")
    sub = tmp_path / "teams"
    run = subprocess.run([*CLI, "--baseline", "../baseline.json", "."], cwd=sub, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout


def test_missing_baseline_is_a_usage_error(tmp_path: Path) -> None:
    write_repo(tmp_path, None, POLICY)
    run = validate(tmp_path, "--baseline", "nope.json")
    assert run.returncode == 2
    assert "nope.json: baseline file not found (create it with --write-baseline nope.json)" in run.stderr


def test_malformed_baseline_is_a_located_usage_error(tmp_path: Path) -> None:
    write_repo(tmp_path, None, POLICY, files={"baseline.json": '{"version": 1,\n "findings": [}\n'})
    run = validate(tmp_path, "--baseline", "baseline.json")
    assert run.returncode == 2
    assert "baseline.json:2:15: not a baseline file" in run.stderr
    assert "Traceback" not in run.stderr

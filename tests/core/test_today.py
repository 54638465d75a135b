""" "Today" is an input: one module reads it, RUNBOOK_TODAY and --today set it, and the bundled
example sets stay free of review warnings for a year after their last review."""

from __future__ import annotations

import ast
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from core_helpers import FICTIONAL, assert_clean_failure, run_script, validate

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "validator"
BUNDLED = ("runbooks", "examples/ledger", "examples/tachi-protocol")  # what the README's first command validates

RUNBOOK = """\
version: 1
kind: runbook
id: disk-full
title: Disk full on a web node
service: web
review: {last_reviewed: 2026-01-10, every: 90d}
steps:
  - id: look
    title: Look at the disk
    run: df -h /
"""


def _calendar_reads(tree: ast.AST) -> list[int]:
    """Lines that ask the system for today's date or a local "now" turned into a date."""
    lines = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "today"
            and isinstance(node.value, ast.Name)
            and node.value.id in {"date", "datetime"}
        ):
            lines.append(node.lineno)
    return lines


def test_only_the_today_module_reads_the_calendar() -> None:
    """The package and the benchmarks' corpus generators ask validator/today.py, never the system."""
    readers = {}
    for path in sorted([*PACKAGE.rglob("*.py"), *(REPO / "bench").rglob("*.py")]):
        found = _calendar_reads(ast.parse(path.read_text(encoding="utf-8")))
        if found:
            readers[str(path.relative_to(REPO))] = found
    assert readers == {"validator/today.py": readers.get("validator/today.py", [])}, readers
    assert readers["validator/today.py"], "validator/today.py should be the one place that asks the system"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(FICTIONAL, encoding="utf-8")
    (tmp_path / "runbooks").mkdir()
    (tmp_path / "runbooks" / "disk-full.yaml").write_text(RUNBOOK, encoding="utf-8")
    return tmp_path


def _review_findings(*args: str, cwd: Path, env: dict[str, str]) -> list[str]:
    ran = run_script("validate_runbook", "--format", "json", *args, "runbooks", cwd=cwd, env=env)
    assert ran.code in (0, 1), ran.both
    return [f"{f['rule']} {f['message']}" for f in ran.findings() if f["rule"].startswith("D60")]


def test_the_environment_sets_today_for_the_review_rules(repo: Path) -> None:
    # reviewed 2026-01-10 every 90 days: due 2026-04-10
    assert _review_findings(cwd=repo, env={"RUNBOOK_TODAY": "2026-04-10"}) == []
    late = _review_findings(cwd=repo, env={"RUNBOOK_TODAY": "2026-04-20"})
    assert len(late) == 1 and late[0].startswith("D601") and "2026-04-10 (10 days ago" in late[0], late
    early = _review_findings(cwd=repo, env={"RUNBOOK_TODAY": "2025-12-31"})
    assert [f[:4] for f in early] == ["D603"], early


def test_the_option_wins_over_the_environment(repo: Path) -> None:
    assert _review_findings("--today", "2026-02-01", cwd=repo, env={"RUNBOOK_TODAY": "2030-01-01"}) == []


@pytest.mark.parametrize("value", ["tomorrow", "2026-02-30", "12/07/2026"])
def test_a_bad_today_is_a_usage_error_that_names_the_variable(repo: Path, value: str) -> None:
    ran = run_script("validate_runbook", "runbooks", cwd=repo, env={"RUNBOOK_TODAY": value})
    assert_clean_failure(ran, (2,))
    assert "RUNBOOK_TODAY" in ran.err and value in ran.err and "YYYY-MM-DD" in ran.err, ran.err


def test_runbook_new_writes_the_set_day_as_the_review_date(tmp_path: Path) -> None:
    ran = run_script("runbook", "new", "cache-cold", cwd=tmp_path, env={"RUNBOOK_TODAY": "2031-03-04"})
    assert ran.code == 0, ran.both
    text = (tmp_path / "runbooks" / "cache-cold.yaml").read_text(encoding="utf-8")
    assert "last_reviewed: 2031-03-04" in text, text


def _reviews() -> list[tuple[str, date, int]]:
    """(file, last_reviewed, every in days) of every review block in the bundled sets."""
    found = []
    for folder in BUNDLED:
        for path in sorted((REPO / folder).rglob("*.yaml")):
            text = path.read_text(encoding="utf-8")
            for reviewed, every in re.findall(r"last_reviewed: (\d{4}-\d{2}-\d{2})\n\s*every: (\d+)d", text):
                found.append((str(path.relative_to(REPO)), date.fromisoformat(reviewed), int(every)))
    return found


def test_the_bundled_sets_stay_clean_for_a_year_after_their_review() -> None:
    reviews = _reviews()
    assert len(reviews) >= 15, reviews  # every bundled runbook and policy carries a review block
    latest = max(reviewed for _, reviewed, _ in reviews)
    year_on = latest + timedelta(days=364)
    ran = run_script("validate_runbook", "--format", "json", *BUNDLED, cwd=REPO, env={"RUNBOOK_TODAY": year_on.isoformat()})
    assert ran.code == 0, ran.both
    assert ran.findings() == [], ran.findings()
    on_the_day = validate("--today", latest.isoformat(), *BUNDLED, cwd=REPO)
    assert on_the_day.code == 0 and "no problems" in on_the_day.out, on_the_day.both


SHIFT_HOME = REPO / "tests" / "clock_shift"


def test_the_calendar_runs_move_the_clock_of_the_commands_the_tests_start(tmp_path: Path) -> None:
    """``nox -s tests_calendar`` proves nothing unless the shift reaches every process: here a
    subprocess started as the suite starts commands sees its day moved, in both directions."""
    import os
    import subprocess
    import sys

    code = "import datetime, time; print(datetime.date.today().isoformat(), int(time.time()))"
    for days in (400, -400):
        env = {**os.environ, "RUNBOOK_TEST_CLOCK_SHIFT": str(days), "PYTHONPATH": str(SHIFT_HOME)}
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=tmp_path
        ).stdout.split()
        unshifted = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={k: v for k, v in os.environ.items() if k != "RUNBOOK_TEST_CLOCK_SHIFT"},
            cwd=tmp_path,
        ).stdout.split()
        moved = (date.fromisoformat(out[0]) - date.fromisoformat(unshifted[0])).days
        assert abs(moved - days) <= 1, (out, unshifted)
        assert abs(int(out[1]) - int(unshifted[1]) - days * 86400) < 600, (out, unshifted)


def test_a_calendar_run_is_really_shifted(tmp_path: Path) -> None:
    """Inside ``nox -s tests_calendar`` the suite itself runs on the moved clock, outside it on the
    real one: the kernel stamps a new file with the real time, which the shift does not touch."""
    import os
    import time

    stamp = tmp_path / "now"
    stamp.write_text("", encoding="utf-8")
    moved_days = (time.time() - stamp.stat().st_mtime) / 86400
    assert abs(moved_days - int(os.environ.get("RUNBOOK_TEST_CLOCK_SHIFT") or 0)) < 0.01, moved_days


def test_a_bad_today_stops_the_site_build_with_the_variable_named(tmp_path: Path) -> None:
    (tmp_path / "runbooks").mkdir()
    (tmp_path / "runbooks" / "disk-full.yaml").write_text(RUNBOOK, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: Runbooks\nplugins:\n  - runbooks\n", encoding="utf-8")
    ran = run_script("mkdocs", "build", "-q", "-d", str(tmp_path / "site"), cwd=tmp_path, env={"RUNBOOK_TODAY": "nope"})
    assert ran.code != 0 and "Traceback" not in ran.both, ran.both
    assert "runbooks: RUNBOOK_TODAY: 'nope' is not a date (write YYYY-MM-DD" in ran.both, ran.both

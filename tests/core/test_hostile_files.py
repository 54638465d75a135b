"""A hostile or odd file among good ones: located findings for that file alone, and the rest
of the folder still validates and runs.

The hostile files are the committed fixtures (explicit YAML tags, a review in the year 9999,
durations of twenty digits); the good runbook beside them is run for real with ``runbook run``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from core_helpers import assert_clean_failure, run_script, validate

MALFORMED = Path(__file__).resolve().parent.parent / "fixtures" / "malformed"
HOSTILE = ("explicit-tags.yaml", "out-of-range.yaml")

GOOD = """\
version: 1
kind: runbook
id: say-ok
title: Say ok
service: api
review: {last_reviewed: 2026-10-01, every: 90d}
steps:
  - id: greet
    title: Print a greeting
    run: echo greeting-from-step
    timeout: 30s
"""


def _folder(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'fixture'\n", encoding="utf-8")
    folder = tmp_path / "runbooks"
    folder.mkdir()
    (folder / "say-ok.yaml").write_text(GOOD, encoding="utf-8")
    for name in HOSTILE:
        shutil.copyfile(MALFORMED / name, folder / name)
    return folder


def test_lint_reports_hostile_files_alone(tmp_path: Path) -> None:
    _folder(tmp_path)
    ran = validate("--format", "json", "--today", "2026-11-01", "runbooks", cwd=tmp_path)
    assert_clean_failure(ran, codes=(1,))
    files = {f["path"] for f in ran.findings() if f["severity"] == "error"}
    assert files == {f"runbooks/{name}" for name in HOSTILE}
    assert all(f["line"] > 0 and f["column"] > 0 for f in ran.findings())


def test_other_runbooks_in_the_folder_still_run(tmp_path: Path) -> None:
    _folder(tmp_path)
    ran = run_script("runbook", "run", "say-ok", "--yes", cwd=tmp_path)
    assert ran.code == 0, ran.both
    assert "greeting-from-step" in ran.out
    assert "Run completed" in ran.out


def test_a_hostile_runbook_is_refused_with_its_findings(tmp_path: Path) -> None:
    _folder(tmp_path)
    ran = run_script("runbook", "run", "runbooks/out-of-range.yaml", "--yes", cwd=tmp_path)
    assert_clean_failure(ran, codes=(1, 2))
    assert "out-of-range.yaml:7:25" in ran.both
    assert not (tmp_path / ".runbook-runs").exists()


def _steps_of_ones(size: int) -> str:
    head = "version: 1\nkind: runbook\nid: generated\ntitle: Generated\nservice: api\nsteps: ["
    return head + ",".join(["1"] * ((size - len(head)) // 2)) + "]\n"


def test_a_megabyte_of_bad_steps_is_cut_short(tmp_path: Path) -> None:
    """Every one of half a million steps fails the schema; the check stops at the limit and says so."""
    (tmp_path / "generated.yaml").write_text(_steps_of_ones(1_000_000), encoding="utf-8")
    ran = validate("--format", "json", "--no-lint", "generated.yaml", cwd=tmp_path, timeout=900)
    assert_clean_failure(ran, codes=(1,))
    found = ran.findings()
    assert 100 <= len(found) <= 101
    last = found[-1]
    assert (last["rule"], last["line"]) == ("Y015", 6)
    assert "the format check stopped here, after 100 problems; there are more" in last["message"]
    assert {f["rule"] for f in found[:-1]} <= {"F004", "F006"}


def test_findings_past_the_limit_are_counted(tmp_path: Path) -> None:
    """300 YAML 1.1 booleans: the first 100 are listed, one more finding counts the other 200."""
    body = GOOD + "symptoms:\n" + "".join(f"  - yes  # {n}\n" for n in range(300))
    (tmp_path / "many.yaml").write_text(body, encoding="utf-8")
    ran = validate("--format", "json", "--no-lint", "many.yaml", cwd=tmp_path)
    assert_clean_failure(ran, codes=(1,))
    found = ran.findings()
    assert [f["rule"] for f in found] == ["Y003"] * 100 + ["Y015"]
    assert found[-1]["message"] == "and 200 more findings in this file, from line 113 on"
    assert found[-1]["severity"] == "error"
    text = validate("--no-lint", "many.yaml", cwd=tmp_path)
    assert "many.yaml:113:5: error: and 200 more findings in this file, from line 113 on [Y015]" in text.out
    assert "101 errors" in text.out

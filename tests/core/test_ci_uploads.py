"""What CI does with the reports, through the real ``validate_runbook``: SARIF as code scanning
uploads it (fingerprints, help, paths from the repository root, baselined findings suppressed),
GitHub annotations spanning the offending token, and the job summary that lists every finding.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from core_helpers import BIN, HANG_GUARD, RUNBOOK, make_repo, validate
from test_reporters import _assert_valid_sarif

BROKEN = RUNBOOK.replace("    timeout: 30s\n", "    tiemout: 30s\n", 1)  # F001 at 13:5


def _results(doc: dict[str, Any]) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = doc["runs"][0]["results"]
    return results


def _sarif(cwd: Path, *args: str) -> dict[str, Any]:
    ran = validate("--no-lint", "--format", "sarif", *args, cwd=cwd)
    assert ran.code in (0, 1), ran.err
    doc: dict[str, Any] = ran.json()
    _assert_valid_sarif(doc)
    return doc


def test_sarif_paths_are_relative_to_the_repository_root_from_any_folder(tmp_path: Path) -> None:
    make_repo(tmp_path, BROKEN)
    from_root = _sarif(tmp_path, "runbooks")
    from_inside = _sarif(tmp_path / "runbooks", ".")
    for doc in (from_root, from_inside):
        artifact = _results(doc)[0]["locations"][0]["physicalLocation"]["artifactLocation"]
        assert artifact == {"uri": "runbooks/db-down.yaml", "uriBaseId": "%SRCROOT%"}
        assert doc["runs"][0]["originalUriBaseIds"] == {"%SRCROOT%": {"uri": tmp_path.resolve().as_uri() + "/"}}


def test_sarif_fingerprints_survive_lines_moving_and_tell_findings_apart(tmp_path: Path) -> None:
    path = make_repo(tmp_path, BROKEN)
    before = {r["ruleId"]: r["partialFingerprints"] for r in _results(_sarif(tmp_path, "runbooks"))}
    path.write_text(BROKEN.replace("steps:\n", "# a comment pushes the steps down\n\nsteps:\n"), encoding="utf-8")
    moved = _results(_sarif(tmp_path, "runbooks"))
    assert moved[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 15
    assert {r["ruleId"]: r["partialFingerprints"] for r in moved} == before
    # a second runbook with the same mistake is another alert, not the same one
    (tmp_path / "runbooks" / "copy.yaml").write_text(BROKEN.replace("id: db-down", "id: db-copy"), encoding="utf-8")
    prints = [json.dumps(r["partialFingerprints"]) for r in _results(_sarif(tmp_path, "runbooks"))]
    assert len(prints) == 2 and len(set(prints)) == 2


def test_sarif_rules_carry_help_text_and_markdown(tmp_path: Path) -> None:
    make_repo(tmp_path, BROKEN)
    [rule] = _sarif(tmp_path, "runbooks")["runs"][0]["tool"]["driver"]["rules"]
    explained = subprocess.run(
        [str(BIN / "runbook"), "rules", "F001"], capture_output=True, text=True, check=True, cwd=tmp_path, timeout=HANG_GUARD
    ).stdout
    assert rule["help"]["text"] == explained
    assert rule["help"]["markdown"].startswith("**F001 unknown-key** (error, core check, always on)")
    assert "helpUri" not in rule  # no site configured: no address that serves nothing


def test_baselined_findings_are_suppressed_results_not_dropped(tmp_path: Path) -> None:
    make_repo(tmp_path, BROKEN)
    today = ("--today", "2026-11-01")
    assert validate(*today, "--write-baseline", "baseline.json", "runbooks", cwd=tmp_path).code == 1
    ran = validate(*today, "--format", "sarif", "--baseline", "baseline.json", "runbooks", cwd=tmp_path)
    assert ran.code == 0, ran.both  # accepted findings do not fail the check
    doc = ran.json()
    _assert_valid_sarif(doc)
    results = _results(doc)
    assert "F001" in {r["ruleId"] for r in results}
    for result in results:
        assert result["suppressions"] == [{"kind": "external", "justification": "accepted in the baseline baseline.json"}]
    (tmp_path / "runbooks" / "db-down.yaml").write_text(BROKEN.replace("title: Database down", "title: Database down\nbogus: 1"))
    fresh = validate(*today, "--format", "sarif", "--baseline", "baseline.json", "runbooks", cwd=tmp_path).json()
    new = [r for r in _results(fresh) if "suppressions" not in r]
    assert [r["message"]["text"].split(" (")[0] for r in new] == ["unknown key 'bogus' in the document"]
    text = validate(*today, "--baseline", "baseline.json", "runbooks", cwd=tmp_path)
    assert "tiemout" not in text.out and "bogus" in text.out  # the people's format lists only new findings


def _github(cwd: Path, summary: Path | None, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("GITHUB_STEP_SUMMARY", None)
    if summary is not None:
        env["GITHUB_STEP_SUMMARY"] = str(summary)
    return subprocess.run(
        [str(BIN / "validate_runbook"), "--format", "github", *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        check=False,
    )


def test_job_summary_lists_every_finding_past_the_annotation_limit(tmp_path: Path) -> None:
    keys = "".join(f"    typo{i}: x\n" for i in range(12))  # twelve unknown keys: more than ten annotations show
    make_repo(tmp_path, RUNBOOK.replace("    timeout: 30s\n", "    timeout: 30s\n" + keys, 1))
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    ran = _github(tmp_path, summary, "--no-lint", "runbooks")
    assert ran.returncode == 1, ran.stderr
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## validate_runbook\n")  # appended, never overwritten
    assert "| 12 | 0 | 0 |" in text
    rows = [line for line in text.splitlines() if line.startswith("| runbooks/")]
    assert len(rows) == 12
    assert rows[0].startswith(
        "| runbooks/db\\-down\\.yaml:14 | F001 unknown\\-key | error | unknown key 'typo0' in steps\\[0\\] \\(allowed keys: "
    )


def test_job_summary_keeps_markup_and_secrets_out(tmp_path: Path) -> None:
    hostile = '    "<img src=x onerror=alert(1)> | **bold**": 1\n    "[x](http://evil)": 2\n'
    make_repo(tmp_path, RUNBOOK.replace("    timeout: 30s\n", "    timeout: 30s\n" + hostile, 1))
    token = "ghp_" + "a" * 36
    secret = RUNBOOK.replace("id: db-down", "id: db-token").replace(
        "    timeout: 30s\n", f'    timeout: 30s\n    "{token}": 1\n', 1
    )
    (tmp_path / "runbooks" / "token.yaml").write_text(secret, encoding="utf-8")
    summary = tmp_path / "summary.md"
    assert _github(tmp_path, summary, "--no-lint", "runbooks").returncode == 1
    text = summary.read_text(encoding="utf-8")
    assert "<img" not in text and "&lt;img" in text
    assert "**bold**" not in text and "](http" not in text
    rows = [line for line in text.splitlines() if line.startswith("| runbooks/")]
    assert len(rows) == 3 and all(row.count(" | ") == 3 for row in rows)  # the | in a key adds no column
    assert token not in text and "unknown key '\\[REDACTED\\]'" in text


def test_no_summary_without_the_variable_and_an_unwritable_one_only_warns(tmp_path: Path) -> None:
    make_repo(tmp_path, BROKEN)
    ran = _github(tmp_path, None, "--no-lint", "runbooks")
    assert ran.returncode == 1 and ran.stderr == ""
    blocked = _github(tmp_path, tmp_path / "missing" / "summary.md", "--no-lint", "runbooks")
    assert blocked.returncode == 1  # the check's verdict, not a crash
    assert blocked.stderr.startswith("warning: cannot write the job summary to ")
    assert blocked.stdout == ran.stdout


def test_annotations_end_at_the_end_of_the_offending_token(tmp_path: Path) -> None:
    make_repo(tmp_path, BROKEN)
    [note] = [line for line in _github(tmp_path, None, "--no-lint", "runbooks").stdout.splitlines() if line.startswith("::")]
    assert note.startswith("::error file=runbooks/db-down.yaml,line=13,endLine=13,col=5,endColumn=11,title=F001 unknown-key::")

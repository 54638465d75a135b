"""The four output formats, produced by the real ``validate_runbook`` on real files.

Text is for people (caret under the token, hint, docs link, summary), JSON for scripts,
``github`` for workflow annotations (escaped so a message can never start a new command),
SARIF for code scanning (valid against the official SARIF 2.1.0 schema, vendored).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from core_helpers import RUNBOOK, Ran, make_repo, run_script, validate

SARIF_SCHEMA = Path(__file__).resolve().parent.parent / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"

BROKEN = RUNBOOK.replace("    timeout: 30s\n", "    tiemout: 30s\n    retries: lots\n", 1)  # lines 13 and 14
# schema-valid, so its references are checked: line 7 names an owner that does not exist
DANGLING = RUNBOOK.replace("id: db-down", "id: cache-miss").replace("owner: on-call", "owner: on-cal")


def _run(tmp_path: Path, *args: str, runbook: str = BROKEN) -> Ran:
    make_repo(tmp_path, runbook)
    if runbook != RUNBOOK:
        (tmp_path / "runbooks" / "cache-miss.yaml").write_text(DANGLING, encoding="utf-8")
    return validate("--no-lint", *args, "runbooks", cwd=tmp_path)


def test_text_shows_location_source_caret_hint_docs_and_summary(tmp_path: Path) -> None:
    ran = _run(tmp_path)
    assert ran.code == 1
    assert ran.out == (
        "runbooks/cache-miss.yaml:7:8: error: owner 'on-cal' is not a contact or role in policy 'acme' [R002]\n"
        "  7 | owner: on-cal\n"
        "    |        ^~~~~~\n"
        "  hint: did you mean 'on-call'?\n"
        "  docs: runbook rules R002\n"
        "runbooks/db-down.yaml:13:5: error: unknown key 'tiemout' in steps[0] [F001]\n"
        "  13 |     tiemout: 30s\n"
        "     |     ^~~~~~~\n"
        "  hint: did you mean 'timeout'?\n"
        "  docs: runbook rules F001\n"
        "runbooks/db-down.yaml:14:14: error: steps[0].retries should be a whole number, not the text 'lots' [F004]\n"
        "  14 |     retries: lots\n"
        "     |              ^~~~\n"
        "  docs: runbook rules F004\n"
        "3 errors, 0 warnings in 2 of 3 files\n"
    )
    assert ran.err == ""


def test_text_caret_spans_a_quoted_value(tmp_path: Path) -> None:
    make_repo(tmp_path, RUNBOOK.replace("timeout: 30s\n", 'timeout: "30 secs"\n', 1))
    ran = validate("--no-lint", "runbooks", cwd=tmp_path)
    lines = ran.out.splitlines()
    at = lines.index('  13 |     timeout: "30 secs"')
    assert lines[at + 1] == "     |              ^~~~~~~~~"
    assert lines[at - 1].endswith("steps[0].timeout: '30 secs' is not a duration [F003]")


def test_text_clean_run_says_so(tmp_path: Path) -> None:
    ran = _run(tmp_path, runbook=RUNBOOK)
    assert (ran.code, ran.out) == (0, "2 files checked: no problems\n")


def test_json_is_parseable_and_complete(tmp_path: Path) -> None:
    ran = _run(tmp_path, "--format", "json")
    doc = ran.json()
    assert doc["version"] == 1
    assert doc["files_checked"] == 3
    assert doc["summary"] == {"error": 3, "warning": 0, "info": 0}
    first = doc["findings"][0]
    assert first == {
        "path": "runbooks/cache-miss.yaml", "line": 7, "column": 8, "rule": "R002", "name": "unknown-contact",
        "severity": "error", "message": "owner 'on-cal' is not a contact or role in policy 'acme'",
        "hint": "did you mean 'on-call'?", "docs": None, "explain": "runbook rules R002", "also": [],
    }
    assert [(f["rule"], f["line"], f["column"]) for f in doc["findings"]] == [("R002", 7, 8), ("F001", 13, 5), ("F004", 14, 14)]


def test_github_annotations(tmp_path: Path) -> None:
    ran = _run(tmp_path, "--format", "github")
    assert ran.out.splitlines() == [
        "::error file=runbooks/cache-miss.yaml,line=7,endLine=7,col=8,endColumn=13,title=R002 unknown-contact::"
        "owner 'on-cal' is not a contact or role in policy 'acme'%0Adid you mean 'on-call'?",
        "::error file=runbooks/db-down.yaml,line=13,endLine=13,col=5,endColumn=11,title=F001 unknown-key::"
        "unknown key 'tiemout' in steps[0]%0Adid you mean 'timeout'?",
        "::error file=runbooks/db-down.yaml,line=14,endLine=14,col=14,endColumn=17,title=F004 wrong-type::"
        "steps[0].retries should be a whole number, not the text 'lots'",
        "3 errors, 0 warnings in 2 of 3 files",
    ]


def test_github_escapes_data_and_properties(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    folder = tmp_path / "a,b:c"
    folder.mkdir()
    # a key whose text tries to end the annotation and start a second command
    evil = folder / "100%.yaml"
    evil.write_text('version: 1\nkind: runbook\n"x\\n::error file=pwned.yaml::gotcha\\r100%": 1\n', encoding="utf-8")
    ran = validate("--no-lint", "--format", "github", "a,b:c", cwd=tmp_path)
    assert ran.code == 1
    commands = [line for line in ran.out.splitlines() if line.startswith("::")]
    assert len(commands) == len(validate("--no-lint", "--format", "json", "a,b:c", cwd=tmp_path).findings())
    assert not any("pwned" in line and not line.startswith("::error file=a%2Cb%3Ac/100%25.yaml,") for line in commands)
    [unknown] = [line for line in commands if "unknown key" in line]
    assert unknown.startswith("::error file=a%2Cb%3Ac/100%25.yaml,line=3,endLine=3,col=1,endColumn=")
    assert "x%0A:\u200b:error file=pwned.yaml:\u200b:gotcha%0D100%25" in unknown
    assert "\r" not in ran.out


def _sarif_validator() -> jsonschema.Draft7Validator:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def _assert_valid_sarif(doc: dict[str, Any]) -> None:
    errors = sorted(_sarif_validator().iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]


def test_sarif_is_valid_against_the_official_schema(tmp_path: Path) -> None:
    ran = _run(tmp_path, "--format", "sarif")
    doc = ran.json()
    _assert_valid_sarif(doc)
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert run["tool"]["driver"]["name"] == "validate_runbook"
    assert [r["id"] for r in rules] == ["F001", "F004", "R002"]
    results = run["results"]
    assert [(r["ruleId"], rules[r["ruleIndex"]]["id"]) for r in results] == [("R002", "R002"), ("F001", "F001"),
                                                                             ("F004", "F004")]
    region = results[1]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 13, "startColumn": 5, "endLine": 13, "endColumn": 12}  # 'tiemout', end exclusive
    assert run["columnKind"] == "unicodeCodePoints"  # our columns count characters, not UTF-16 units
    artifact = results[1]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "runbooks/db-down.yaml", "uriBaseId": "%SRCROOT%"}
    assert results[1]["message"]["text"] == "unknown key 'tiemout' in steps[0] (did you mean 'timeout'?)"
    assert {r["level"] for r in results} == {"error"}


def test_sarif_of_a_clean_run_and_of_whole_file_findings_is_valid(tmp_path: Path) -> None:
    clean = _run(tmp_path, "--format", "sarif", runbook=RUNBOOK)
    assert clean.code == 0
    _assert_valid_sarif(clean.json())
    assert clean.json()["runs"][0]["results"] == []
    big = tmp_path / "runbooks" / "huge.yaml"
    big.write_text("version: 1\n" + "# padding\n" * 300_000, encoding="utf-8")
    ran = validate("--no-lint", "--format", "sarif", "runbooks", cwd=tmp_path)
    doc = ran.json()
    _assert_valid_sarif(doc)
    [result] = doc["runs"][0]["results"]
    assert result["ruleId"] == "Y007"
    assert "region" not in result["locations"][0]["physicalLocation"]


def test_sarif_warning_levels_are_valid(tmp_path: Path) -> None:
    make_repo(tmp_path, RUNBOOK.replace("review: {last_reviewed: 2026-10-01, every: 90d}\n", ""))
    ran = validate("--format", "sarif", "--today", "2026-11-01", "runbooks", cwd=tmp_path)
    doc = ran.json()
    _assert_valid_sarif(doc)
    assert "warning" in {r["level"] for r in doc["runs"][0]["results"]}


def test_sarif_uris_are_encoded(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    (tmp_path / "odd dir").mkdir()
    (tmp_path / "odd dir" / "100% [x].yaml").write_text("version: 1\nkind: nope\n", encoding="utf-8")
    doc = validate("--format", "sarif", "odd dir", cwd=tmp_path).json()
    _assert_valid_sarif(doc)
    location = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "odd%20dir/100%25%20%5Bx%5D.yaml"


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_every_format_writes_to_output_file(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"report.{fmt}"
    ran = _run(tmp_path, "--format", fmt, "--output", str(out))
    assert ran.code == 1
    assert ran.out == ""
    assert ran.err == "3 errors, 0 warnings in 2 of 3 files\n"
    written = out.read_text(encoding="utf-8")
    assert "tiemout" in written
    if fmt in ("json", "sarif"):
        json.loads(written)


# Keys whose text tries to start workflow commands: after a newline, after a bare CR (the runner
# ends a line there too), indented, and the "##[" form that the runner finds anywhere in a line.
HOSTILE_KEYS = ["a\n::error::pwned-1", "b\r::warning::pwned-2", "##[error]pwned-3", "c\r\n  ::notice::pwned-4",
                "d\u2028::error::pwned-5"]
HOSTILE_FILES = ["::error::pwned-6.yaml", "##[error]pwned-7.yaml"]
ANNOTATION = re.compile(r"^::(?:error|warning|notice) file=[^:,\r\n]*(?:,line=\d+,endLine=\d+(?:,col=\d+,endColumn=\d+)?)?,"
                        r"title=[^:,\r\n]*::")


def _runner_lines(text: str) -> list[str]:
    """Lines as the Actions runner reads a job's output: LF, CR LF and a bare CR each end one."""
    return re.split(r"\r\n|\r|\n", text)


def _hostile_repo(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    folder = tmp_path / "runbooks"
    folder.mkdir()
    keys = "".join(f"{json.dumps(key)}: 1\n" for key in HOSTILE_KEYS)
    for name in ["hostile.yaml", *HOSTILE_FILES]:
        (folder / name).write_text(f"version: 1\nkind: runbook\n{keys}", encoding="utf-8")
    return folder


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_no_format_lets_a_finding_run_a_workflow_command(tmp_path: Path, fmt: str) -> None:
    _hostile_repo(tmp_path)
    ran = validate("--no-lint", "--format", fmt, "runbooks", cwd=tmp_path)
    assert ran.code == 1, ran.both
    count = len(validate("--no-lint", "--format", "json", "runbooks", cwd=tmp_path).findings())
    assert count >= 3 * len(HOSTILE_KEYS)
    lines = _runner_lines(ran.out)
    assert not [line for line in lines if "##[" in line]
    commands = [line for line in lines if line.lstrip().startswith("::")]
    if fmt == "github":
        assert len(commands) == count and all(ANNOTATION.match(line) for line in commands), commands
    else:
        assert commands == []
    for n in range(1, 8):
        assert f"pwned-{n}" in ran.out  # every finding is still reported


def test_machine_formats_keep_the_exact_text(tmp_path: Path) -> None:
    """Escaping for the log must not change what a program reads: JSON and SARIF parse back to the
    same paths and messages, and GitHub's unescaping gives back the message but for invisible spaces."""
    _hostile_repo(tmp_path)
    found = validate("--no-lint", "--format", "json", "runbooks", cwd=tmp_path).findings()
    assert {f["path"] for f in found} == {f"runbooks/{name}" for name in ["hostile.yaml", *HOSTILE_FILES]}
    messages = "\n".join(f["message"] for f in found)
    for key in HOSTILE_KEYS:
        assert f"unknown key '{key}'" in messages
    sarif = validate("--no-lint", "--format", "sarif", "runbooks", cwd=tmp_path).json()
    texts = "\n".join(r["message"]["text"] for r in sarif["runs"][0]["results"])
    assert all(f"unknown key '{key}'" in texts for key in HOSTILE_KEYS)
    github = validate("--no-lint", "--format", "github", "runbooks", cwd=tmp_path).out
    data = [line.split("::", 2)[2] for line in github.split("\n") if line.startswith("::")]
    shown = [d.replace("\u200b", "").replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%") for d in data]
    assert all(any(f"unknown key '{key}'" in m for m in shown) for key in HOSTILE_KEYS)


def test_the_runner_refusal_prints_no_workflow_command(tmp_path: Path) -> None:
    _hostile_repo(tmp_path)
    ran = run_script("runbook", "run", "runbooks/hostile.yaml", "--yes", cwd=tmp_path)
    assert ran.code in (1, 2) and "pwned-1" in ran.both
    lines = _runner_lines(ran.both)
    assert not [line for line in lines if "##[" in line or line.lstrip().startswith("::")]

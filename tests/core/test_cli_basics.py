"""What a command-line tool is expected to do, through the installed scripts: ``--version``,
``-q``, ``-`` for standard input (with ``--stdin-filename``), and exit codes listed in ``--help``."""

from __future__ import annotations

import json
from pathlib import Path

from core_helpers import RUNBOOK, Ran, assert_clean_failure, make_repo, run_script, validate

from validator import __version__

BROKEN = RUNBOOK.replace("    timeout: 30s\n", "    tiemout: 30s\n", 1)  # F001 at 13:5


def _piped(text: str, *args: str, cwd: Path) -> Ran:
    return run_script("validate_runbook", *args, cwd=cwd, stdin=text)


def test_version_on_both_commands() -> None:
    for name, expected in (("validate_runbook", "validate_runbook"), ("runbook", "runbook")):
        ran = run_script(name, "--version")
        assert (ran.code, ran.out, ran.err) == (0, f"{expected} {__version__}\n", ""), name


def test_help_lists_the_exit_codes() -> None:
    out = run_script("validate_runbook", "--help").out
    codes = out[out.index("Exit codes:") :].splitlines()
    assert [line.split()[0] for line in codes[1:4]] == ["0", "1", "2"]
    assert "no error-level findings" in codes[1] and "findings at error level" in codes[2] and "usage error" in codes[3]


def test_quiet_prints_findings_only_and_nothing_when_clean(tmp_path: Path) -> None:
    path = make_repo(tmp_path, BROKEN)
    loud = validate("--no-lint", "runbooks", cwd=tmp_path)
    quiet = validate("--no-lint", "-q", "runbooks", cwd=tmp_path)
    assert quiet.code == loud.code == 1
    assert loud.out.endswith("1 error, 0 warnings in 1 of 2 files\n")
    assert quiet.out == loud.out.removesuffix("1 error, 0 warnings in 1 of 2 files\n")
    github = validate("--no-lint", "--quiet", "--format", "github", "runbooks", cwd=tmp_path).out.splitlines()
    assert len(github) == 1 and github[0].startswith("::error ")
    path.write_text(RUNBOOK, encoding="utf-8")
    clean = validate("--no-lint", "-q", "runbooks", cwd=tmp_path)
    assert (clean.code, clean.out, clean.err) == (0, "", "")
    written = validate("--no-lint", "-q", "-o", "report.txt", "runbooks", cwd=tmp_path)
    assert (written.code, written.out, written.err) == (0, "", "")


def test_standard_input_is_checked_and_reported_as_stdin(tmp_path: Path) -> None:
    make_repo(tmp_path)
    ran = _piped(BROKEN.replace("id: db-down", "id: piped"), "--no-lint", "-", cwd=tmp_path / "runbooks")
    assert ran.code == 1, ran.err
    assert ran.out.startswith("<stdin>:13:5: error: unknown key 'tiemout' in steps[0] [F001]\n  13 |     tiemout: 30s\n")
    assert ran.out.endswith("1 error, 0 warnings in 1 of 1 file\n")  # its folder's policy applied: nothing else reported
    clean = _piped(RUNBOOK.replace("id: db-down", "id: piped"), "--no-lint", "-", cwd=tmp_path / "runbooks")
    assert (clean.code, clean.out) == (0, "1 file checked: no problems\n")


def test_stdin_filename_checks_the_text_as_that_file_in_its_folder(tmp_path: Path) -> None:
    make_repo(tmp_path)  # runbooks/db-down.yaml on disk is clean; the editor's unsaved text is not
    ran = _piped(BROKEN, "--no-lint", "--format", "json", "--stdin-filename", "runbooks/db-down.yaml", "-", cwd=tmp_path)
    assert ran.code == 1, ran.err
    found = [(f["path"], f["rule"], f["line"]) for f in json.loads(ran.out)["findings"]]
    assert found == [("runbooks/db-down.yaml", "F001", 13)]  # the disk copy is not a duplicate id
    dangling = RUNBOOK.replace("id: db-down", "id: db-new").replace("owner: on-call", "owner: nobody")
    ran = _piped(dangling, "--no-lint", "--stdin-filename", "runbooks/new.yaml", "-", cwd=tmp_path)
    assert "runbooks/new.yaml:7:8: error: owner 'nobody' is not a contact or role in policy 'acme' [R002]" in ran.out


def test_stdin_misuse_is_a_usage_error(tmp_path: Path) -> None:
    make_repo(tmp_path)
    twice = _piped("", "-", "-", cwd=tmp_path)
    assert_clean_failure(twice, codes=(2,))
    assert "'-' (standard input) can be given once" in twice.err
    orphan = validate("--stdin-filename", "runbooks/x.yaml", "runbooks", cwd=tmp_path)
    assert_clean_failure(orphan, codes=(2,))
    assert "give '-' as a path too" in orphan.err
    empty = _piped("", "--no-lint", "-", cwd=tmp_path)
    assert empty.code == 1 and "<stdin>" in empty.out and "Traceback" not in empty.err



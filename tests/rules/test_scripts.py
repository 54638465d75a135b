"""Scripts and permissions rules (P3xx) on real files with real modes and real symlinks.

Git keeps only 644/755, so each test sets the modes it needs after copying the fixture.
CI runs as root, which may execute anything: the rules read mode bits, and so do these tests.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tests.rules.case_helpers import CORE, check_golden, copy_case, run_in
from validator.rules import shellcheck
from validator.rules.scripts import interpreter

MODES: dict[str, dict[str, int]] = {
    "P303-bad": {"scripts/drain.sh": 0o644, "scripts/restart-workers.sh": 0o655},
    "P304-bad": {"scripts/drain.sh": 0o775, "scripts/restart-workers.sh": 0o757},
    "P304-good": {"scripts/drain.sh": 0o755, "scripts/restart-workers.sh": 0o700},
    "P305-bad": {"scripts/drain.sh": 0o4755, "scripts/restart-workers.sh": 0o2755},
}
LINKS: dict[str, dict[str, str]] = {
    "P301-bad": {"scripts/current.sh": "gone.sh"},
    "P301-good": {"scripts/current.sh": "restart-workers.sh"},
    "P302-good": {"scripts/current.sh": "restart-workers.sh"},
}


def prepare(case: str, tmp_path: Path) -> Path:
    """Copy the case, make every script 0755 unless the case says otherwise, and create its symlinks."""
    root = copy_case("scripts", case, tmp_path)
    for path in (root / "scripts").rglob("*") if (root / "scripts").exists() else ():
        if path.is_file() and not path.is_symlink():
            path.chmod(0o755)
    for name, mode in MODES.get(case, {}).items():
        (root / name).chmod(mode)
        assert stat.S_IMODE((root / name).stat().st_mode) == mode
    for name, target in LINKS.get(case, {}).items():
        os.symlink(target, root / name)
    if case == "P302-bad":
        outside = tmp_path / "shared" / "restart-workers.sh"
        outside.parent.mkdir()
        outside.write_text("#!/bin/sh\necho restarted\n", encoding="utf-8")
        outside.chmod(0o755)
        (root / "scripts").mkdir()
        os.symlink(outside, root / "scripts" / "escape.sh")
    return root


RULES = ["P301", "P302", "P303", "P304", "P305", "P306", "P307", "P310"]


@pytest.mark.parametrize("rule", RULES)
def test_failing_fixture_matches_golden(rule: str, tmp_path: Path) -> None:
    found = check_golden(rule, run_in(prepare(f"{rule}-bad", tmp_path)))
    assert found and {f.rule for f in found} == {rule}


@pytest.mark.parametrize("rule", RULES)
def test_passing_fixture_is_clean(rule: str, tmp_path: Path) -> None:
    result = run_in(prepare(f"{rule}-good", tmp_path))
    assert [(f.rule, f.line, f.message) for f in result.findings if f.rule.startswith(("P", *CORE))] == []


def test_symlink_escaping_the_repository_is_resolved(tmp_path: Path) -> None:
    root = prepare("P302-bad", tmp_path)
    assert (root / "scripts" / "escape.sh").resolve().is_file()  # the target exists and is executable
    found = [f for f in run_in(root).findings if f.rule.startswith("P")]
    assert [(f.rule, f.line) for f in found] == [("P302", 11), ("P302", 14), ("P302", 17)]
    assert "symlink" in found[2].message and str(tmp_path) not in found[2].message


def test_permission_rules_read_the_mode_bits_even_for_root(tmp_path: Path) -> None:
    root = prepare("P303-bad", tmp_path)
    found = [f for f in run_in(root).findings if f.rule == "P303"]
    assert [f.message.split(" (mode ")[1] for f in found] == ["-rw-r--r--)", "-rw-r-xr-x)"]


def test_the_same_case_is_clean_once_the_modes_are_fixed(tmp_path: Path) -> None:
    root = prepare("P304-bad", tmp_path)
    assert any(f.rule == "P304" for f in run_in(root).findings)
    for script in ("drain.sh", "restart-workers.sh"):
        (root / "scripts" / script).chmod(0o755)
    assert not any(f.rule.startswith("P") for f in run_in(root).findings)


@pytest.mark.parametrize(("line", "expected"), [
    (b"#!/bin/bash\n", ("/bin/bash", False)),
    (b"#! /usr/bin/python3 -u\n", ("/usr/bin/python3", False)),
    (b"#!/usr/bin/env python3\n", ("python3", True)),
    (b"#!/usr/bin/env -S node --max-old-space-size=512\n", ("node", True)),
    (b"#!/usr/bin/env LC_ALL=C perl\n", ("perl", True)),
    (b"echo no shebang\n", None),
])
def test_interpreter_is_read_from_the_shebang(line: bytes, expected: tuple[str, bool] | None) -> None:
    assert interpreter(line) == expected


needs_shellcheck = pytest.mark.skipif(shellcheck.binary() is None, reason="ShellCheck is not installed")


@needs_shellcheck
def test_shellcheck_findings_match_golden(tmp_path: Path) -> None:
    found = check_golden("P308", run_in(prepare("P308-bad", tmp_path), shellcheck=True))
    codes = {(f.path, f.line, f.message.split(":")[0]) for f in found}
    assert ("runbook.yaml", 15, "SC2164") in codes  # line 1 of the run block, 'cd' without '|| exit'
    assert ("runbook.yaml", 16, "SC2154") in codes  # $hosts: a shell variable nobody sets
    assert any(path == "scripts/restart-workers.sh" for path, _, _ in codes)


@needs_shellcheck
def test_shellcheck_passing_fixture_is_clean(tmp_path: Path) -> None:
    result = run_in(prepare("P308-good", tmp_path), shellcheck=True)
    assert [(f.path, f.line, f.message) for f in result.findings if f.rule.startswith(("P", *CORE))] == []


def test_shellcheck_is_off_by_default(tmp_path: Path) -> None:
    assert not any(f.rule == "P308" for f in run_in(prepare("P308-bad", tmp_path)).findings)


@needs_shellcheck
def test_cli_shellcheck_option_turns_the_rule_on(tmp_path: Path) -> None:
    import subprocess
    import sys
    root = prepare("P308-bad", tmp_path)
    cmd = [sys.executable, "-m", "validator", "validate", "--format", "json", "."]
    on = subprocess.run([*cmd[:4], "--shellcheck", *cmd[4:]], cwd=root, capture_output=True, text=True, check=False)
    off = subprocess.run(cmd, cwd=root, capture_output=True, text=True, check=False)
    assert '"P308"' in on.stdout and '"SC2164"' not in off.stdout and '"P308"' not in off.stdout

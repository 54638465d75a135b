"""F010: control characters and bidirectional overrides in what runs are validation errors, and
text shown on a terminal has them made visible."""

from __future__ import annotations

from pathlib import Path

import pytest
from core_helpers import RUNBOOK, make_repo, validate, validate_json

from validator.hidden_chars import find, visible

TODAY = ("--today", "2026-11-01")
CHECK = "    run: curl -fsS http://localhost:8000/healthz\n"


def _findings(tmp_path: Path, runbook: str) -> list[tuple[str, int, int, str]]:
    make_repo(tmp_path, runbook)
    ran = validate_json(*TODAY, "runbooks", cwd=tmp_path)
    return [(f["rule"], f["line"], f["column"], f["message"]) for f in ran.findings() if f["rule"] in ("F010", "F005")]


def test_the_reviewed_attack_is_rejected_where_it_is(tmp_path: Path) -> None:
    hidden = RUNBOOK.replace(CHECK, '    run: "touch /tmp/x #\\r\\e[2K  $ systemctl status api --no-pager"\n', 1)
    found = _findings(tmp_path, hidden)
    assert len(found) == 1
    rule, line, col, message = found[0]
    assert (rule, line, col) == ("F010", 12, 10)
    assert message.startswith("step 'check': run holds U+000D (carriage return), which hides what is shown or run")
    assert "touch /tmp/x #␍␛[2K  $ systemctl" in message


@pytest.mark.parametrize(("field", "what"), [
    ('    run: "systemctl status api \\u202e;tob- rm"\n', "run holds U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    ('    run: curl -fsS http://localhost:8000/healthz\n    undo: "echo ok\\x1b[1A\\x1b[2K"\n',
     "undo holds U+001B (escape)"),
    ('    run: curl -fsS http://localhost:8000/healthz\n    env: {MODE: "a\\u2066b"}\n',
     "env MODE holds U+2066 (LEFT-TO-RIGHT ISOLATE)"),
    ("    run: |\n      echo one\n      echo two \u202d\n", "run holds U+202D (LEFT-TO-RIGHT OVERRIDE)"),
    ('    run: "echo \\x85next"\n', "run holds U+0085"),
    ('    run: "echo a\\x7f"\n', "run holds U+007F (delete)"),
])
def test_hidden_characters_in_commands_are_errors(tmp_path: Path, field: str, what: str) -> None:
    found = _findings(tmp_path, RUNBOOK.replace(CHECK, field, 1))
    assert [f[0] for f in found] == ["F010"]
    assert what in found[0][3]


def test_script_path_and_arguments_are_checked(tmp_path: Path) -> None:
    step = '    script: "bin/check\\u200f.sh"\n    args: ["--host", "db1\\rdb2"]\n'
    found = _findings(tmp_path, RUNBOOK.replace(CHECK, step, 1))
    assert [(f[0], f[3].split(",")[0]) for f in found] == [
        ("F010", "step 'check': script holds U+200F (RIGHT-TO-LEFT MARK)"),
        ("F010", "step 'check': argument 2 holds U+000D (carriage return)")]


def test_an_id_with_an_override_is_rejected(tmp_path: Path) -> None:
    found = _findings(tmp_path, RUNBOOK.replace("  - id: check\n", '  - id: "check\\u202e"\n', 1))
    assert found and {f[0] for f in found} <= {"F005", "F010"}


def test_tabs_and_line_feeds_in_a_multi_line_command_are_fine(tmp_path: Path) -> None:
    step = "    run: |\n      for i in 1 2; do\n      \techo \"$i\"\n      done\n"
    assert _findings(tmp_path, RUNBOOK.replace(CHECK, step, 1)) == []
    assert find("a\tb\nc") is None and find("a\tb", multiline=False) is not None


def test_visible_shows_every_hidden_character() -> None:
    assert visible("a\rb\x1b[2J\x00\x7f\x9b\u202eZ\tx\n") == "a␍b␛[2J␀␡<U+009B><U+202E>Z\tx\n"
    assert visible("plain text") == "plain text"
    assert visible("a\nb", keep="") == "a␊b"


def test_the_text_report_never_prints_a_bidirectional_control(tmp_path: Path) -> None:
    """The quoted source line and the message of an F010 finding reach a CI log: an override there
    would reorder the rest of the line, so both show it and let nothing else move."""
    hidden = RUNBOOK.replace(CHECK, '    run: "systemctl status api \u202e;tob- rm \u2066x\u200f"\n', 1)
    make_repo(tmp_path, hidden)
    ran = validate(*TODAY, "runbooks", cwd=tmp_path)
    assert ran.code == 1 and "[F010]" in ran.out
    for ch in ("\u202e", "\u2066", "\u200f"):
        assert ch not in ran.out + ran.err
    source = next(line for line in ran.out.splitlines() if "| " in line and "systemctl" in line)
    assert source.endswith('run: "systemctl status api \ufffd;tob- rm \ufffdx\ufffd"')  # one mark per character
    caret = ran.out.splitlines()[ran.out.splitlines().index(source) + 1]
    assert caret.index("^") == source.index('"systemctl')  # columns still line up
    assert "holds U+202E (RIGHT-TO-LEFT OVERRIDE)" in ran.out

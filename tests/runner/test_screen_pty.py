"""The screen shows what runs: commands and values with control characters made visible, and
command output that keeps its colours but cannot move the cursor, clear the screen, set the
window title or hide a link (in a real pseudo-terminal)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.runner.conftest import FIXTURES, RUNBOOKS, Run

pytestmark = pytest.mark.pty
FOREIGN_ESCAPE = re.compile(r"\x1b(?!\[[0-9;]*m)|[\x90\x9b\x9d\x9e\x9f]")  # anything but a colour


def test_output_keeps_colour_and_loses_every_other_escape(work: Path) -> None:
    run = Run(["run", str(RUNBOOKS / "escapes.yaml"), "--yes", "-i", "note=a\x1b[2Jb\rc\u202ed"], work)
    assert run.finish() == 0, run.screen
    screen = run.screen
    assert "\x1b[31mred\x1b[0m plain" in screen
    assert FOREIGN_ESCAPE.findall(screen) == []
    assert "beforeclick after" in screen
    assert "lineup" in screen
    assert "10%\r\n20%\r\n30%" in screen  # a progress bar's carriage returns start new lines
    assert "bell\u2407  end" in screen
    assert "$ echo 'a\u241b[2Jb\u240dc<U+202E>d'" in screen  # the card shows the value, controls visible
    assert "a\u241b[2Jb\u240dc<U+202E>d" in screen.split("$ echo", 1)[1]


def test_simulated_output_in_a_drill_is_cleaned_too(work: Path) -> None:
    run = Run(["run", str(RUNBOOKS / "escapes.yaml"), "--yes", "--drill", "-i", "note=x"], work)
    assert run.finish() == 0, run.screen
    assert "sim\x1b[32mgreen\x1b[0m done" in run.screen
    assert FOREIGN_ESCAPE.findall(run.screen) == []


def test_a_command_that_hides_what_it_runs_is_refused_even_with_force(work: Path) -> None:
    marker = work / "x"
    run = Run(["run", str(FIXTURES / "invalid" / "hidden.yaml"), "--yes", "--force", "-i", f"dir={work}"], work)
    assert run.finish() == 1
    assert not marker.exists()
    assert "F010" in run.screen and "U+000D (carriage return)" in run.screen
    assert "\x1b[2K" not in run.screen

"""Every "Start here" command on the built site works against the real runner: each step,
verification and rollback step of each runbook page is reachable with ``--start-at``."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES, Built
from docsite_html import parse

RUNBOOK = str(Path(sys.executable).parent / "runbook")


def _start_here(built: Built) -> list[list[str]]:
    commands = []
    for page in sorted((built.site / "runbooks").glob("*.html")):
        text = parse(page.read_text(encoding="utf-8")).article_text
        commands += [shlex.split(m.group(0)) for m in re.finditer(r"runbook run \S+ --start-at \S+", text)]
    return commands


def test_every_start_here_command_starts_the_runner_at_its_step(site: Built) -> None:
    commands = _start_here(site)
    steps = {c[-1] for c in commands}
    assert {"restore-primary", "payments-flow", "no-pending", "check-primary"} <= steps  # rollback, verify, steps
    env = {**os.environ, "NO_COLOR": "1"}
    for words in commands:
        assert words[:2] == ["runbook", "run"]
        # --force: the fixture policy keeps a placeholder phone on purpose, which lint reports
        done = subprocess.run([RUNBOOK, *words[1:], "--dry-run", "--force"], cwd=FIXTURES / "catalog", env=env,
                              capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL, check=False)
        assert done.returncode == 0, (words, done.stderr)
        first = next(line for line in done.stdout.splitlines() if re.match(r"(Rollback step|Step) \d+/\d+", line))
        assert f"  {words[-1]}  " in first + "  ", (words, first)

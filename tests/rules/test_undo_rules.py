"""Undo commands get the command rules: a destructive undo in a step that does not ask first is
S405, and output redirected into a file is a change of state."""

from __future__ import annotations

import pytest

from tests.rules.conftest import LintCheck
from validator import commands

RUNBOOK = """\
version: 1
kind: runbook
id: cache-swap
title: Swap the cache directory
service: orders
owner: incident-commander
severity: SEV2
review: {last_reviewed: 2026-05-01, every: 90d}
steps:
  - id: swap
    title: Move the new cache in
    run: mv /var/cache/app.new /var/cache/app
    risk: mutating
    undo: |
      echo "restoring" >> /var/log/swap.log
      rm -rf /var/cache/app
verify:
  - id: served
    run: curl -fsS http://localhost:8000/healthz
"""


def test_a_destructive_undo_must_ask_first(lint_check: LintCheck) -> None:
    found = lint_check(RUNBOOK, [("S405", 16, 7)], select="S405")
    assert found[0].message == "the undo of step 'swap' runs a destructive command (rm -r) without asking first"


def test_a_destructive_undo_in_a_step_that_asks_is_fine(lint_check: LintCheck) -> None:
    lint_check(RUNBOOK.replace("    risk: mutating\n", "    risk: mutating\n    confirm: true\n"), [], select="S405")


@pytest.mark.parametrize(("command", "what"), [
    ("echo 10.0.0.7 bad-host >> /etc/hosts", ["file write"]), ("date > /var/run/app.last", ["file write"]),
    ("> /var/log/app.log", ["file write"]), ("cat x &> out.txt", ["file write"]),
    ("sh -c 'echo 1 > /proc/sys/vm/drop_caches'", ["file write"]),
    ("curl -s x > /dev/null 2>&1", []), ("cmd 2>/dev/stderr", []), ("cmd >&2", []), ("wc -l < input.txt", []),
])
def test_output_into_a_file_changes_state(command: str, what: list[str]) -> None:
    assert [d.what for d in commands.mutating(command)] == what

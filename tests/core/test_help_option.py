"""``-h`` is ``--help`` everywhere: ``validate_runbook -h`` and ``runbook COMMAND -h`` for every
command, plugin commands included, print the same help and exit 0."""

from __future__ import annotations

import click
import pytest
from core_helpers import run_script

from validator.cli.main import cli

COMMANDS = cli.list_commands(click.Context(cli))


def test_every_command_is_listed() -> None:
    # the built-in and the plugin commands, so the parametrization below cannot be empty or partial
    assert {"validate", "schema", "new", "run", "timeline", "rules"} <= set(COMMANDS)


@pytest.mark.parametrize("argv", [["validate_runbook"], ["runbook"], *(["runbook", name] for name in COMMANDS)],
                         ids=lambda argv: " ".join(argv))
def test_short_help_is_long_help(argv: list[str]) -> None:
    short = run_script(argv[0], *argv[1:], "-h")
    long = run_script(argv[0], *argv[1:], "--help")
    assert (long.code, long.err) == (0, "")
    assert long.out.startswith("Usage: ")
    assert (short.code, short.out, short.err) == (0, long.out, "")

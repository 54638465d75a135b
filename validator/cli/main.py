"""The ``runbook`` click group; later commands (run, timeline, rules) register here too."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib.metadata import entry_points

import click

from validator import __version__
from validator.cli.errors import exit_with, invoke
from validator.cli.new import new
from validator.cli.schema_cmd import schema
from validator.cli.validate import validate


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="runbook")
def cli() -> None:
    """Runbooks as code: validate, document and run incident runbooks."""


cli.add_command(validate)
cli.add_command(schema)
cli.add_command(new)


def _register_plugins() -> None:
    """Commands from other parts of the package (runner, rules) join through the
    ``runbook.commands`` entry-point group, so this module never imports them."""
    for entry in entry_points(group="runbook.commands"):
        try:
            command = entry.load()
        except Exception as exc:  # a broken plugin must not take the whole CLI down
            click.echo(f"warning: command '{entry.name}' is unavailable: {exc}", err=True)
            continue
        if isinstance(command, click.Command):
            cli.add_command(command, entry.name)


_register_plugins()


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of ``runbook``."""
    exit_with(invoke(cli, argv if argv is not None else sys.argv[1:], "runbook"))


def validate_main(argv: Sequence[str] | None = None) -> None:
    """Entry point of ``validate_runbook``."""
    exit_with(invoke(validate, argv if argv is not None else sys.argv[1:], "validate_runbook"))

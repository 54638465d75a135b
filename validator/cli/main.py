"""The ``runbook`` click group; later commands (run, timeline, rules) register here too."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from validator import __version__
from validator.cli.errors import exit_with, invoke
from validator.cli.list_cmd import list_runbooks
from validator.cli.new import new
from validator.cli.schema_cmd import schema
from validator.cli.validate import validate


class _Group(click.Group):
    """Loads plugin commands on first lookup, so ``validate_runbook`` (which never looks) does not pay for them."""

    _plugins_loaded = False

    def _load_plugins(self) -> None:
        if not self._plugins_loaded:
            self._plugins_loaded = True
            _register_plugins(self)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        self._load_plugins()
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load_plugins()
        return super().list_commands(ctx)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="runbook", message="%(prog)s %(version)s")
def cli() -> None:
    """Runbooks as code: validate, document and run incident runbooks."""


cli.add_command(validate)
cli.add_command(schema)
cli.add_command(new)
cli.add_command(list_runbooks)


def _register_plugins(group: click.Group) -> None:
    """Commands from other parts of the package (runner, rules) join through the
    ``runbook.commands`` entry-point group, so this module never imports them."""
    from importlib.metadata import entry_points

    for entry in entry_points(group="runbook.commands"):
        try:
            command = entry.load()
        except Exception as exc:  # a broken plugin must not take the whole CLI down
            click.echo(f"warning: command '{entry.name}' is unavailable: {exc}", err=True)
            continue
        if isinstance(command, click.Command):
            group.add_command(command, entry.name)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of ``runbook``."""
    exit_with(invoke(cli, argv if argv is not None else sys.argv[1:], "runbook"))


def validate_main(argv: Sequence[str] | None = None) -> None:
    """Entry point of ``validate_runbook``."""
    exit_with(invoke(validate, argv if argv is not None else sys.argv[1:], "validate_runbook"))

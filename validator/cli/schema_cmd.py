"""``runbook schema``: print the published JSON Schema, for editors and other tools."""

from __future__ import annotations

import click

from validator.schema import schema_path


@click.command("schema")
def schema() -> int:
    """Print the JSON Schema that runbooks and policies follow."""
    click.echo(schema_path().read_text(encoding="utf-8"), nl=False)
    return 0

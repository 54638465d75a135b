"""``runbook schema``: print the published JSON Schema, or write it into the repository for editors.

Editors find the schema through the ``# yaml-language-server: $schema=…`` line at the top of
each file.  That line must name a path every checkout has, so the schema gets a home in the
repository, ``schema/runbook.schema.json`` at its root (written by ``runbook new`` when it is
missing, refreshed by ``runbook schema --write`` after an upgrade), and files name it by a
relative path.  The schema's ``$id`` carries the version of the tool that wrote it.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from validator.findings import ConfigError
from validator.schema import SCHEMA_FILE, schema_path

HOME = Path("schema") / SCHEMA_FILE  # relative to the repository root


def schema_text() -> str:
    return schema_path().read_text(encoding="utf-8")


def write_schema(target: Path) -> bool:
    """Write this version's schema to ``target``; False when it already holds exactly that."""
    text = schema_text()
    try:
        if target.is_file() and target.read_text(encoding="utf-8") == text:
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"cannot write the schema to {target}: {getattr(err, 'strerror', None) or err}") from None
    return True


def modeline_target(root: Path, folder: Path) -> str:
    """The schema's home in the repository at ``root``, as the modeline of a file in ``folder`` names it."""
    return Path(os.path.relpath(root.resolve() / HOME, folder.resolve())).as_posix()


@click.command("schema")
@click.option("--write", "target", type=click.Path(dir_okay=False, path_type=Path), metavar="PATH",
              help=f"Write the schema to PATH (the repository's copy for editors is {HOME.as_posix()}) instead of printing it.")
def schema(target: Path | None) -> int:
    """Print the JSON Schema that runbooks and policies follow, or write it with --write."""
    if target is None:
        click.echo(schema_text(), nl=False)
    elif write_schema(target):
        click.echo(f"wrote {target}")
    else:
        click.echo(f"{target} is up to date")
    return 0

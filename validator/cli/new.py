"""``runbook new ID``: write a commented starter runbook that validates as it is.

When no policy applies to the target folder yet, a starter policy is written beside it,
so the new runbook's severity and owner resolve.  When the repository has no copy of the
schema yet, one is written to ``schema/runbook.schema.json`` at its root: the modeline at
the top of each new file names that copy by a relative path, which every checkout has.
"""

from __future__ import annotations

import re
from pathlib import Path

import click

from validator.cli.schema_cmd import HOME, modeline_target, schema_text, write_schema
from validator.discovery import display_path, find_root, policy_files_above
from validator.today import today as calendar_today
from validator.yamlsafe import load_bytes

_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def _starter(name: str) -> str:
    from importlib import resources  # with tempfile and random behind it: only `runbook new` needs it

    return resources.files("validator").joinpath("starters", name).read_text(encoding="utf-8")


def _policy_above(folder: Path) -> Path | None:
    """The policy that would apply to a runbook in ``folder``: the nearest one up to the repository root."""
    found = policy_files_above(folder, find_root(folder))
    return found[0] if found else None


def _defaults_from(policy: Path) -> tuple[str, str]:
    """The first severity and the first role (else contact) of an existing policy, for the starter to reference."""
    loaded = load_bytes(str(policy), policy.read_bytes())
    data = loaded.data if isinstance(loaded.data, dict) else {}
    severities = [s for s in data.get("severities") or [] if isinstance(s, dict) and s.get("id")]
    parties = [p.get("id") for key in ("roles", "contacts") for p in data.get(key) or [] if isinstance(p, dict)]
    severity = str(severities[0]["id"]) if severities else "P1"
    return severity, str(next((p for p in parties if p), "on-call"))


def _schema_home(root: Path, folder: Path) -> str:
    """Make sure the repository has its copy of the schema; the modeline target for files in ``folder``."""
    home = root / HOME
    if not home.exists():
        write_schema(home)
        click.echo(f"wrote {display_path(home)} (the schema editors read; "
                   f"after upgrading, refresh it with `runbook schema --write {HOME.as_posix()}`)")
    elif home.is_file() and home.read_text(encoding="utf-8", errors="replace") != schema_text():
        click.echo(f"note: {display_path(home)} differs from this version's schema; "
                   f"refresh it with `runbook schema --write {HOME.as_posix()}`", err=True)
    return modeline_target(root, folder)


@click.command("new")
@click.argument("runbook_id")
@click.option("--dir", "folder", type=click.Path(file_okay=False, path_type=Path), default=Path("runbooks"), show_default=True,
              help="Folder to write the runbook in.")
@click.option("--title", help="The runbook's title (default: from the id).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def new(runbook_id: str, folder: Path, title: str | None, force: bool) -> int:
    """Write a starter runbook RUNBOOK_ID.yaml that validates as it is."""
    if not _ID.match(runbook_id):
        raise click.BadParameter("use lower-case letters, digits, '.', '_' and '-', e.g. db-connection-failure",
                                 param_hint="RUNBOOK_ID")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{runbook_id}.yaml"
    if target.exists() and not force:
        raise click.UsageError(f"{target} exists; use --force to overwrite it")
    schema_ref = _schema_home(find_root(folder), folder)
    policy = _policy_above(folder)
    severity, owner = "P1", "on-call"
    if policy is None:
        policy = folder / "policy.yaml"
        policy.write_text(_starter("policy.yaml").format(schema=schema_ref), encoding="utf-8")
        click.echo(f"wrote {policy} (a starter policy: replace its contacts with real ones)")
    else:
        severity, owner = _defaults_from(policy)
    text = _starter("runbook.yaml").format(
        schema=schema_ref, path=target, id=runbook_id, title=title or runbook_id.replace("-", " ").capitalize(),
        severity=severity, owner=owner, today=calendar_today().isoformat())
    target.write_text(text, encoding="utf-8")
    click.echo(f"wrote {target}")
    return 0

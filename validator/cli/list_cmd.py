"""``runbook list``: which runbooks there are, so a responder can find the id to run.

Runbooks are looked up like ``runbook run`` looks them up (the nearest ``runbooks/`` folder at
or above the working directory, or ``--path``), loaded and schema-checked without lint, so the
list is quick and shows exactly the ids ``runbook run`` accepts.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click

from validator import pipeline
from validator.discovery import runbooks_folder
from validator.findings import ConfigError, Severity
from validator.model import Runbook

COLUMNS = ("id", "severity", "service", "title")


def _row(rb: Runbook) -> dict[str, object]:
    return {"id": rb.id, "title": rb.title, "service": rb.service, "severity": rb.severity, "tags": list(rb.tags),
            "file": rb.source.path}


def _table(rows: list[dict[str, object]], width: int) -> list[str]:
    cells = [{c: str(r[c] or "-") for c in COLUMNS} for r in rows]
    widths = {c: max([len(c), *(len(x[c]) for x in cells)]) for c in COLUMNS[:-1]}
    room = max(20, width - sum(widths.values()) - 2 * len(widths))

    def line(x: dict[str, str]) -> str:
        title = x["title"] if len(x["title"]) <= room else x["title"][: room - 1] + "…"
        return "  ".join([*(x[c].ljust(widths[c]) for c in COLUMNS[:-1]), title]).rstrip()

    return [line({c: c.upper() for c in COLUMNS}), *(line(x) for x in cells)]


@click.command("list")
@click.option("--path", "search", type=click.Path(path_type=Path),
              help="Folder to list (default: the nearest runbooks/ at or above the working directory).")
@click.option("--service", help="Only this service's runbooks.")
@click.option("--severity", help="Only runbooks of this severity.")
@click.option("--tag", "tags", multiple=True, help="Only runbooks with this tag (repeatable: all must match).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def list_runbooks(search: Path | None, service: str | None, severity: str | None, tags: tuple[str, ...], fmt: str) -> int:
    """List the runbooks: id, severity, service and title, sorted by id.

    \b
    Exit codes: 0 listed (even when no runbook matches the filters); 2 no runbooks folder.
    """
    folder = search if search is not None else runbooks_folder(Path.cwd())
    if folder is None or not folder.exists():
        where = folder or f"{Path.cwd()} or above it up to the repository root"
        raise ConfigError(f"no runbooks folder in {where} (pass --path FOLDER)")
    result = pipeline.run([folder], pipeline.Options(lint=False))
    chosen = [rb for rb in sorted(result.repository.runbooks, key=lambda rb: rb.id)
              if (service is None or rb.service.lower() == service.lower())
              and (severity is None or (rb.severity or "").lower() == severity.lower())
              and all(t.lower() in {x.lower() for x in rb.tags} for t in tags)]
    rows = [_row(rb) for rb in chosen]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    if rows:
        for text in _table(rows, shutil.get_terminal_size().columns):
            click.echo(text)
    else:
        click.echo(f"No runbook under {folder} matches." if (service or severity or tags) else f"No runbooks under {folder}.")
    broken = {f.path for f in result.findings if f.severity is Severity.ERROR}
    if broken:
        click.echo(f"({len(broken)} file(s) have errors; a runbook among them is not listed: validate_runbook {folder})",
                   err=True)
    return 0

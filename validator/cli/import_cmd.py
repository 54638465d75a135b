"""``runbook import FILE.md… [--out DIR]``: one runbook per markdown page, and what needs a person.

Each written runbook is validated at once, against the policy that applies to ``--out``;
the exit code is 1 when one of them has an error (warnings, such as the needs_review marks,
are expected) and 2 for usage errors.
"""

from __future__ import annotations

from pathlib import Path

import click

from validator import pipeline
from validator.cli.errors import EXIT_FINDINGS, EXIT_OK
from validator.findings import ConfigError, Severity
from validator.importing import blocks, convert, emit
from validator.today import today as calendar_today


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("runbooks"), show_default=True,
              help="Folder to write the runbooks to (a policy should apply to it).")
@click.option("--service", help="The service the runbooks belong to (default: the page's folder name).")
@click.option("--force", is_flag=True, help="Overwrite runbooks that already exist.")
def import_(files: tuple[Path, ...], out: Path, service: str | None, force: bool) -> int:
    """Convert markdown runbooks (Meaning / Impact / Diagnosis / Mitigation pages or free-form ones) to YAML."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for file in files:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise ConfigError(f"{file}: cannot read it as UTF-8 text ({err})") from None
        page = blocks.parse(text, file.stem.replace("-", " ").replace("_", " ").strip().capitalize() or "Imported")
        owner = service or file.resolve().parent.name or "unknown"
        result = convert.convert(page, str(file), owner, calendar_today().isoformat())
        target = out / f"{result.doc['id']}.yaml"
        if target.exists() and not force:
            raise ConfigError(f"{target} exists; pass --force to overwrite it")
        target.write_text(emit.to_yaml(result.doc, file.name, result.notes), encoding="utf-8")
        written.append(target)
        share = 100 * result.structured_lines // max(page.lines, 1)
        click.echo(f"{file} -> {target} ({len(result.doc['steps'])} steps, about {share}% of its lines as steps)")
        for note in result.notes:
            click.echo(f"  review: {note}")
    checked = pipeline.run([out], pipeline.Options())
    shown = {str(p) for p in written}
    errors = [f for f in checked.findings if f.path in shown and f.severity is Severity.ERROR]
    for f in errors:
        click.echo(f"{f.path}:{f.line}:{f.col}: error: {f.message} [{f.rule}]", err=True)
    warnings = sum(1 for f in checked.findings if f.path in shown and f.severity is Severity.WARNING)
    click.echo(f"{len(written)} runbooks written to {out}: {len(errors)} errors, {warnings} warnings "
               f"(validate_runbook {out} lists them)")
    return EXIT_FINDINGS if errors else EXIT_OK

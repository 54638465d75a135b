"""``runbook test``: run every drill of every runbook with simulated results and report the
paths, the outcomes and the coverage of steps and decision answers.

Exit codes: 0 every drill passed (and coverage is at least ``--min-coverage``), 1 a drill
failed, coverage is too low or a runbook does not validate, 2 usage or internal error.
"""

from __future__ import annotations

from pathlib import Path

import click

from validator import drills, pipeline
from validator.cli.errors import EXIT_FINDINGS, EXIT_OK
from validator.findings import Severity
from validator.reporters import REPORTERS, Report
from validator.reporters.drills import FORMATS, TestReport


@click.command("test")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="text", show_default=True,
              help="Output format: text for people, json, or github (workflow annotations).")
@click.option("--min-coverage", type=click.FloatRange(0, 100), metavar="PERCENT",
              help="Fail when the drills reach less than this share of steps and decision answers.")
def test(paths: tuple[Path, ...], fmt: str, min_coverage: float | None) -> int:
    """Run the drills of the runbooks under PATHS (default: runbooks/); no command runs."""
    result = pipeline.run(list(paths) or [Path("runbooks")], pipeline.Options(lint=False))
    errors = [f for f in result.findings if f.severity == Severity.ERROR]
    if errors:
        report = Report(errors, len(result.repository.files), result.line_of, docs_url=result.docs_url)
        click.echo(REPORTERS["github" if fmt == "github" else "text"](report), nl=False, err=fmt != "github")
    runbooks = sorted(result.repository.runbooks, key=lambda rb: rb.source.path)
    results, coverages = drills.run_all(runbooks)
    test_report = TestReport(results, coverages, min_coverage)
    click.echo(FORMATS[fmt](test_report), nl=False)
    return EXIT_FINDINGS if errors or test_report.failed or test_report.below_minimum else EXIT_OK

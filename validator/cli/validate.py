"""``validate_runbook`` / ``runbook validate``: check runbooks and policies, print findings.

Exit codes: 0 no error-level findings (with ``--strict``: no warnings either), 1 findings,
2 usage or internal error.  ``-`` reads one document from standard input (an editor or a
pre-receive hook that has the text, not the file), checked as ``--stdin-filename`` in its
folder when given; with ``--format github`` and ``GITHUB_STEP_SUMMARY`` set, every finding
is also written to the job summary, which the runner does not cap as it caps annotations.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

import click

from validator import __version__, pipeline
from validator.cli.errors import EXIT_FINDINGS, EXIT_OK
from validator.discovery import display_path
from validator.findings import ConfigError
from validator.reporters import REPORTERS, Report, job_summary
from validator.repository import Given
from validator.yamlsafe import MAX_BYTES

STDIN = Path("-")
EXIT_CODES = """\b
Exit codes:
  0  no error-level findings (with --strict: no warnings either)
  1  findings at error level (or warnings with --strict)
  2  usage error, bad configuration, or an internal error"""


def _today(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date (YYYY-MM-DD)", param_hint="--today") from None


def _stdin(paths: tuple[Path, ...], filename: Path | None) -> Given | None:
    """The document on standard input when ``-`` is among the paths, named after ``--stdin-filename``."""
    count = paths.count(STDIN)
    if count > 1:
        raise click.UsageError("'-' (standard input) can be given once")
    if count == 0:
        if filename is not None:
            raise click.UsageError("--stdin-filename names the document read from standard input: give '-' as a path too")
        return None
    data = sys.stdin.buffer.read(MAX_BYTES + 1)  # one byte over is enough to report the size finding
    if filename is None:
        return Given(Path.cwd() / "<stdin>", "<stdin>", data)
    return Given(Path(os.path.abspath(filename)), display_path(filename), data)


def _write_summary(report: Report) -> None:
    """Append the job summary to the file the runner names; a failure loses the summary, not the check."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    try:
        with open(target, "a", encoding="utf-8", errors="replace") as summary:
            summary.write(job_summary.render(report))
    except OSError as err:
        click.echo(f"warning: cannot write the job summary to {target}: {err.strerror}", err=True)


@click.command("validate", context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(REPORTERS)),
    default="text",
    show_default=True,
    help="Output format: text for people, json, github (workflow annotations and the job summary) or sarif (code scanning).",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option(
    "--quiet",
    "-q",
    is_flag=True,
    help="Print only the findings: no summary line, and nothing at all when there are none (text and github).",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to this file.")
@click.option(
    "--stdin-filename",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="PATH",
    help="With '-': check standard input as this file (its folder's policy applies) and report it by this name.",
)
@click.option("--no-lint", is_flag=True, help="Only check the format and references, not the lint rules.")
@click.option("--shellcheck", is_flag=True, help="Also check commands and shell scripts with ShellCheck (when installed).")
@click.option("--today", metavar="YYYY-MM-DD", help="Judge review dates as of this day (default: $RUNBOOK_TODAY, else today).")
@click.option(
    "--config",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Configuration file (default: [tool.runbook] in pyproject.toml or .runbook.yaml).",
)
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Report only findings not in this baseline file (SARIF lists the others as suppressed).",
)
@click.option(
    "--write-baseline", type=click.Path(dir_okay=False, path_type=Path), help="Record the current findings as the baseline."
)
@click.option(
    "--alert-rules",
    "alert_rules",
    multiple=True,
    metavar="PATH",
    help="Prometheus rule files, PrometheusRule manifests, folders or globs: every alert must have a runbook "
    "(default: the alert_rules setting).",
)
@click.option(
    "--url-pattern",
    metavar="URL",
    help="Address of a runbook's page with {id}, for resolving runbook_url annotations (default: runbook_url setting).",
)
@click.version_option(__version__, "--version", message="%(prog)s %(version)s", help="Print the version and exit.")
def validate(
    paths: tuple[Path, ...],
    fmt: str,
    strict: bool,
    quiet: bool,
    output: Path | None,
    stdin_filename: Path | None,
    no_lint: bool,
    shellcheck: bool,
    today: str | None,
    config: Path | None,
    baseline: Path | None,
    write_baseline: Path | None,
    alert_rules: tuple[str, ...],
    url_pattern: str | None,
) -> int:
    """Check runbooks and policies under PATHS (default: runbooks/); '-' reads one document from standard input."""
    given = _stdin(paths, stdin_filename)
    on_disk = [p for p in paths if p != STDIN]
    targets = on_disk or ([] if given is not None else [Path("runbooks")])
    options = pipeline.Options(
        lint=not no_lint,
        today=_today(today),
        config=config,
        baseline=baseline,
        write_baseline=write_baseline,
        shellcheck=shellcheck,
        alert_rules=alert_rules,
        runbook_url=url_pattern,
        group=True,
        given=given,
    )
    result = pipeline.run(targets, options)
    report = Report(
        result.findings,
        result.checked_files,
        result.line_of,
        rules=result.rules,
        docs_url=result.docs_url,
        tool_version=__version__,
        root=result.repository.root,
        baselined=result.baselined,
        baseline=str(baseline or ""),
        quiet=quiet,
    )
    text = REPORTERS[fmt](report)
    if fmt == "github":
        _write_summary(report)
    if output is not None:
        try:
            # a file name that is not UTF-8 must not make the report unwritable
            output.write_text(text, encoding="utf-8", errors="replace")
        except OSError as err:
            raise ConfigError(f"cannot write {output}: {err.strerror}") from None
        if not quiet:
            click.echo(report.summary(), err=True)
    else:
        click.echo(text, nl=False)
    return EXIT_FINDINGS if result.failed(strict) else EXIT_OK

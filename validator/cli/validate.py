"""``validate_runbook`` / ``runbook validate``: check runbooks and policies, print findings.

Exit codes: 0 no error-level findings (with ``--strict``: no warnings either), 1 findings,
2 usage or internal error.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from validator import __version__, pipeline
from validator.cli.errors import EXIT_FINDINGS, EXIT_OK
from validator.findings import ConfigError
from validator.reporters import REPORTERS, Report


def _today(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date (YYYY-MM-DD)", param_hint="--today") from None


@click.command("validate", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(sorted(REPORTERS)), default="text", show_default=True,
              help="Output format: text for people, json, github (workflow annotations) or sarif (code scanning).")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to this file.")
@click.option("--no-lint", is_flag=True, help="Only check the format and references, not the lint rules.")
@click.option("--shellcheck", is_flag=True, help="Also check commands and shell scripts with ShellCheck (when installed).")
@click.option("--today", metavar="YYYY-MM-DD", help="Judge review dates as of this day (default: $RUNBOOK_TODAY, else today).")
@click.option("--config", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Configuration file (default: [tool.runbook] in pyproject.toml or .runbook.yaml).")
@click.option("--baseline", type=click.Path(dir_okay=False, path_type=Path),
              help="Report only findings not in this baseline file.")
@click.option("--write-baseline", type=click.Path(dir_okay=False, path_type=Path),
              help="Record the current findings as the baseline.")
@click.option("--alert-rules", "alert_rules", multiple=True, metavar="PATH",
              help="Prometheus rule files, PrometheusRule manifests, folders or globs: every alert must have a runbook "
                   "(default: the alert_rules setting).")
@click.option("--url-pattern", metavar="URL",
              help="Address of a runbook's page with {id}, for resolving runbook_url annotations (default: runbook_url setting).")
def validate(paths: tuple[Path, ...], fmt: str, strict: bool, output: Path | None, no_lint: bool, shellcheck: bool,
             today: str | None, config: Path | None, baseline: Path | None, write_baseline: Path | None,
             alert_rules: tuple[str, ...], url_pattern: str | None) -> int:
    """Check runbooks and policies under PATHS (default: runbooks/)."""
    targets = list(paths) or [Path("runbooks")]
    options = pipeline.Options(lint=not no_lint, today=_today(today), config=config, baseline=baseline,
                               write_baseline=write_baseline, shellcheck=shellcheck, alert_rules=alert_rules,
                               runbook_url=url_pattern, group=True)
    result = pipeline.run(targets, options)
    report = Report(result.findings, result.checked_files, result.line_of, rules=result.rules,
                    docs_url=result.docs_url, tool_version=__version__)
    text = REPORTERS[fmt](report)
    if output is not None:
        try:
            # a file name that is not UTF-8 must not make the report unwritable
            output.write_text(text, encoding="utf-8", errors="replace")
        except OSError as err:
            raise ConfigError(f"cannot write {output}: {err.strerror}") from None
        click.echo(report.summary(), err=True)
    else:
        click.echo(text, nl=False)
    return EXIT_FINDINGS if result.failed(strict) else EXIT_OK

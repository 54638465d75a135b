"""``runbook alerts``: the table alert -> runbook -> URL, for filling ``runbook_url`` annotations.

Alerts come from the runbooks' own ``alerts:`` lists and, with ``--alert-rules``, from the
rule files; an alert no runbook answers is listed with an empty runbook, so the table is
also the to-do list.  Exit code 1 when some alert of the rule files has no runbook.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from validator import alert_check, alert_sources
from validator.cli.errors import EXIT_FINDINGS, EXIT_OK
from validator.repository import load_repository


def _rows(paths: list[Path], rules: tuple[str, ...], pattern: str | None) -> list[dict[str, str]]:
    repo = load_repository(paths)
    root = Path.cwd()
    rule_files = alert_sources.load_all(rules, root) if rules else []
    rows: list[dict[str, str]] = []
    covered: set[tuple[str, str]] = set()
    for row in alert_check.coverage(rule_files, repo.runbooks, pattern):
        rid = row.runbook or ""
        covered.add((row.alert.name, rid))
        rows.append({"alert": row.alert.name, "labels": _labels(row.alert.labels), "runbook": rid,
                     "url": alert_check.runbook_url(pattern, rid) if rid else "", "how": row.how,
                     "rule": f"{row.alert.path}:{row.alert.line}"})
    for rb in repo.runbooks:
        for named in rb.alerts:
            if (named.name, rb.id) not in covered:
                rows.append({"alert": named.name, "labels": _labels(named.labels), "runbook": rb.id,
                             "url": alert_check.runbook_url(pattern, rb.id), "how": "named", "rule": ""})
    return sorted(rows, key=lambda r: (r["alert"].lower(), r["labels"], r["runbook"]))


def _labels(labels: dict[str, str]) -> str:
    return ",".join(f"{k}={v}" for k, v in sorted(labels.items()))


def _table(rows: list[dict[str, str]]) -> str:
    head = ("ALERT", "RUNBOOK", "URL")
    cells = [(r["alert"] + (f"{{{r['labels']}}}" if r["labels"] else ""), r["runbook"] or "(none)", r["url"]) for r in rows]
    widths = [max([len(h)] + [len(c[i]) for c in cells]) for i, h in enumerate(head)]
    lines = ["  ".join(v.ljust(widths[i]) for i, v in enumerate(row)).rstrip() for row in [head, *cells]]
    missing = sum(1 for r in rows if not r["runbook"])
    lines.append(f"{len(rows)} alerts, {missing} without a runbook")
    return "\n".join(lines) + "\n"


@click.command("alerts")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--alert-rules", "rules", multiple=True, metavar="PATH",
              help="Prometheus rule files, PrometheusRule manifests, folders or globs (repeatable).")
@click.option("--url-pattern", metavar="URL", help="Address of a runbook's page, with {id}: "
              "https://runbooks.example.org/runbooks/{id}/ (default: the runbook_url setting).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def alerts(paths: tuple[Path, ...], rules: tuple[str, ...], url_pattern: str | None, fmt: str) -> int:
    """List every alert with the runbook that answers it and that runbook's address."""
    rows = _rows(list(paths) or [Path("runbooks")], rules, url_pattern)
    if fmt == "json":
        click.echo(json.dumps({"alerts": rows}, indent=2))
    else:
        click.echo(_table(rows), nl=False)
    return EXIT_FINDINGS if any(not r["runbook"] for r in rows) else EXIT_OK

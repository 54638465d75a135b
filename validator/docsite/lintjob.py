"""Lint the repository the plugin has already loaded, for the "Needs attention" page.

Only that page shows lint findings, and MkDocs renders it last.  The rules run over the
repository loaded for the pages rather than a second load of the same folders: loading costs
about three times what the rules do, and a worker process doing it again competes with the
rendering for the CPU on a small machine.
"""

from __future__ import annotations

from datetime import date

from validator import pipeline
from validator.findings import Finding, cap_per_file, sort_findings


def lint(result: pipeline.Result, today: date) -> list[Finding]:
    """Every finding ``validate_runbook`` would report: the load findings plus the lint rules'.

    Exceptions from the lint rules propagate; the caller decides what the site shows then.
    """
    try:
        from validator.rules import engine
    except ImportError:
        return result.findings
    linted = engine.lint(result.repository, list(result.repository.findings), engine.Settings(today=today))
    return cap_per_file(sort_findings(linted.findings))

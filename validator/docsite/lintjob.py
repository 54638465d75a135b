"""Lint in a second process while MkDocs renders the pages.

Only the "Needs attention" page shows lint findings, and MkDocs renders it last, so the lint
rules run in parallel with the rendering of every other page instead of before it.  Where a
second process cannot be started, the findings are computed in this one when needed.
"""

from __future__ import annotations

import logging
import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import date
from pathlib import Path

from validator import pipeline
from validator.findings import Finding

log = logging.getLogger("mkdocs.plugins.runbooks")


def lint(paths: list[str], today: str) -> list[Finding]:
    """Load, check and lint: every finding ``validate_runbook`` would report."""
    return pipeline.run([Path(p) for p in paths], pipeline.Options(today=date.fromisoformat(today))).findings


class LintJob:
    """The findings of :func:`lint`, computed in a worker process when one can be started."""

    def __init__(self, paths: list[Path], today: date) -> None:
        self._args = ([str(p) for p in paths], today.isoformat())
        self._pool: ProcessPoolExecutor | None = None
        self._future: Future[list[Finding]] | None = None
        try:
            # spawn, not fork: `mkdocs serve` runs threads, and a forked copy of them can deadlock
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
            self._future = self._pool.submit(lint, *self._args)
        except (OSError, RuntimeError, ValueError) as err:
            log.info("runbooks: linting in this process (no worker process: %s)", err)
            self.close()

    def findings(self) -> list[Finding]:
        """Wait for the worker (or lint here); exceptions from the lint rules propagate."""
        try:
            if self._future is not None:
                return self._future.result()
            return lint(*self._args)
        finally:
            self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

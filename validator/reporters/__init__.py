"""Reporters turn a :class:`~validator.reporters.base.Report` into text for a person or a machine.

Each format is one module; ``REPORTERS`` is the only place that lists them.
"""

from __future__ import annotations

from collections.abc import Callable

from validator.reporters import github, job_summary, json_format, sarif, text
from validator.reporters.base import Report

REPORTERS: dict[str, Callable[[Report], str]] = {
    "text": text.render,
    "json": json_format.render,
    "github": github.render,
    "sarif": sarif.render,
}

__all__ = ["REPORTERS", "Report", "job_summary"]

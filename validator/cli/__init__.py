"""The ``runbook`` command group and the ``validate_runbook`` console script."""

from validator.cli.main import cli, main, validate_main

__all__ = ["cli", "main", "validate_main"]

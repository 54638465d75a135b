"""Runbooks as code: load, validate, lint, render and run incident runbooks written in YAML."""

__version__ = "0.1.0"

"""Lint rules: readiness checks that go beyond the schema (contacts, SLAs, scripts, steps, secrets, freshness).

Each family is one module; :mod:`validator.rules.registry` lists them explicitly.
"""

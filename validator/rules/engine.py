"""Run every enabled lint rule over a loaded repository and merge with the load findings.

Configuration (disable, severity overrides, ignored paths), inline suppressions and the
baseline are applied here, after the rules ran, so rules stay simple.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from validator.findings import Finding
from validator.repository import Repository
from validator.rules import registry
from validator.rules.base import Context

if TYPE_CHECKING:
    from validator.pipeline import Options


def lint(repo: Repository, findings: list[Finding], options: Options) -> list[Finding]:
    ctx = Context(repo=repo, today=options.today or date.today(), root=repo.root)
    out = list(findings)
    for rule in registry.rules():
        ctx.current = rule.info
        out.extend(rule.check(ctx))
    return out

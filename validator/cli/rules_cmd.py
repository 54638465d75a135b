"""``runbook rules`` lists every rule; ``runbook rules ID`` explains one.

The text comes from the same metadata the reporters and the docs site use (the core
catalog and the lint rules' docstrings, through :mod:`validator.rule_docs`), so the three never
disagree.  It needs no network: this is what a finding points at when no site is configured.
"""

from __future__ import annotations

from pathlib import Path

import click

from validator.catalog import CORE_RULES, RuleInfo
from validator.discovery import find_root
from validator.rule_docs import help_text, page_url
from validator.rules import config as configuration
from validator.rules import registry


def _docs_url() -> str | None:
    """The site address configured for the repository we are in, if any."""
    root = find_root(Path.cwd())
    return configuration.load(root, None, registry.rule_infos()).docs_url


def _find(key: str, infos: dict[str, RuleInfo]) -> RuleInfo:
    wanted = key.strip().lower()
    for info in infos.values():
        if wanted in (info.id.lower(), info.name.lower()):
            return info
    raise click.UsageError(f"unknown rule '{key}': {registry.suggest_id(key, infos)}")


@click.command("rules")
@click.argument("rule_id", required=False, metavar="[ID]")
def rules(rule_id: str | None) -> None:
    """List every rule with its id, default severity and summary, or explain rule ID."""
    infos = registry.all_rules()
    if rule_id is None:
        width = max(len(i.name) for i in infos.values())
        for info in infos.values():
            click.echo(f"{info.id}  {info.severity.value:<7}  {info.name:<{width}}  {info.summary}")
        click.echo(
            f"\n{len(infos)} rules ({len(CORE_RULES)} core, {len(infos) - len(CORE_RULES)} lint). "
            "`runbook rules ID` explains one."
        )
        return
    info = _find(rule_id, infos)
    click.echo(help_text(info), nl=False)
    url = page_url(info.id, _docs_url())
    if url:
        click.echo(f"Docs: {url}")

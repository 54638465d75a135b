"""``runbook rules`` lists every rule; ``runbook rules ID`` explains one.

The text comes from the same metadata the reporters and the docs site use (the core
catalog and the lint rules' docstrings), so the three never disagree.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import click

from validator.catalog import CORE_RULES, RuleInfo, help_uri
from validator.discovery import find_root
from validator.rules import config as configuration
from validator.rules import registry


def _docs_url() -> str:
    """The docs address configured for the repository we are in, else the default."""
    root = find_root(Path.cwd())
    return configuration.load(root, None, registry.rule_infos()).docs_url


def _catalog() -> tuple[dict[str, RuleInfo], dict[str, str]]:
    infos = dict(CORE_RULES)
    docs = {rid: info.rationale for rid, info in CORE_RULES.items()}
    for r in registry.rules():
        infos[r.info.id] = r.info
        docs[r.info.id] = r.doc
    return infos, docs


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
    infos, docs = _catalog()
    if rule_id is None:
        width = max(len(i.name) for i in infos.values())
        for info in infos.values():
            click.echo(f"{info.id}  {info.severity.value:<7}  {info.name:<{width}}  {info.summary}")
        click.echo(f"\n{len(infos)} rules ({len(CORE_RULES)} core, {len(infos) - len(CORE_RULES)} lint). "
                   "`runbook rules ID` explains one.")
        return
    info = _find(rule_id, infos)
    kind = "core check, always on" if info.id in CORE_RULES else "lint rule"
    click.echo(f"{info.id} {info.name} ({info.severity.value}, {kind})\n")
    click.echo(textwrap.fill(info.summary, 88) + "\n")
    body = docs.get(info.id, "")
    if body and body != info.summary:
        click.echo(body + "\n")
    if info.hint:
        click.echo(f"Hint: {info.hint}")
    click.echo(f"Docs: {help_uri(info.id, _docs_url())}")

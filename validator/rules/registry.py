"""The one list of lint rule families.  Importing a family module registers its rules.

To add a family, add its module to ``FAMILIES``; nothing else needs to know about it.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from validator.catalog import CORE_RULES, RuleInfo
from validator.references import suggest
from validator.rules.base import Rule, defined_rules

# Rules the engine itself reports (suppression problems); always present.
ENGINE = ("validator.rules.suppress",)

FAMILIES = (
    "validator.rules.contacts",
    "validator.rules.contact_chains",
    "validator.rules.sla",
    "validator.rules.sla_runbook",
    "validator.rules.sla_targets",
    "validator.rules.scripts",
    "validator.rules.command_files",
    "validator.rules.shellcheck",
    "validator.rules.steps",
    "validator.rules.step_graph",
    "validator.rules.step_people",
    "validator.rules.step_safety",
    "validator.rules.step_commands",
    "validator.rules.step_values",
    "validator.rules.target_hosts",
    "validator.rules.target_rollout",
    "validator.rules.secrets_rule",
    "validator.rules.review_marks",
    "validator.rules.channels",
    "validator.rules.freshness",
)


def rules() -> list[Rule]:
    for module in (*ENGINE, *FAMILIES):
        importlib.import_module(module)
    return sorted(defined_rules(), key=lambda r: r.info.id)


def rule_infos() -> dict[str, RuleInfo]:
    """The lint rules' metadata, by id."""
    return {r.info.id: r.info for r in rules()}


def all_rules() -> dict[str, RuleInfo]:
    """Every rule a finding can carry: the core catalogue, then the lint rules."""
    return {**CORE_RULES, **rule_infos()}


def suggest_id(typed: str, ids: Iterable[str]) -> str:
    """A did-you-mean for a mistyped rule id: the letter O for zero and l for one, then one wrong character."""
    known = sorted(ids)
    wanted = typed.strip().lower()
    normal = wanted[:1] + wanted[1:].replace("o", "0").replace("l", "1")
    near = [i for i in known if i.lower() == normal] or [
        i for i in known if len(i) == len(normal) and sum(a != b for a, b in zip(i.lower(), normal, strict=True)) == 1]
    return f"did you mean '{near[0]}'?" if near else suggest(typed.strip().upper(), known)

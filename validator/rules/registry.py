"""The one list of lint rule families.  Importing a family module registers its rules."""

from __future__ import annotations

import importlib

from validator.catalog import RuleInfo
from validator.rules.base import Rule, defined_rules

FAMILIES = (
    # "validator.rules.contacts",
    # "validator.rules.sla",
    "validator.rules.scripts",
    "validator.rules.shellcheck",
    "validator.rules.steps",
    "validator.rules.step_people",
    "validator.rules.step_safety",
    "validator.rules.secrets_rule",
    "validator.rules.freshness",
)


def rules() -> list[Rule]:
    for module in FAMILIES:
        importlib.import_module(module)
    return sorted(defined_rules(), key=lambda r: r.info.id)


def rule_infos() -> dict[str, RuleInfo]:
    return {r.info.id: r.info for r in rules()}

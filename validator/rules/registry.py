"""The one list of lint rule families.  Importing a family module registers its rules.

To add a family, add its module to ``FAMILIES``; nothing else needs to know about it.
"""

from __future__ import annotations

import importlib

from validator.catalog import RuleInfo
from validator.rules.base import Rule, defined_rules

# Rules the engine itself reports (suppression problems); always present.
ENGINE = ("validator.rules.suppress",)

FAMILIES = (
    "validator.rules.contacts",
    "validator.rules.contact_chains",
    "validator.rules.sla",
    "validator.rules.sla_runbook",
    "validator.rules.scripts",
    "validator.rules.shellcheck",
    "validator.rules.steps",
    "validator.rules.step_people",
    "validator.rules.step_safety",
    "validator.rules.secrets_rule",
    "validator.rules.freshness",
)


def rules() -> list[Rule]:
    for module in (*ENGINE, *FAMILIES):
        importlib.import_module(module)
    return sorted(defined_rules(), key=lambda r: r.info.id)


def rule_infos() -> dict[str, RuleInfo]:
    return {r.info.id: r.info for r in rules()}

"""The scripts, steps, secrets and freshness findings on the three seeds, converted as written,
match the hand-written list in ``tests/fixtures/seeds/EXPECTED.md`` exactly.

Each pair below is one row of that list that is not marked *(judgement)*, mapped to the rule
that reports it; the comment names the row.  Rows that expect no finding (004-28, 001-30,
002-14, 002-20) are covered by the equality: any extra finding fails the test.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from validator import pipeline

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
TODAY = date(2026, 11, 23)  # EXPECTED.md: "Freshness rows assume --today 2026-11-23"
FAMILIES = ("P3", "S4", "K5", "D6")

EXPECTED: dict[str, set[tuple[str, str]]] = {
    "004-api-service": {
        ("brute-force-attack.yaml", "P301"),  # 004-11
        ("account-compromise.yaml", "P301"),  # 004-12
        ("data-corruption.yaml", "P301"),  # 004-13
        ("brute-force-attack.yaml", "P310"),  # 004-11 the same script steps declare no risk either
        ("account-compromise.yaml", "P310"),  # 004-12
        ("data-corruption.yaml", "P310"),  # 004-13
        ("brute-force-attack.yaml", "S414"),  # 004-14 <IP>
        ("account-compromise.yaml", "S414"),  # 004-15 <USER_ID>
        ("data-corruption.yaml", "S414"),  # 004-16 <backup_file>
        ("high-error-rate.yaml", "S414"),  # 004-17 <commit-hash>
        ("performance-degradation.yaml", "S414"),  # 004-18 <slow_query>
        ("high-error-rate.yaml", "S413"),  # 004-19 tail -f
        ("database-connection-failures.yaml", "S405"),  # 004-20 PostgreSQL restart without confirm
        ("data-corruption.yaml", "S405"),  # 004-22 docker-compose stop; 004-23 restore, no confirm
        ("data-corruption.yaml", "S408"),  # 004-23 no undo, no verification that runs a check after it
        ("data-corruption.yaml", "S409"),  # 004-22/004-23 no undo (and no rollback section)
        ("high-error-rate.yaml", "S409"),  # 004-24 mutating step, no undo, no rollback
        ("brute-force-attack.yaml", "S407"),  # 004-25
        ("account-compromise.yaml", "S407"),  # 004-25
        ("ddos-attack.yaml", "S407"),  # 004-25
        *{(name, "D602") for name in (  # 004-29: seven runbooks and the policy
            "database-connection-failures.yaml", "high-error-rate.yaml", "brute-force-attack.yaml", "account-compromise.yaml",
            "ddos-attack.yaml", "performance-degradation.yaml", "data-corruption.yaml", "policy.yaml")},
    },
    "001-tachi-protocol": {
        ("critical-incident.yaml", "S405"),  # 001-17 pm2 stop
        ("critical-incident.yaml", "S413"),  # 001-17 tail -f
        ("critical-incident.yaml", "S409"),  # 001-18 backup, 001-22 deploy: no undo, no rollback
        ("policy.yaml", "S406"),  # 001-24 [SEVERITY], [Time] ...
        ("infrastructure-incident.yaml", "S413"),  # 001-26 tail -f
        ("infrastructure-incident.yaml", "S407"),  # 001-29
        ("multisig-emergency.yaml", "S407"),  # 001-29
        *{(name, "D602") for name in (  # 001-31: the policy and the three runbooks
            "policy.yaml", "critical-incident.yaml", "infrastructure-incident.yaml", "multisig-emergency.yaml")},
    },
    "002-trustledger": {
        ("incident-response.yaml", "S407"),  # 002-15
        ("policy.yaml", "S406"),  # 002-16 [Brief description] ...
        ("incident-response.yaml", "D601"),  # 002-21
        ("policy.yaml", "D601"),  # 002-22
    },
}


def lint_seed(seed: str) -> list[tuple[str, str]]:
    here = os.getcwd()
    os.chdir(SEEDS / seed)  # each seed folder is its own repository root (.runbook.yaml)
    try:
        result = pipeline.run([Path(".")], pipeline.Options(today=TODAY))
    finally:
        os.chdir(here)
    return [(f.path, f.rule) for f in result.findings]


@pytest.mark.parametrize("seed", sorted(EXPECTED))
def test_seed_findings_match_the_hand_written_list(seed: str) -> None:
    found = lint_seed(seed)
    assert not [f for f in found if f[1].startswith(("Y", "F", "R"))], "the seed fixture must load cleanly"
    mine = {f for f in found if f[1].startswith(FAMILIES)}
    assert sorted(mine - EXPECTED[seed]) == [], "found but not in EXPECTED.md"
    assert sorted(EXPECTED[seed] - mine) == [], "in EXPECTED.md but not found"


def test_every_seed_folder_is_covered() -> None:
    assert sorted(p.name for p in SEEDS.iterdir() if p.is_dir()) == sorted(EXPECTED)

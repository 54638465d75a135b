"""The three seeds, converted as written, against the reviewer's list in tests/fixtures/seeds/EXPECTED.md.

Only the contacts (C1xx) and SLA (T2xx) families are asserted here; the other families are
checked against the same list by their own tests.  Each expected finding below carries the
number of the EXPECTED.md row it comes from.  Rows the list marks *(judgement)* are not
expected from a rule and do not appear.  The one finding the list does not name is kept in
ADDITIONS with the reason, so the difference is visible rather than silently tolerated.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from validator import pipeline

SEEDS = Path(__file__).parents[1] / "fixtures" / "seeds"
FAMILIES = ("C1", "T2")
TODAY = date(2026, 11, 23)
FILE_LEVEL = {"C109"}  # rows about a whole document name the file, not a line


def _at(file: str, rule: str, *lines: int) -> list[tuple[str, str, int]]:
    return [(file, rule, line) for line in lines]


EXPECTED: dict[str, list[tuple[str, str, int]]] = {
    "001-tachi-protocol": [
        *_at("policy.yaml", "C101", 64, 69, 74, 79),            # 001-01 [Name]
        *_at("policy.yaml", "C101", 66, 71, 76, 81, 107),       # 001-02 +1-XXX-XXX-XXXX
        *_at("policy.yaml", "C101", 67, 72, 77, 82),            # 001-03 email@domain.com
        *_at("policy.yaml", "C113", 86),                        # 001-04 "Integration Key in .env.production"
        *_at("policy.yaml", "C105", 35),                        # 001-05 SEV1 pages one integration
        *_at("policy.yaml", "C106", 127),                       # 001-07 on-call role empty
        *_at("policy.yaml", "C104", 109, 114, 117, 120, 123),   # 001-08 unreachable contacts
        *_at("infrastructure-incident.yaml", "C109", 5),        # 001-09 no owner
        *_at("multisig-emergency.yaml", "C109", 5),             # 001-09
        *_at("policy.yaml", "T206", 25),                        # 001-10 no update cadence
        *_at("policy.yaml", "T209", 135, 138, 141),             # 001-13 every level at 0s
    ],
    "002-trustledger": [
        *_at("policy.yaml", "C101", 51, 55, 59),                # 002-01 [Name]
        *_at("policy.yaml", "C101", 53, 57, 61),                # 002-02 [Phone Number]
        *_at("policy.yaml", "C106", 83, 86, 89, 92, 95, 97, 99, 101),  # 002-03 empty roles
        *_at("policy.yaml", "C105", 23),                        # 002-04 P0 pages nobody
        *_at("policy.yaml", "C104", 74),                        # 002-05 status page unreachable
        *_at("incident-response.yaml", "C109", 5),              # 002-06 no owner (runbook)
        *_at("policy.yaml", "C109", 6),                         # 002-06 no owner (policy)
        *_at("incident-response.yaml", "C114", 122),            # 002-07 notice to an empty role
        *_at("policy.yaml", "T212", 30),                        # 002-08 respond 0s
        *_at("policy.yaml", "T206", 23),                        # 002-09 no update cadence
        *_at("policy.yaml", "T211", 23),                        # 002-10 no resolve target (top severity)
        *_at("policy.yaml", "T209", 108, 111),                  # 002-11 every level at 0s
        *_at("policy.yaml", "T213", 150, 151, 152, 153),        # 002-13 objectives without target
    ],
    "004-api-service": [
        *_at("policy.yaml", "C106", 43, 45, 47),                # 004-01 empty roles
        *_at("policy.yaml", "C104", 33, 36, 39),                # 004-02 unreachable contacts
        *_at("policy.yaml", "C105", 16),                        # 004-03 critical pages nobody
        *_at("policy.yaml", "C109", 6),                         # 004-04 policy without owner
        *[(f"{name}.yaml", "C109", 5) for name in (             # 004-05 seven runbooks without owner
            "database-connection-failures", "high-error-rate", "brute-force-attack", "account-compromise",
            "ddos-attack", "performance-degradation", "data-corruption")],
        *_at("policy.yaml", "T206", 16),                        # 004-06 no update cadence
        *_at("policy.yaml", "T211", 16),                        # 004-07 no resolve target (top severity)
        *_at("policy.yaml", "T209", 54, 57, 60),                # 004-08 every level at 0s
    ],
}

# Findings the list does not name, each with the reason it is still right.
ADDITIONS: dict[str, list[tuple[str, str, int]]] = {
    # Step 4 sends the status update only to the on-call role, which 001-07 says nobody fills:
    # the same situation as 002-07 (which the list does name), so the update reaches nobody.
    "001-tachi-protocol": _at("critical-incident.yaml", "C114", 117),
}


def _findings(seed: str) -> list[tuple[str, str, int]]:
    here = os.getcwd()
    os.chdir(SEEDS / seed)
    try:
        result = pipeline.run([Path(".")], pipeline.Options(today=TODAY))
    finally:
        os.chdir(here)
    return [(f.path, f.rule, f.line) for f in result.findings if f.rule.startswith(FAMILIES)]


def _section(seed: str) -> str:
    text = (SEEDS / "EXPECTED.md").read_text(encoding="utf-8")
    start = text.index(f"## {seed}")
    end = text.find("\n## ", start + 1)
    return text[start:] if end < 0 else text[start:end]


@pytest.mark.parametrize("seed", sorted(EXPECTED))
def test_contact_and_sla_findings_match_the_reviewers_list(seed: str) -> None:
    wanted = Counter(EXPECTED[seed] + ADDITIONS.get(seed, []))
    found = Counter(_findings(seed))
    assert found == wanted, f"missing: {sorted((wanted - found).elements())}\nextra: {sorted((found - wanted).elements())}"


@pytest.mark.parametrize("seed", sorted(EXPECTED))
def test_every_expected_location_is_in_the_list(seed: str) -> None:
    """Keeps this file honest: each located expectation is a location EXPECTED.md gives."""
    section = _section(seed)
    for file, rule, line in EXPECTED[seed]:
        if rule in FILE_LEVEL:
            assert re.search(rf"`{re.escape(file)}`", section), file
        else:
            assert f"`{file}:{line}`" in section, (file, rule, line)


@pytest.mark.parametrize("folder", ["runbooks", "examples/ledger", "examples/tachi-protocol"])
def test_bundled_examples_are_clean(folder: str) -> None:
    root = Path(__file__).parents[2]
    result = pipeline.run([root / folder], pipeline.Options(today=TODAY))
    assert [(f.path, f.rule, f.message) for f in result.findings if f.rule.startswith((*FAMILIES, "L", "Y", "F", "R"))] == []

"""Golden files: the full output of ``validate_runbook`` on a broken copy of each example set,
in every format, byte for byte.

Each copy under ``tests/fixtures/broken/`` differs from its clean set by exactly four mistakes:
a dangling reference, an unknown key, a bad duration and a duplicate key.  The findings are
also asserted by rule and position below, so a golden file cannot quietly absorb a
regression.  ``--no-lint`` keeps lint rules (which change often) out of these files.

After an intended change of output, regenerate with ``UPDATE_GOLDEN=1 pytest tests/core/test_golden.py``
and review the diff before committing.
"""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VALIDATE = Path(sys.executable).parent / "validate_runbook"
GOLDEN = ROOT / "tests" / "golden" / "broken"
BROKEN = "tests/fixtures/broken"
FORMATS = ("text", "json", "github", "sarif")
HANG_GUARD = 120  # seconds: turns a hang into a failure, never a speed assertion

#: (file, line, column, rule) of every finding expected in each broken set.
EXPECTED: dict[str, list[tuple[str, int, int, str]]] = {
    "004-api-service": [
        ("data-corruption.yaml", 53, 13, "F003"),  # within: 15 minutes
        ("database-connection-failure.yaml", 54, 5, "F001"),  # timout
        ("ddos-attack.yaml", 9, 1, "Y002"),  # severity twice
        ("high-error-rate.yaml", 108, 14, "R002"),  # notify: [comms-lead]
    ],
    "001-tachi-protocol": [
        ("critical-incident.yaml", 15, 11, "R001"),  # severity: SEV0
        ("infrastructure-incident.yaml", 76, 14, "F003"),  # every: 10 (no unit)
        ("multisig-emergency.yaml", 45, 5, "F001"),  # retry_dely
        ("policy.yaml", 137, 5, "Y002"),  # email twice
    ],
    "002-trustledger": [
        ("data-breach.yaml", 6, 1, "F001"),  # sumary
        ("incident-response.yaml", 15, 10, "F003"),  # every: monthly
        ("incident-response.yaml", 157, 5, "Y002"),  # title twice
        ("policy.yaml", 209, 14, "R008"),  # drill runbook: ledger-databreach
    ],
}
SUFFIX = {"text": "txt", "json": "json", "github": "github.txt", "sarif": "sarif.json"}


@functools.cache  # one run per (set, format) per worker: the output is the thing under test
def _run(name: str, fmt: str) -> subprocess.CompletedProcess[str]:
    """The report, with the one absolute path it may hold (SARIF's %SRCROOT%) written as file:///REPO/,
    so the golden files do not depend on where the checkout is."""
    ran = subprocess.run([str(VALIDATE), "--no-lint", "--format", fmt, f"{BROKEN}/{name}"], cwd=ROOT,
                         capture_output=True, text=True, timeout=HANG_GUARD, env={**os.environ, "NO_COLOR": "1"})
    ran.stdout = ran.stdout.replace(json.dumps(ROOT.as_uri() + "/"), json.dumps("file:///REPO/"))
    return ran


def _expected(name: str) -> list[tuple[str, int, int, str]]:
    return [(f"{BROKEN}/{name}/{file}", line, col, rule) for file, line, col, rule in EXPECTED[name]]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_output_matches_golden_file(name: str, fmt: str) -> None:
    result = _run(name, fmt)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert str(ROOT) not in result.stdout, "paths in the output must be relative"
    golden = GOLDEN / f"{name}.{SUFFIX[fmt]}"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(result.stdout, encoding="utf-8")
    assert golden.is_file(), f"no golden file {golden}; run with UPDATE_GOLDEN=1 and review it"
    assert result.stdout == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_json_reports_exactly_the_four_mistakes(name: str) -> None:
    report = json.loads(_run(name, "json").stdout)
    found = [(f["path"], f["line"], f["column"], f["rule"]) for f in report["findings"]]
    assert found == _expected(name)
    assert {f["severity"] for f in report["findings"]} == {"error"}
    assert all(f["hint"] for f in report["findings"]), "every finding says how to fix it"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_text_locates_each_mistake_with_a_caret(name: str) -> None:
    out = _run(name, "text").stdout
    heads = re.findall(r"^(\S+):(\d+):(\d+): error: .* \[(\w+)\]$", out, re.M)
    assert [(p, int(line), int(col), rule) for p, line, col, rule in heads] == _expected(name)
    assert out.count("^") == len(EXPECTED[name])
    assert out.rstrip().endswith(f"{len(EXPECTED[name])} errors, 0 warnings in {len({e[0] for e in EXPECTED[name]})} of "
                                 f"{len(list((ROOT / BROKEN / name).glob('*.yaml')))} files")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_github_annotations_carry_the_positions(name: str) -> None:
    out = _run(name, "github").stdout
    notes = re.findall(r"^::error file=([^,]+),line=(\d+),endLine=\d+,col=(\d+),endColumn=\d+,title=(\w+) ", out, re.M)
    assert [(p, int(line), int(col), rule) for p, line, col, rule in notes] == _expected(name)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sarif_results_carry_the_positions(name: str) -> None:
    sarif = json.loads(_run(name, "sarif").stdout)
    results = sarif["runs"][0]["results"]
    found = []
    for res in results:
        loc = res["locations"][0]["physicalLocation"]
        found.append((loc["artifactLocation"]["uri"], loc["region"]["startLine"], loc["region"]["startColumn"], res["ruleId"]))
    assert found == _expected(name)
    rules = {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert rules == {e[3] for e in EXPECTED[name]}


def test_a_runbook_that_fails_the_schema_is_not_reported_missing_elsewhere() -> None:
    # database-connection-failure.yaml has an unknown key, and four other runbooks and a drill
    # name it: the one mistake must give one finding, not five "runbook does not exist".
    broken = ROOT / BROKEN / "004-api-service"
    mentions = [p.name for p in broken.glob("*.yaml") if "database-connection-failure" in p.read_text(encoding="utf-8")
                and p.name != "database-connection-failure.yaml"]
    assert len(mentions) >= 3
    out = _run("004-api-service", "text").stdout
    assert "does not exist" not in out

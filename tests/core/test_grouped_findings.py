"""Findings that share one root cause are reported once, with every place the cause is used.

Five roles nobody fills, notified from a dozen steps, are five things to fix, not a dozen
warnings; a missing script run by several steps is one error.  Text, JSON and GitHub output list
the other places compactly; SARIF keeps each as a related location.  The exit code and what is
counted as failing do not change.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
from core_helpers import FICTIONAL, POLICY, RUNBOOK, Ran, validate

SARIF_SCHEMA = Path(__file__).resolve().parent.parent / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"
TODAY = ("--today", "2026-11-01")
EMPTY_ROLES = [f"liaison-{n}" for n in range(1, 6)]


def _runbook(rid: str, notified: list[str], scripts: list[str], related: list[str]) -> str:
    steps = "".join(f"  - id: tell-{i}\n    title: Tell {who}\n    notify: [{who}]\n    template: status-update\n"
                    for i, who in enumerate(notified))
    steps += "".join(f"  - id: fix-{i}\n    title: Run {path}\n    script: {path}\n    timeout: 5m\n"
                     for i, path in enumerate(scripts))
    head = RUNBOOK.replace("id: db-down", f"id: {rid}").replace("steps:\n", f"related: {json.dumps(related)}\nsteps:\n")
    return head.replace("verify:\n", steps + "verify:\n")


def _repo(root: Path) -> None:
    (root / "pyproject.toml").write_text("[project]\nname = 'fixture'\n" + FICTIONAL, encoding="utf-8")
    folder = root / "runbooks"
    folder.mkdir()
    roles = "".join(f"  - {{id: {r}, name: Liaison {r[-1]}}}\n" for r in EMPTY_ROLES)
    (folder / "policy.yaml").write_text(POLICY.replace("templates:", roles + "templates:"), encoding="utf-8")  # after on-call
    (folder / "a.yaml").write_text(_runbook("a", EMPTY_ROLES, ["scripts/gone.sh", "scripts/gone.sh"], ["nowhere"]),
                                   encoding="utf-8")
    (folder / "b.yaml").write_text(_runbook("b", EMPTY_ROLES[:3], ["scripts/gone.sh", "scripts/lost.sh"], ["nowhere"]),
                                   encoding="utf-8")
    (folder / "c.yaml").write_text(_runbook("c", EMPTY_ROLES[1:], ["./scripts/gone.sh"], ["nowhere", "a"]), encoding="utf-8")


def _json(root: Path, *args: str) -> tuple[Ran, list[dict[str, Any]]]:
    ran = validate("--format", "json", *TODAY, *args, cwd=root)
    assert ran.code == 1 and ran.err == "", ran.both
    return ran, ran.json()["findings"]


def _places(finding: dict[str, Any]) -> list[tuple[str, int, int]]:
    return [(finding["path"], finding["line"], finding["column"]),
            *((p["path"], p["line"], p["column"]) for p in finding["also"])]


def test_one_finding_per_cause_with_every_place(tmp_path: Path) -> None:
    _repo(tmp_path)
    _, findings = _json(tmp_path, "runbooks")
    c114 = [f for f in findings if f["rule"] == "C114"]
    assert len(c114) == 5  # one per role, where the notify steps gave 5 + 3 + 4 = 12
    assert sum(len(_places(f)) for f in c114) == 12
    assert sorted(f["message"].split("'")[3] for f in c114) == EMPTY_ROLES
    assert {p[0] for f in c114 for p in _places(f)} == {"runbooks/a.yaml", "runbooks/b.yaml", "runbooks/c.yaml"}
    p301 = [f for f in findings if f["rule"] == "P301"]
    # gone.sh (written two ways) from four steps in three files is one error; lost.sh is another cause
    assert [(f["message"], len(_places(f))) for f in p301] == [
        ("script 'scripts/gone.sh' does not exist", 4), ("script 'scripts/lost.sh' does not exist", 1)]
    assert p301[1]["also"] == []
    r008 = [f for f in findings if f["rule"] == "R008"]
    assert [(f["path"], len(_places(f))) for f in r008] == [("runbooks/a.yaml", 3)]  # 'nowhere', named by a, b and c


def test_grouping_changes_the_report_not_the_verdict(tmp_path: Path) -> None:
    _repo(tmp_path)
    ran, findings = _json(tmp_path, "runbooks")
    summary = ran.json()["summary"]
    assert summary == {"error": len([f for f in findings if f["severity"] == "error"]),
                       "warning": len([f for f in findings if f["severity"] == "warning"]), "info": 0}
    # fix every cause and nothing is left of them, whichever place was shown first
    folder = tmp_path / "runbooks"
    policy = (folder / "policy.yaml").read_text(encoding="utf-8")
    for r in EMPTY_ROLES:
        policy = policy.replace(f"name: Liaison {r[-1]}}}", f"name: Liaison {r[-1]}, primary: ana}}")
    (folder / "policy.yaml").write_text(policy, encoding="utf-8")
    (tmp_path / "scripts").mkdir()
    for name in ("gone.sh", "lost.sh"):
        (tmp_path / "scripts" / name).write_text("#!/bin/sh\necho ok\n", encoding="utf-8")
        (tmp_path / "scripts" / name).chmod(0o755)
    (folder / "nowhere.yaml").write_text(RUNBOOK.replace("id: db-down", "id: nowhere"), encoding="utf-8")
    fixed = validate("--format", "json", *TODAY, "runbooks", cwd=tmp_path)
    assert not [f for f in fixed.findings() if f["rule"] in ("C114", "P301", "R008")], fixed.out


def test_text_lists_the_other_places_compactly(tmp_path: Path) -> None:
    _repo(tmp_path)
    ran = validate(*TODAY, "runbooks", cwd=tmp_path)
    lines = ran.out.splitlines()
    at = next(i for i, line in enumerate(lines) if "script 'scripts/gone.sh' does not exist [P301]" in line)
    assert lines[at].startswith("runbooks/a.yaml:")
    also = next(line for line in lines[at:] if line.startswith("  also "))
    assert also.startswith("  also in 3 other places: runbooks/a.yaml:")
    assert also.count("runbooks/a.yaml") == 1 and "runbooks/b.yaml:" in also and "runbooks/c.yaml:" in also
    assert sum(1 for line in lines if line.endswith("[P301]")) == 2


def test_github_annotation_names_the_other_places(tmp_path: Path) -> None:
    _repo(tmp_path)
    ran = validate("--format", "github", *TODAY, "runbooks", cwd=tmp_path)
    gone = [line for line in ran.out.splitlines() if "scripts/gone.sh' does not exist" in line]
    assert len(gone) == 1
    assert "%0Aalso in 3 other places: runbooks/a.yaml:" in gone[0]


def test_sarif_keeps_every_place_as_a_related_location(tmp_path: Path) -> None:
    _repo(tmp_path)
    ran = validate("--format", "sarif", *TODAY, "runbooks", cwd=tmp_path)
    doc = ran.json()
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    assert not list(jsonschema.Draft7Validator(schema).iter_errors(doc))
    results = doc["runs"][0]["results"]
    [gone] = [r for r in results if "gone.sh" in r["message"]["text"]]
    related = gone["relatedLocations"]
    assert len(related) == 3 and [r["id"] for r in related] == [1, 2, 3]
    uris = [r["physicalLocation"]["artifactLocation"]["uri"] for r in related]
    assert sorted(set(uris)) == ["runbooks/a.yaml", "runbooks/b.yaml", "runbooks/c.yaml"]
    assert all(r["physicalLocation"]["region"]["startLine"] > 0 for r in related)
    [lost] = [r for r in results if "lost.sh" in r["message"]["text"]]
    assert "relatedLocations" not in lost


def test_core_findings_group_without_lint_too(tmp_path: Path) -> None:
    _repo(tmp_path)
    ran = validate("--format", "json", "--no-lint", "runbooks", cwd=tmp_path)
    assert [(f["rule"], len(_places(f))) for f in ran.findings()] == [("R008", 3)]


def test_file_alone_shows_its_own_places(tmp_path: Path) -> None:
    _repo(tmp_path)
    _, findings = _json(tmp_path, "runbooks/b.yaml")
    assert {p[0] for f in findings for p in _places(f)} == {"runbooks/b.yaml"}
    assert sorted((f["rule"], len(_places(f))) for f in findings if f["rule"] in ("C114", "P301", "R008")) == [
        ("C114", 1), ("C114", 1), ("C114", 1), ("P301", 1), ("P301", 1), ("R008", 1)]

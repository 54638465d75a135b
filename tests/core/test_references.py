"""Cross-file references (R rules, F008) and how a runbook finds its policy, on real files."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from validator.findings import Finding
from validator.references import suggest
from validator.repository import load_repository

POLICY = """\
version: 1
kind: policy
id: acme
severities:
  - {id: P1, name: Critical, respond: 5m, page: [on-call]}
  - {id: P2, name: Major, respond: 15m}
contacts:
  - {id: ana, name: Ana Lima, backup: bo}
  - {id: bo, name: Bo Chen}
roles:
  - {id: on-call, name: On-call engineer, primary: ana}
templates:
  - {id: status-update, body: "{{title}} is {{status}}"}
"""

RUNBOOK = """\
version: 1
kind: runbook
id: db-down
title: Database down
service: api
severity: P1
owner: on-call
steps:
  - id: check
    run: "true"
  - id: tell
    notify: [on-call]
    template: status-update
"""


def _repo(root: Path, files: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text("", encoding="utf-8")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def _found(root: Path, *paths: str) -> list[tuple[str, str, int, int]]:
    repo = load_repository([root / p for p in paths] or [root], root=root)
    return [(Path(f.path).name, f.rule, f.line, f.col) for f in repo.findings]


def _messages(root: Path, *paths: str) -> list[Finding]:
    return load_repository([root / p for p in paths] or [root], root=root).findings


def test_clean_repository_has_no_findings(tmp_path: Path) -> None:
    _repo(tmp_path, {"policy.yaml": POLICY, "db-down.yaml": RUNBOOK})
    assert _found(tmp_path) == []


@pytest.mark.parametrize(("old", "new", "expected", "message", "hint"), [
    ("severity: P1", "severity: P9", ("R001", 6, 11), "severity 'P9' is not defined in policy 'acme'",
     "defined: P1, P2"),
    ("owner: on-call", "owner: on-cal", ("R002", 7, 8), "owner 'on-cal' is not a contact or role in policy 'acme'",
     "did you mean 'on-call'?"),
    ("notify: [on-call]", "notify: [oncall]", ("R002", 12, 14), "step 'tell': notify target 'oncall' is not a contact",
     "did you mean 'on-call'?"),
    ("template: status-update", "template: status-updat", ("R003", 13, 15),
     "template 'status-updat' is not defined in policy 'acme'", "did you mean 'status-update'?"),
    ("  - id: tell", "  - id: check", ("R004", 11, 9), "duplicate step id 'check' (first defined on line 9)",
     "ids must be unique"),
    ('    run: "true"', '    run: "true"\n    on_failure: {goto: chek}', ("R007", 11, 24),
     "step 'check' goes to 'chek', which does not exist", "did you mean 'check'?"),
    ('    run: "true"', '    run: "true"\n    when: severity in [P1', ("F008", 11, 11),
     "step 'check': condition: missing ']' at the end of the list", "e.g. severity in [P0, P1]"),
    ('    run: "true"', '    run: "true"\n    when: "outputs.status matches \'[\'"', ("F008", 11, 11),
     "step 'check': condition: '[' is not a valid regular expression", "e.g. severity in [P0, P1]"),
    ("owner: on-call", "owner: on-call\nrelated: [db-slow]", ("R008", 8, 11), "related runbook 'db-slow' does not exist",
     "did you mean 'db-down'?"),
    ("owner: on-call", "owner: on-call\nrelated: [cache-miss]", ("R008", 8, 11), "related runbook 'cache-miss' does not exist",
     "defined: db-down"),
])
def test_reference_finding(tmp_path: Path, old: str, new: str, expected: tuple[str, int, int], message: str,
                           hint: str) -> None:
    assert old in RUNBOOK
    _repo(tmp_path, {"policy.yaml": POLICY, "db-down.yaml": RUNBOOK.replace(old, new, 1)})
    [finding] = _messages(tmp_path)
    assert (finding.rule, finding.line, finding.col) == expected
    assert finding.path.endswith("db-down.yaml")
    assert message in finding.message
    assert hint in finding.hint


@pytest.mark.parametrize(("old", "new", "expected", "message"), [
    ("primary: ana}", "primary: anna}", ("R002", 11, 52), "role 'on-call': primary 'anna' is not a contact"),
    ("backup: bo}", "backup: bob}", ("R002", 8, 39), "contact 'ana': backup 'bob' is not a contact"),
    ("page: [on-call]", "page: [pager]", ("R002", 5, 50), "severity P1: target 'pager' is not a contact or role"),
    ("  - {id: P2,", "  - {id: P1,", ("R004", 6, 10), "duplicate severity id 'P1' (first defined on line 5)"),
    ("  - {id: bo, name: Bo Chen}", "  - {id: bo, name: Bo Chen}\n  - {id: bo, name: Bo Again}", ("R004", 10, 10),
     "duplicate contact or role id 'bo' (first defined on line 9)"),
])
def test_policy_reference_finding(tmp_path: Path, old: str, new: str, expected: tuple[str, int, int], message: str) -> None:
    assert old in POLICY
    _repo(tmp_path, {"policy.yaml": POLICY.replace(old, new, 1), "db-down.yaml": RUNBOOK})
    found = [f for f in _messages(tmp_path) if f.path.endswith("policy.yaml")]
    assert [(f.rule, f.line, f.col) for f in found] == [expected]
    assert message in found[0].message


def test_drill_of_unknown_runbook(tmp_path: Path) -> None:
    policy = POLICY + "drills:\n  - {name: Failover, every: 90d, runbook: db-dwn}\n"
    _repo(tmp_path, {"policy.yaml": policy, "db-down.yaml": RUNBOOK})
    [finding] = _messages(tmp_path)
    assert (finding.rule, finding.line, finding.col) == ("R008", 15, 43)
    assert finding.message == "drill 'Failover': runbook 'db-dwn' does not exist"
    assert finding.hint == "did you mean 'db-down'?"


def test_duplicate_runbook_ids_across_files(tmp_path: Path) -> None:
    _repo(tmp_path, {"policy.yaml": POLICY, "a/db-down.yaml": RUNBOOK, "b/db-down.yaml": RUNBOOK})
    first, second = _messages(tmp_path)
    # each copy names the other, so checking either file alone gives the same verdict
    assert [(f.rule, f.line, f.col) for f in (first, second)] == [("R004", 3, 5)] * 2
    assert first.path.endswith("a/db-down.yaml") and second.path.endswith("b/db-down.yaml")
    assert first.message == f"runbook id 'db-down' is also used by {second.path}"
    assert second.message == f"runbook id 'db-down' is also used by {first.path}"


def test_no_policy_at_all(tmp_path: Path) -> None:
    _repo(tmp_path, {"runbooks/db-down.yaml": RUNBOOK})
    assert _found(tmp_path, "runbooks") == [("db-down.yaml", "R005", 1, 1)]
    assert _messages(tmp_path, "runbooks")[0].message == "no policy found for this runbook"


def test_runbook_without_references_needs_no_policy(tmp_path: Path) -> None:
    plain = "version: 1\nkind: runbook\nid: plain\ntitle: Plain\nservice: api\nsteps:\n  - {id: a, run: 'true'}\n"
    _repo(tmp_path, {"plain.yaml": plain})
    assert _found(tmp_path) == []


def test_named_policy_that_does_not_exist(tmp_path: Path) -> None:
    _repo(tmp_path, {"policy.yaml": POLICY, "db-down.yaml": RUNBOOK.replace("owner: on-call", "owner: on-call\npolicy: acm")})
    [finding] = _messages(tmp_path)
    assert (finding.rule, finding.line, finding.col, finding.message, finding.hint) == (
        "R005", 8, 9, "policy 'acm' is not defined", "did you mean 'acme'?")


def test_two_policies_at_the_same_level(tmp_path: Path) -> None:
    _repo(tmp_path, {"policy.yaml": POLICY, "other-policy.yaml": POLICY.replace("id: acme", "id: other"),
                     "db-down.yaml": RUNBOOK})
    [finding] = _messages(tmp_path)
    assert (finding.rule, finding.line, finding.col) == ("R005", 1, 1)
    assert finding.message == "more than one policy applies: acme, other"
    assert finding.hint == "name one with `policy: ID`"


def test_policy_named_explicitly_resolves_two_at_the_same_level(tmp_path: Path) -> None:
    _repo(tmp_path, {"policy.yaml": POLICY, "other-policy.yaml": POLICY.replace("id: acme", "id: other"),
                     "db-down.yaml": RUNBOOK.replace("owner: on-call", "owner: on-call\npolicy: other")})
    assert _found(tmp_path) == []


def test_single_runbook_finds_the_policy_in_its_folder(tmp_path: Path) -> None:
    _repo(tmp_path, {"runbooks/policy.yaml": POLICY, "runbooks/db-down.yaml": RUNBOOK})
    repo = load_repository([tmp_path / "runbooks" / "db-down.yaml"], root=tmp_path)
    assert repo.findings == []
    assert [rb.policy.id for rb in repo.runbooks if rb.policy] == ["acme"]
    assert len(repo.files) == 1  # the policy was read, not reported as checked


def test_single_runbook_finds_the_policy_in_a_parent_folder(tmp_path: Path) -> None:
    _repo(tmp_path, {"runbooks/policy.yaml": POLICY, "runbooks/team/db/db-down.yaml": RUNBOOK.replace("P1", "P9")})
    repo = load_repository([tmp_path / "runbooks" / "team" / "db" / "db-down.yaml"], root=tmp_path)
    assert [(f.rule, f.line, f.message) for f in repo.findings] == [
        ("R001", 6, "severity 'P9' is not defined in policy 'acme'")]


def test_nearest_policy_wins_over_one_further_up(tmp_path: Path) -> None:
    _repo(tmp_path, {"policy.yaml": POLICY.replace("id: acme", "id: company"),
                     "team/policy.yaml": POLICY.replace("id: acme", "id: team"),
                     "team/db-down.yaml": RUNBOOK})
    repo = load_repository([tmp_path / "team" / "db-down.yaml"], root=tmp_path)
    assert repo.findings == []
    assert repo.runbooks[0].policy is not None and repo.runbooks[0].policy.id == "team"


def test_policy_above_the_repository_root_is_not_used(tmp_path: Path) -> None:
    (tmp_path / "policy.yaml").write_text(POLICY, encoding="utf-8")
    project = _repo(tmp_path / "project", {"db-down.yaml": RUNBOOK})
    repo = load_repository([project / "db-down.yaml"], root=project)
    assert [(f.rule, f.message) for f in repo.findings] == [("R005", "no policy found for this runbook")]


def test_broken_policy_beside_a_single_runbook_is_reported(tmp_path: Path) -> None:
    _repo(tmp_path, {"policy.yaml": POLICY.replace("respond: 15m", "respond: soon"), "db-down.yaml": RUNBOOK})
    # the policy's own problem once, and the runbook says it could not be checked against it
    assert _found(tmp_path) == [("db-down.yaml", "R006", 1, 1), ("policy.yaml", "F003", 6, 36)]
    # checked alone, the runbook gets the same verdict; the policy was not given, so it is not reported
    assert _found(tmp_path, "db-down.yaml") == [("db-down.yaml", "R006", 1, 1)]


def test_regular_expressions_that_do_not_compile_are_located(tmp_path: Path) -> None:
    runbook = RUNBOOK.replace("inputs:", "").replace(
        "    run: \"true\"\n",
        "    run: \"true\"\n"
        "    expect: {output: 'ok(('}\n"
        "    capture: [{name: v, pattern: '[a-'}]\n",
    ) + "inputs:\n  - {name: host, pattern: '*x'}\n"
    root = _repo(tmp_path, {"policy.yaml": POLICY, "rb.yaml": runbook})
    assert _found(root) == [("rb.yaml", "F009", 11, 22), ("rb.yaml", "F009", 12, 34), ("rb.yaml", "F009", 17, 27)]
    messages = [f.message for f in _messages(root)]
    assert "step 'check': 'ok((' is not a valid regular expression: missing ), unterminated subpattern" in messages
    assert any(m.startswith("input 'host': '*x'") for m in messages)


def test_regular_expressions_that_compile_are_not_reported(tmp_path: Path) -> None:
    runbook = RUNBOOK.replace("    run: \"true\"\n", "    run: \"true\"\n    expect: {output: '^ok\\\\b'}\n")
    root = _repo(tmp_path, {"policy.yaml": POLICY, "rb.yaml": runbook})
    assert _found(root) == []


@pytest.mark.parametrize(("name", "known", "hint"), [
    ("databse-failover", ["database-failover", "disk-full", "dns-outage"], "did you mean 'database-failover'?"),
    ("on-cal", {"on-call", "oncall-lead", "ana"}, "did you mean 'on-call'?"),
    ("SEV0", ["SEV3", "SEV1", "SEV4", "SEV2"], "did you mean 'SEV1'?"),  # a tie goes to the first in sorted order
    ("zzz", ["beta", "alpha", "alpha"], "defined: alpha, beta"),
    ("zzz", [], "none are defined"),
    ("zzz", [f"runbook-{i:02d}" for i in range(20)], "defined: " + ", ".join(f"runbook-{i:02d}" for i in range(12)) + " …"),
])
def test_did_you_mean_hints(name: str, known: list[str] | set[str], hint: str) -> None:
    assert suggest(name, known) == hint


def test_did_you_mean_among_thousands_of_similar_ids_finds_the_one_meant() -> None:
    ids = [f"{service}-incident-{i:04d}" for i in range(3000) for service in ("api", "checkout")]
    assert suggest("checkout-incidnet-1234", ids) == "did you mean 'checkout-incident-1234'?"
    assert suggest("api-incident-123", ids).startswith("did you mean 'api-incident-")

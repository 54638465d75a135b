"""Validation of decisions, jumps, conditions on earlier steps, runbook calls and drills (R0xx),
on real files written from inline YAML: each check both fires and stays quiet."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

from tests.rules.conftest import lint_repo, write_repo
from validator import conditions

HEAD = """\
version: 1
kind: runbook
id: db-down
title: Database down
service: orders-db
owner: incident-commander
severity: SEV2
"""

BRANCHING = HEAD + """\
steps:
  - id: check-db
    run: pg_isready -h db1
    on_failure: continue
  - id: primary-recoverable
    title: Can the primary be restarted?
    when: steps.check-db.status == 'failed'
    decide:
      question: Does pg_controldata show a clean shutdown?
      choices:
        - {answer: 'yes', goto: restart-primary}
        - {answer: 'no', goto: fail-over, severity: SEV1}
  - id: restart-primary
    when: steps.primary-recoverable.answer == 'yes' and steps.check-db.exit_code == 2
    manual: Restart the primary.
    next: confirm
  - id: fail-over
    manual: Promote the replica.
verify:
  - id: confirm
    run: pg_isready -h db1
drills:
  - name: primary lost
    answers: {primary-recoverable: 'no'}
    results: {check-db: {exit_code: 1}}
    expect: {outcome: resolved, visits: [fail-over], skips: [restart-primary]}
"""


def core(root: Path) -> list[tuple[str, int, int, str]]:
    """Core findings as (rule, line, col, "message | hint")."""
    return sorted((f.rule, f.line, f.col, f"{f.message} | {f.hint}") for f in lint_repo(root, lint=False)
                  if f.rule.startswith(("Y", "F", "R")))


def rules(found: Iterable[tuple[str, int, int, str]]) -> list[tuple[str, int, int]]:
    return [(r, line, col) for r, line, col, _ in found]


def test_a_branching_runbook_is_valid(tmp_path: Path) -> None:
    assert core(write_repo(tmp_path, BRANCHING)) == []


@pytest.mark.parametrize(("old", "new", "expected", "words"), [
    # a condition on a step that comes later on every path
    ("steps.check-db.exit_code == 2", "steps.fail-over.status == 'done'", [("R009", 21, 57)], "cannot have run before"),
    ("steps.check-db.exit_code == 2", "steps.chek-db.status == 'done'", [("R009", 21, 57)], "did you mean 'check-db'"),
    ("steps.check-db.exit_code == 2", "steps.check-db.answer == 'yes'", [("R009", 21, 57)], "is not a decision"),
    ("steps.check-db.exit_code == 2", "steps.primary-recoverable.exit_code == 1", [("R009", 21, 57)], "runs no command"),
    ("steps.primary-recoverable.answer == 'yes'", "steps.primary-recoverable.answer == 'maybe'", [("R009", 21, 48)],
     "can never be"),
    ("steps.check-db.exit_code == 2", "steps.check-db.status == 'broken'", [("R009", 21, 83)], "one of: done, failed"),
    # answers and jumps that go to steps that do not exist
    ("goto: fail-over, severity: SEV1", "goto: failover, severity: SEV1", [("R007", 19, 32)], "did you mean 'fail-over'"),
    ("next: confirm", "next: confirmed", [("R007", 23, 11)], "did you mean 'confirm'"),
    ("severity: SEV1}", "severity: SEV9}", [("R001", 19, 53)], "does not define"),
    ("{answer: 'yes', goto: restart-primary}", "{answer: 'no', goto: restart-primary}",
     [("R004", 19, 20), ("R009", 21, 48)], "twice"),
    # drills that name what the runbook does not have
    ("answers: {primary-recoverable: 'no'}", "answers: {primary-recoverable: nope}", [("R011", 31, 36)], "which offers yes, no"),
    ("answers: {primary-recoverable: 'no'}", "answers: {fail-over: 'no'}", [("R011", 31, 15)], "asks nothing"),
    ("results: {check-db: {exit_code: 1}}", "results: {chek-db: {exit_code: 1}}", [("R011", 32, 15)], "does not exist"),
    ("skips: [restart-primary]", "skips: [restart]", [("R011", 33, 62)], "does not exist"),
])
def test_broken_references_are_located(tmp_path: Path, old: str, new: str, expected: list[tuple[str, int, int]],
                                       words: str) -> None:
    assert old in BRANCHING
    found = core(write_repo(tmp_path, BRANCHING.replace(old, new, 1)))
    assert rules(found) == expected
    assert words in found[0][3]


def test_a_jump_into_the_rollback_section_is_explained(tmp_path: Path) -> None:
    text = BRANCHING.replace("goto: fail-over, severity: SEV1", "goto: restore") + \
        "rollback:\n  - id: restore\n    manual: Restore the snapshot.\n"
    found = [f for f in lint_repo(write_repo(tmp_path, text), lint=False) if f.rule.startswith(("F", "R"))]
    assert [(f.rule, f.line, f.col) for f in found] == [("R007", 19, 32)]
    assert "rollback: true" in found[0].hint


CALLER = HEAD.replace("db-down", "caller") + """\
steps:
  - id: fix-db
    runbook: db-fix
    inputs: {db_host: db1}
"""
CALLEE = HEAD.replace("db-down", "db-fix") + """\
inputs:
  - {name: db_host, description: The database host}
steps:
  - id: ping
    run: pg_isready -h ${db_host}
"""


def test_runbook_calls_are_checked(tmp_path: Path) -> None:
    assert core(write_repo(tmp_path, {"caller.yaml": CALLER, "db-fix.yaml": CALLEE})) == []


def test_a_call_to_a_missing_runbook_or_input(tmp_path: Path) -> None:
    found = core(write_repo(tmp_path, {"caller.yaml": CALLER.replace("db_host: db1", "host: db1"),
                                       "db-fix.yaml": CALLEE}))
    assert rules(found) == [("R011", 11, 14)]
    (tmp_path / "b").mkdir()
    found = core(write_repo(tmp_path / "b", {"caller.yaml": CALLER.replace("runbook: db-fix", "runbook: db-fixx")}))
    assert rules(found) == [("R008", 10, 14)]


def test_runbooks_that_call_each_other_are_a_cycle(tmp_path: Path) -> None:
    back = CALLEE.replace("    run: pg_isready -h ${db_host}\n", "    run: pg_isready -h ${db_host}\n  - id: again\n"
                          "    runbook: caller\n")
    found = core(write_repo(tmp_path, {"caller.yaml": CALLER, "db-fix.yaml": back}))
    assert [r for r in rules(found)] == [("R010", 10, 14), ("R010", 14, 14)]
    assert "caller → db-fix → caller" in found[0][3]
    (tmp_path / "self").mkdir()
    alone = core(write_repo(tmp_path / "self", {"caller.yaml": CALLER.replace("runbook: db-fix", "runbook: caller")
                                                .replace("    inputs: {db_host: db1}\n", "")}))
    assert [(r, m) for r, _, _, m in alone] == [("R010", "runbooks run each other in a cycle: caller → caller | "
                                                "a runbook can run another only if that one never comes back to it")]


def test_a_decision_step_with_a_second_kind_is_a_format_error(tmp_path: Path) -> None:
    text = BRANCHING.replace("    decide:\n", "    run: echo hi\n    decide:\n")
    assert [r for r, *_ in core(write_repo(tmp_path, text))] == ["F006"]


def test_conditions_on_steps_parse_and_evaluate() -> None:
    node = conditions.parse("steps.check-db.status == 'failed' and steps.db.primary.answer in [no, maybe]")
    ctx = {"steps": {"check-db": {"status": "failed"}, "db.primary": {"answer": "no"}}}
    assert conditions.evaluate(node, ctx)
    assert not conditions.evaluate(node, {"steps": {"check-db": {"status": "done"}}})
    assert not conditions.evaluate(conditions.parse("steps.x.exit_code == 0"), {"steps": {}})  # not run: no value
    for bad in ("steps.x", "steps.x.output", "steps..status"):
        with pytest.raises(conditions.ConditionError, match=r"steps\.ID\.status"):
            conditions.parse(bad)

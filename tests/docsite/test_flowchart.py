"""The flow diagram on a runbook page draws the graph a responder walks: decisions as diamonds
with an edge per answer, ``when:`` alternatives as labelled branches, failure policies dashed,
the rollback section joined to where it is entered, destructive steps marked, and long runs of
plain steps folded so a 66-step runbook stays one readable diagram."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from validator.docsite.flowchart import runbook_flow
from validator.model import Runbook
from validator.repository import load_repository

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
NODE = re.compile(r"^\s+(s\d+)(\[|\{|\(\[|\{\{|\[\[)\"([^\"]*)\"", re.M)
EDGE = re.compile(r"^\s+(\w+) (?:-- \"([^\"]*)\" -->|-\. \"([^\"]*)\" \.->|-->|-\.->) (\w+)$", re.M)


def _runbook(folder: Path, runbook_id: str) -> Runbook:
    repo = load_repository([folder])
    return next(rb for rb in repo.runbooks if rb.id == runbook_id)


def _nodes(source: str) -> dict[str, tuple[str, str]]:
    """Node id → (opening bracket, label)."""
    return {m[1]: (m[2], m[3].replace("<br>", " ")) for m in NODE.finditer(source)}


def _edges(source: str) -> list[tuple[str, str, str]]:
    return [(m[1], (m[2] or m[3] or "").replace("<br>", " "), m[4]) for m in EDGE.finditer(source)]


def _node_of(source: str, label_part: str) -> str:
    found = [node for node, (_, text) in _nodes(source).items() if label_part in text]
    assert len(found) == 1, (label_part, found)
    return found[0]


@pytest.fixture(scope="module")
def failover() -> str:
    return runbook_flow(_runbook(FIXTURES / "catalog" / "runbooks", "payments-db-failover"))


def test_a_decision_is_a_diamond_with_one_labelled_edge_per_answer(failover: str) -> None:
    decision = _node_of(failover, "Can the primary be restarted?")
    assert _nodes(failover)[decision][0] == "{"
    out = {(text, target) for source, text, target in _edges(failover) if source == decision}
    assert out == {("yes", _node_of(failover, "Restart the primary")), ("no", _node_of(failover, "Promote the replica"))}
    restart = _node_of(failover, "Restart the primary")  # next: jumps past the other branch
    assert (restart, "then", _node_of(failover, "Tell the team")) in _edges(failover)


def test_failure_policies_are_dashed_and_the_rollback_is_joined_where_it_is_entered(failover: str) -> None:
    rollback = _node_of(failover, "R1. Point back at the old primary")
    promote = _node_of(failover, "Promote the replica")
    assert f"  {promote} -. \"on failure: roll back\" .-> {rollback}" in failover
    check = _node_of(failover, "Check whether the primary answers")
    assert f"  {check} -. \"on failure, max 3\" .-> {_node_of(failover, 'Tell the team')}" in failover
    assert f"  {rollback} --> rolledback" in failover


def test_destructive_steps_are_marked(failover: str) -> None:
    promote = _node_of(failover, "Promote the replica")
    assert _nodes(failover)[promote][1].startswith("⚠ ")
    assert f"  class {promote} destructive" in failover
    assert not _nodes(failover)[_node_of(failover, "Restart the primary")][1].startswith("⚠")


def test_when_alternatives_are_branches_side_by_side_with_an_else_past_them() -> None:
    source = runbook_flow(_runbook(ROOT / "runbooks", "database-connection-failure"))
    decision = _node_of(source, "Database down, or the pool exhausted?")
    systemd, docker = _node_of(source, "Restart PostgreSQL (systemd)"), _node_of(source, "Restart PostgreSQL (docker-compose)")
    wait = _node_of(source, "Wait until PostgreSQL accepts connections")
    out = [(text, target) for source_, text, target in _edges(source) if source_ == decision]
    assert ("database, if inputs.deployment == 'systemd'", systemd) in out
    assert ("database, else if inputs.deployment == 'docker'", docker) in out
    assert ("database, else", wait) in out  # neither alternative runs: the run goes on past both
    assert (systemd, "", wait) in _edges(source) and (docker, "", wait) in _edges(source)


def test_a_long_runbook_folds_plain_runs_and_keeps_every_branch() -> None:
    rb = _runbook(FIXTURES / "long", "region-evacuation")
    assert len(list(rb.all_steps())) == 66
    source = runbook_flow(rb)
    nodes = _nodes(source)
    assert len(nodes) <= 30  # 66 steps, one screen-sized diagram
    covered: set[str] = set()
    for _, text in nodes.values():
        span = re.match(r"(?:⚠ )?(R|V)?(\d+)(?:–(?:R|V)?(\d+))?\.", text)
        assert span is not None, text
        prefix, first, last = span[1] or "", int(span[2]), int(span[3] or span[2])
        covered.update(f"{prefix}{n}" for n in range(first, last + 1))
    assert covered == {str(n) for n in range(1, 64)} | {"V1", "R1", "R2"}  # every step is in some node
    decisions = [text for shape, text in nodes.values() if shape == "{"]
    assert len(decisions) == 4  # no decision is ever folded away
    assert {text for source_, text, _ in _edges(source) if "severity" in text} == {"evacuate ⚠ severity SEV1",
                                                                                   "no ⚠ severity SEV1"}
    drawn = set(nodes) | {"start", "done", "rolledback"}
    assert all(a in drawn and b in drawn for a, _, b in _edges(source))  # no edge into a folded-away step
    for destructive in ("Put the region in read-only mode", "Promote the target region", "Return the buckets"):
        assert nodes[_node_of(source, destructive)][1].startswith("⚠ ")  # never folded into a run

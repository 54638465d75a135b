"""``when:`` conditions: what parses, what the parser says when it cannot, and how they evaluate."""

from __future__ import annotations

from typing import Any

import pytest

from validator import conditions
from validator.conditions import ConditionError, Ref

CTX: dict[str, Any] = {
    "severity": "P1",
    "service": "api",
    "drill": False,
    "inputs": {"region": "eu", "dry_run": True, "replicas": 3, "kind": "ddos"},
    "outputs": {"replica_lag": "42", "status": "degraded: 2 nodes", "empty": ""},
}


@pytest.mark.parametrize(("text", "expected"), [
    ("severity in [P0, P1]", True),
    ("severity in [P2, P3]", False),
    ("severity not in [P2, P3]", True),
    ("severity == P1", True),
    ("severity == 'P1'", True),
    ('severity != "P1"', False),
    ("inputs.region == 'eu' and inputs.dry_run", True),
    ("inputs.kind == 'ddos' and not inputs.dry_run", False),
    ("not inputs.dry_run or inputs.region == 'eu'", True),
    ("outputs.replica_lag > 30", True),
    ("outputs.replica_lag >= 42", True),
    ("outputs.replica_lag < 42", False),
    ("outputs.replica_lag <= 42.0", True),
    ("inputs.replicas == 3", True),
    ("inputs.replicas == '3'", True),
    ("outputs.status matches '^degraded'", True),
    ("outputs.status matches 'healthy'", False),
    ("outputs.missing == 'x'", False),
    ("outputs.missing matches '.*'", False),
    ("outputs.missing > 3", False),
    ("outputs.status > 3", False),
    ("not outputs.missing", True),
    ("outputs.empty", False),
    ("inputs.dry_run == true", True),
    ("inputs.dry_run == 'True'", True),
    ("drill == false", True),
    ("service in [api, web]", True),
    ("(severity == P0 or severity == P1) and inputs.region in ['eu', 'us']", True),
    ("severity == P0 or severity == P1 and inputs.region == 'us'", False),
    ("not not inputs.dry_run", True),
    ("inputs.replicas in [1, 2, 3]", True),
    ("inputs.replicas in []", False),
    ("-1 < inputs.replicas", True),
])
def test_evaluate(text: str, expected: bool) -> None:
    assert conditions.evaluate(conditions.parse(text), CTX) is expected


@pytest.mark.parametrize(("text", "message"), [
    ("", "the condition is empty"),
    ("   ", "the condition is empty"),
    ("severity ==", "the condition ends too early"),
    ("severity in [P0, P1", "missing ']' at the end of the list"),
    ("severity in [P0 P1]", "expected ',' or ']' in a list"),
    ("(severity == P1", "missing ')'"),
    ("severity == P1)", "unexpected ')'"),
    ("severity == P1 P2", "unexpected 'P2'"),
    ("and severity", "'and' needs something before it"),
    ("severity == P1 or", "ends too early"),
    ("inputs == 'x'", "'inputs': write inputs.NAME"),
    ("inputs.a.b == 1", "'inputs.a.b': write inputs.NAME"),
    ("outputs. == 1", "write outputs.NAME"),
    ("severity = P1", "cannot read '= P1' at character 10"),
    ("severity == 'P1", "cannot read"),
    ("severity ~= P1", "cannot read '~= P1'"),
    ("outputs.status matches '['", "'[' is not a valid regular expression: unterminated character set"),
])
def test_parse_errors_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ConditionError) as info:
        conditions.parse(text)
    assert message in str(info.value)


def test_parse_error_does_not_echo_a_huge_condition() -> None:
    with pytest.raises(ConditionError) as info:
        conditions.parse("severity = " + "x" * 10_000)
    assert len(str(info.value)) < 80


def test_pattern_from_an_output_that_is_not_a_regex_does_not_match() -> None:
    node = conditions.parse("outputs.status matches outputs.pattern")
    assert conditions.evaluate(node, {"outputs": {"status": "ok", "pattern": "("}}) is False
    assert conditions.evaluate(node, {"outputs": {"status": "ok", "pattern": "^o"}}) is True


def test_references_lists_every_name_looked_up() -> None:
    node = conditions.parse("severity in [P0, inputs.level] and not outputs.ok or service == api")
    assert [str(r) for r in conditions.references(node)] == ["severity", "inputs.level", "outputs.ok", "service"]


def test_bare_words_are_text_not_names() -> None:
    node = conditions.parse("severity == P1")
    assert node == ("==", Ref(("severity",)), "P1")

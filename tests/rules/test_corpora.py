"""Precision, kept: no rule fires on the hand-written clean corpus, and the defect corpus draws
exactly the findings its EXPECTED.txt lists (``python -m bench lint`` prints the same per rule).

A finding on the clean corpus is a false alarm: fix the rule, or, when the finding is right,
fix the runbook; never add it to an expected list."""

from __future__ import annotations

from collections import Counter

from bench import precision


def test_the_clean_corpus_is_large_and_varied() -> None:
    runbooks = [p for p in (precision.CLEAN / "runbooks").rglob("*.yaml") if p.name != "policy.yaml"]
    assert len(runbooks) >= 12
    assert {p.parent.name for p in runbooks} == {"k8s", "ops", "response", "incidents"}
    longest = sorted(len(p.read_text(encoding="utf-8").splitlines()) for p in runbooks)[-2:]
    assert min(longest) >= 110, "two long incident documents"


def test_no_rule_fires_on_the_clean_corpus() -> None:
    found = precision.findings(precision.CLEAN)
    assert found == [], "\n".join(f"{p}:{line} {rule} {message}" for p, line, rule, message in found)


def test_the_defect_corpus_draws_exactly_the_expected_findings() -> None:
    found = Counter((p, line, rule) for p, line, rule, _ in precision.findings(precision.DEFECTS))
    assert found == precision.expected()


def test_precision_rows_count_true_false_and_missed() -> None:
    score = precision.Score()
    score.true.update({"S405": 3})
    score.false.update({"S405": 1, "S413": 2})
    score.missed.update({"T205": 1})
    assert precision.rows(score) == [("S405", 3, 1, 0, "0.75"), ("S413", 0, 2, 0, "0.00"), ("T205", 0, 0, 1, "-")]

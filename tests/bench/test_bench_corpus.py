"""The benchmark corpus is only a fair benchmark if it is valid and realistic: check both for real."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import yaml

from bench.corpus import MISTAKES, generate
from bench.located import check_located
from validator import pipeline

STEP_KINDS = ("run", "script", "manual", "checklist", "notify", "wait")
VALIDATE = [str(Path(sys.executable).parent / "validate_runbook")]


def test_generated_runbooks_validate_clean_through_the_cli(tmp_path: Path) -> None:
    corpus = generate(tmp_path / "corpus", n=20, seed=7)
    proc = subprocess.run([*VALIDATE, "runbooks"], cwd=corpus.root, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "21 files checked: no problems" in proc.stdout


def test_runbooks_are_realistic_in_size_and_variety(tmp_path: Path) -> None:
    corpus = generate(tmp_path / "corpus", n=5, seed=7)
    for path in corpus.runbooks:
        text = path.read_text(encoding="utf-8")
        assert 380 <= text.count("\n") <= 520
        doc = yaml.safe_load(text)
        assert len(doc["steps"]) == 40
        kinds = Counter(next(k for k in STEP_KINDS if k in s) for s in doc["steps"])
        assert set(kinds) == set(STEP_KINDS)
        fields = {k for s in doc["steps"] for k in s}
        assert {"when", "capture", "expect", "on_failure", "undo", "within", "env", "args"} <= fields
        assert doc["verify"] and doc["rollback"] and doc["inputs"]


def test_same_seed_same_corpus(tmp_path: Path) -> None:
    one = generate(tmp_path / "a", n=3, seed=11)
    two = generate(tmp_path / "b", n=3, seed=11)
    other = generate(tmp_path / "c", n=3, seed=12)
    texts = [[p.read_bytes() for p in c.runbooks] for c in (one, two, other)]
    assert texts[0] == texts[1]
    assert texts[0] != texts[2]


def test_broken_corpus_yields_located_findings_in_exactly_the_broken_files(tmp_path: Path) -> None:
    corpus = generate(tmp_path / "broken", n=25, seed=7, broken=0.2)
    assert sorted(corpus.broken.values()) == sorted(MISTAKES)
    result = pipeline.run([corpus.folder], pipeline.Options(lint=False))
    checks = check_located(corpus, result.findings)
    assert all(ok for ok, _ in checks), checks
    assert {f.rule for f in result.findings} >= {"F001", "F003", "F005", "R002", "Y002"}


def test_related_variants_resolve_or_dangle_one_reference_per_runbook(tmp_path: Path) -> None:
    valid = generate(tmp_path / "valid", n=5, seed=7, related="valid")
    assert pipeline.run([valid.folder]).findings == []
    dangling = generate(tmp_path / "dangling", n=5, seed=7, related="dangling")
    found = pipeline.run([dangling.folder]).findings
    named = {Path(f.path).name: (f.rule, f.col, f.message, f.hint) for f in found}
    assert len(found) == 5 and sorted(named) == sorted(p.name for p in dangling.runbooks)
    assert named["incident-0003.yaml"] == ("R008", 11, "related runbook 'ledger-incidnet-0004' does not exist",
                                           "did you mean 'ledger-incident-0004'?")
    assert named["incident-0005.yaml"][3] == "did you mean 'checkout-incident-0001'?"  # the last names the first

"""The harness itself: sub-benchmark discovery, target bookkeeping, and a real (tiny) run."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.__main__ import parse, run_one
from bench.harness import Table, best_cpu_of_each, best_of, best_of_each


def test_a_missing_sub_benchmark_is_reported_not_fatal(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_one("no_such_benchmark", parse([])) == 0
    assert capsys.readouterr().out.strip() == "no_such_benchmark: not available"


def test_missed_targets_and_failed_checks_make_the_exit_code_1(capsys: pytest.CaptureFixture[str]) -> None:
    table = Table("t")
    table.add("fast", 1.0, "1.50x", table.target("speed", 1.5, 2.0, at_most=True))
    assert table.print() == 0
    assert "target <= 2.00: ok" in capsys.readouterr().out
    table.add("slow", 3.0, "2.50x", table.target("speed", 2.5, 2.0, at_most=True))
    table.check(False, "something broke")
    assert table.print() == 1
    out = capsys.readouterr().out
    assert "target <= 2.00: MISSED" in out and "FAILED: something broke" in out
    assert table.failures == ["speed: 2.50 (target <= 2.0)", "something broke"]


def test_best_of_runs_repeat_times_and_keeps_the_result() -> None:
    calls: list[int] = []

    def work() -> int:
        calls.append(1)
        return len(calls)

    seconds, result = best_of(3, work)
    assert calls == [1, 1, 1] and result == 3 and seconds >= 0


def test_validate_benchmark_runs_for_real_on_a_tiny_corpus(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "bench", "validate", "--n", "4", "--repeat", "1", "--out", str(tmp_path)],
                          capture_output=True, text=True, check=False, cwd=Path(__file__).resolve().parents[2])
    assert proc.returncode in (0, 1), proc.stderr  # 1 only when a timing target is missed on a busy machine
    out = proc.stdout
    for row in ("floor: yaml.load(CSafeLoader)", "ours: pipeline.run(lint=False)", "ours: validate_runbook --no-lint",
                "peer: check-jsonschema", "5% broken"):
        assert row in out
    for check in ("ok: the corpus validates clean (0 findings, 4 runbooks)", "ok: validate_runbook exits 0",
                  "ok: check-jsonschema accepts the corpus too", "ok: every finding has line and column > 0"):
        assert check in out, out
    assert "FAILED" not in out
    assert not list(tmp_path.glob("corpus-4*/runbooks"))  # each run cleans up its own corpus


def test_best_of_each_takes_turns_and_keeps_each_best() -> None:
    order: list[str] = []

    def one() -> str:
        order.append("a")
        return "a"

    def two() -> str:
        order.append("b")
        return "b"

    best = best_of_each(2, {"a": one, "b": two})
    assert order == ["a", "b", "a", "b"]
    assert best["a"][1] == "a" and best["b"][1] == "b"


def test_gate_benchmark_runs_for_real_on_a_tiny_corpus(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "bench", "gate", "--n", "6", "--repeat", "1", "--out", str(tmp_path)],
                          capture_output=True, text=True, check=False, cwd=Path(__file__).resolve().parents[2])
    assert proc.returncode in (0, 1), proc.stderr  # 1 only when a timing target is missed on a busy machine
    out = proc.stdout
    for row in ("interpreter: python -c pass", "peer: yamllint FILE", "ours: validate_runbook FILE",
                "ours: validate_runbook --no-lint FILE", "every related: resolves", "every related: dangles (R008 + hint)"):
        assert row in out, out
    assert re.search(r"ours: validate_runbook FILE +\d+\.\d{3} +\d+\.\d\dx yamllint +target <= 1\.00: (ok|MISSED)", out), out
    assert re.search(r"dangles \(R008 \+ hint\) +\d+\.\d\d +\d+\.\d\dx resolving +target <= 2\.00: (ok|MISSED)", out), out
    for check in ("ok: validate_runbook passes the clean file (exit 0)",
                  "ok: python -X importtime on the clean file shows no jsonschema",
                  "ok: the resolving corpus is clean (0 findings)",
                  "ok: one R008 per runbook and nothing else (6 R008 of 6 findings",
                  "ok: each names the runbook meant and is located (6 of 6)"):
        assert check in out, out
    assert "FAILED" not in out
    assert not list(tmp_path.glob("corpus-*"))  # each run cleans up its own corpora


def test_best_cpu_of_each_measures_the_child_not_the_wall_clock(tmp_path: Path) -> None:
    busy = [sys.executable, "-c", "sum(range(3_000_000))"]
    idle = [sys.executable, "-c", "import time; time.sleep(0.5)"]
    best = best_cpu_of_each(1, {"busy": busy, "idle": idle}, tmp_path)
    assert best["busy"][1].returncode == 0 and best["idle"][1].returncode == 0
    assert best["idle"][0] < 0.4  # half a second asleep costs (almost) no CPU
    assert best["busy"][0] > best["idle"][0]


def test_drills_benchmark_runs_for_real_on_a_tiny_corpus(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "bench", "drills", "--n", "5", "--repeat", "1", "--out", str(tmp_path)],
                          capture_output=True, text=True, check=False, cwd=Path(__file__).resolve().parents[2])
    assert proc.returncode in (0, 1), proc.stderr  # 1 only when a timing target is missed on a busy machine
    out = proc.stdout
    assert re.search(r"runbook test: validation \+ 3 drills each +\d+\.\d\d +\d+\.\d\dx validation +"
                     r"target <= 1\.50: (ok|MISSED)", out), out
    for check in ("ok: the corpus validates clean (0 findings)", "ok: 15 drills ran, 0 failed",
                  "ok: both answers of every runbook's decision are drilled (0 runbooks miss one)",
                  "ok: runbook test exits 0 on the corpus"):
        assert check in out, out
    assert "FAILED" not in out
    assert not list(tmp_path.glob("corpus-*"))

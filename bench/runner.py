"""``python -m bench runner``: what the runner adds per step beyond the command itself.

Target (issue 5): under 50 ms per step.  A runbook of N ``true`` steps runs with ``--yes``
through the real ``runbook`` console script; the step loop's time comes from its own
journal (first ``step_start`` to ``end``, so interpreter start-up and the pre-flight lint are
not counted as per-step cost, and are reported separately).  The same run then executes
``bash -c true`` N times via :mod:`subprocess` — exactly what each step runs — and the
difference, divided by N, is the runner's overhead: display, journal writes with fsync,
condition checks, process-group handling and output capture.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
from datetime import datetime
from pathlib import Path

from bench import harness

TARGET_MS = 50.0


def _runbook(steps: int) -> str:
    lines = ["version: 1", "kind: runbook", "id: bench-runner", "title: Runner overhead benchmark", "service: bench",
             "summary: Many trivial read-only steps, to time the runner itself.", "steps:"]
    for i in range(steps):
        lines += [f"  - id: step-{i:04d}", f"    title: Step {i}", "    run: 'true'", "    risk: read-only"]
    return "\n".join(lines) + "\n"


def _loop_seconds(journal: Path) -> tuple[float, int, int]:
    events = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines() if line.strip()]
    first = next(e for e in events if e["type"] == "step_start")
    end = next(e for e in events if e["type"] == "end")
    commands = [e for e in events if e["type"] == "command"]
    seconds = (datetime.fromisoformat(end["t"].replace("Z", "+00:00"))
               - datetime.fromisoformat(first["t"].replace("Z", "+00:00"))).total_seconds()
    return seconds, len(commands), sum(1 for e in commands if e["ok"])


def main(args: argparse.Namespace | list[str] | None = None) -> int:
    opts = harness.options(args, "runner")
    steps = int(getattr(opts, "runner_steps", 200))
    folder = Path(opts.out) / "runner"
    folder.mkdir(parents=True, exist_ok=True)
    book = folder / f"bench-{steps}.yaml"
    book.write_text(_runbook(steps), encoding="utf-8")
    table = harness.Table(f"runner: {steps}-step runbook of `true` commands, --yes, best of {opts.repeat} runs")

    best_loop, best_total, last = float("inf"), float("inf"), None
    for _ in range(max(1, opts.repeat)):
        with tempfile.TemporaryDirectory(dir=folder) as tmp:
            run = harness.command([harness.tool("runbook"), "run", str(book), "--yes", "--journal-dir", tmp], folder)
            total, proc = harness.best_of(1, run)
            if proc.returncode != 0:
                table.check(False, f"runbook run exit code {proc.returncode}{harness.tail(proc)}")
            journals = list(Path(tmp).glob("*.jsonl"))
            if proc.returncode != 0 or not journals:
                return table.print()
            loop, ran, ok = _loop_seconds(journals[0])
            best_loop, best_total, last = min(best_loop, loop), min(best_total, total), (ran, ok)

    def bash_true() -> int:
        return sum(subprocess.run(["bash", "-c", "true"], capture_output=True, check=False).returncode for _ in range(steps))

    def plain_true() -> int:
        return sum(subprocess.run(["true"], capture_output=True, check=False).returncode for _ in range(steps))

    baseline, _ = harness.best_of(opts.repeat, bash_true)
    plain, _ = harness.best_of(opts.repeat, plain_true)
    overhead_ms = (best_loop - baseline) / steps * 1000
    table.add(f"subprocess: true x{steps}", plain, f"{plain / steps * 1000:.1f} ms/run")
    table.add(f"subprocess: bash -c true x{steps}", baseline, f"{baseline / steps * 1000:.1f} ms/run")
    table.add("runner step loop (journal times)", best_loop, f"{best_loop / steps * 1000:.1f} ms/step")
    table.add("runner process, start to exit", best_total, "incl. start-up and pre-flight lint")
    table.add("runner overhead per step", None, f"{overhead_ms:.1f} ms",
              table.target("ms per step beyond the command", overhead_ms, TARGET_MS, at_most=True))
    assert last is not None
    table.check(last == (steps, steps), f"every step ran once and passed ({last[1]} of {last[0]} commands ok)")
    return table.print()

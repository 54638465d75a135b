"""``python -m bench fleet``: a targeted read-only step on 20 hosts, against Ansible run directly.

Target (issue 14): the step takes at most 1.2× what ``ansible all -i INV -m shell -a CMD`` takes
for the same command on the same hosts with the same forks.  The hosts are local aliases
(``ansible_connection=local``), so the figures are Ansible's and the runner's own costs, not a
network's.  The step's time is read from the runner's journal (``step_start`` to ``step_end``:
Ansible's start-up is inside it, the runner's own start-up and pre-flight lint are not, and are
reported separately); the reference is the ``ansible`` process, start to exit.  The two take
turns within each repetition, so both see the same load on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from bench import harness

HOSTS = 20
FORKS = 10
TARGET = 1.2
COMMAND = "cat /proc/loadavg"


def _inventory(folder: Path) -> Path:
    path = folder / "hosts.ini"
    lines = ["[fleet]", *(f"node-{i:02d}" for i in range(1, HOSTS + 1)), "", "[all:vars]", "ansible_connection=local",
             f"ansible_python_interpreter={sys.executable}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _runbook(folder: Path) -> Path:
    path = folder / "fleet-bench.yaml"
    path.write_text("\n".join([
        "version: 1", "kind: runbook", "id: fleet-bench", "title: Load on every node", "service: bench",
        "summary: One read-only step on every host of the inventory.", "steps:",
        "  - id: load", "    title: Load average everywhere", f"    run: {COMMAND}", "    targets: fleet",
        "    risk: read-only"]) + "\n", encoding="utf-8")
    return path


def _step_seconds(journal: Path) -> tuple[float, int]:
    events = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines() if line.strip()]

    def at(kind: str) -> datetime:
        return datetime.fromisoformat(next(e for e in events if e["type"] == kind)["t"].replace("Z", "+00:00"))

    ok = sum(1 for e in events if e["type"] == "host" and e.get("ok"))
    return (at("step_end") - at("step_start")).total_seconds(), ok


def main(args: argparse.Namespace | list[str] | None = None) -> int:
    opts = harness.options(args, "fleet")
    folder = Path(opts.out) / "fleet"
    folder.mkdir(parents=True, exist_ok=True)
    inventory, book = _inventory(folder), _runbook(folder)
    table = harness.Table(f"fleet: one read-only step (`{COMMAND}`) on {HOSTS} local hosts, {FORKS} forks, "
                          f"best of {opts.repeat} runs")
    ours = [harness.tool("runbook"), "run", str(book), "--yes", "--inventory", str(inventory), "--forks", str(FORKS)]
    theirs = [harness.tool("ansible"), "all", "-i", str(inventory), "-m", "shell", "-a", COMMAND, "-f", str(FORKS)]
    best_step, best_total, best_ansible, hosts_ok = float("inf"), float("inf"), float("inf"), 0
    for _ in range(max(1, opts.repeat)):
        with tempfile.TemporaryDirectory(dir=folder) as tmp:
            total, proc = harness.best_of(1, harness.command([*ours, "--journal-dir", tmp], folder))
            journals = list(Path(tmp).glob("*.jsonl"))
            if proc.returncode != 0 or not journals:
                table.check(False, f"runbook run exit code {proc.returncode}{harness.tail(proc)}")
                return table.print()
            step, hosts_ok = _step_seconds(journals[0])
        seconds, ran = harness.best_of(1, harness.command(theirs, folder))
        if ran.returncode != 0:
            table.check(False, f"ansible exit code {ran.returncode}{harness.tail(ran)}")
            return table.print()
        best_step, best_total, best_ansible = min(best_step, step), min(best_total, total), min(best_ansible, seconds)
    ratio = best_step / best_ansible
    table.add(f"reference: ansible all -m shell ({HOSTS} hosts)", best_ansible, "1.00x")
    table.add("runner: the targeted step (journal times)", best_step, f"{ratio:.2f}x",
              table.target("targeted step / ansible", ratio, TARGET, at_most=True))
    table.add("runner process, start to exit", best_total, f"{best_total / best_ansible:.2f}x",
              "incl. start-up and pre-flight lint")
    table.check(hosts_ok == HOSTS, f"the step succeeded on every host ({hosts_ok} of {HOSTS})")
    return table.print()

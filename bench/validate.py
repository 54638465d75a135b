"""``python -m bench validate``: our validation against the floor (LibYAML) and the peer (check-jsonschema).

Targets (issue 2): the in-process pipeline takes at most 2x a plain
``yaml.load(text, Loader=yaml.CSafeLoader)`` of the same files, and ``validate_runbook``
runs at least 2x faster than ``check-jsonschema`` with the same schema.  A copy of the
corpus in which 5% of the files carry a mistake is timed too, and every finding there must
have a position.
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
from pathlib import Path

import yaml

from bench import harness
from bench.located import check_located
from validator import pipeline
from validator.reporters import REPORTERS, Report
from validator.schema import schema_path


def _floor(files: list[Path]) -> int:
    loaded = 0
    for path in files:
        if yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) is not None:
            loaded += 1
    return loaded


def _pipeline(folder: Path, lint: bool) -> pipeline.Result:
    return pipeline.run([folder], pipeline.Options(lint=lint))


def main(args: argparse.Namespace) -> int:
    corpus = harness.corpus(args)
    files = corpus.files
    lines = sum(p.read_text(encoding="utf-8").count("\n") for p in corpus.runbooks) // max(1, len(corpus.runbooks))
    table = harness.Table(f"validate: {len(corpus.runbooks):,} runbooks (~{lines} lines, 40 steps each) + 1 policy, "
                          f"best of {args.repeat} runs, same process (floor and pipeline take turns)")

    timed = harness.best_of_each(args.repeat, {"floor": lambda: _floor(files),
                                               "ours": lambda: _pipeline(corpus.folder, lint=False)})
    floor, loaded = timed["floor"]
    table.check(loaded == len(files), f"floor loaded all {len(files)} files")
    table.add("floor: yaml.load(CSafeLoader)", floor, "1.00x floor")

    ours, result = timed["ours"]
    ratio = ours / floor
    table.add("ours: pipeline.run(lint=False)", ours, f"{ratio:.2f}x floor", table.target("ours/floor", ratio, 2.0, at_most=True))
    table.check(not result.findings and len(result.repository.runbooks) == len(corpus.runbooks),
                f"the corpus validates clean ({len(result.findings)} findings, {len(result.repository.runbooks)} runbooks)")

    cli_argv = [harness.tool("validate_runbook"), "--no-lint", "runbooks"]
    cli, proc = harness.best_of(args.repeat, harness.command(cli_argv, corpus.root))
    table.add("ours: validate_runbook --no-lint (subprocess)", cli, f"{cli / floor:.2f}x floor")
    table.check(proc.returncode == 0, f"validate_runbook exits 0 on the corpus (got {proc.returncode}{harness.tail(proc)})")

    peer_argv = [harness.tool("check-jsonschema"), "--schemafile", str(schema_path()), *map(str, files)]
    peer, proc = harness.best_of(args.repeat, harness.command(peer_argv, corpus.root))
    speedup = peer / cli
    table.add("peer: check-jsonschema (subprocess)", peer, f"{speedup:.2f}x ours (subprocess)",
              table.target("peer/ours", speedup, 2.0, at_most=False))
    table.check(proc.returncode == 0, f"check-jsonschema accepts the corpus too (exit {proc.returncode}{harness.tail(proc)})")

    broken = harness.corpus(args, broken=0.05)
    seconds, result = harness.best_of(args.repeat, lambda: _pipeline(broken.folder, lint=False))
    table.add("ours: pipeline.run(lint=False), 5% broken", seconds, f"{seconds / ours:.2f}x clean")
    for ok, what in check_located(broken, result.findings):
        table.check(ok, what)
    status = table.print()
    return max(status, _many_findings(args))


def steps_of_ones(size: int) -> str:
    """A generated runbook of ``size`` bytes whose every step is the number 1: each one fails the schema."""
    head = "version: 1\nkind: runbook\nid: generated\ntitle: Generated\nservice: api\nsteps: ["
    return head + ",".join(["1"] * ((size - len(head)) // 2)) + "]\n"


def _many_findings(args: argparse.Namespace) -> int:
    """One 1 MB file with half a million failing steps against a plain load of it: findings are capped
    per file and each quoted line is indexed once, so the time is the load's, not findings squared."""
    folder = Path(args.out) / f"many-findings-{os.getpid()}"
    folder.mkdir(parents=True, exist_ok=True)
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / "generated.yaml"
    text = steps_of_ones(1_000_000)
    path.write_text(text, encoding="utf-8")
    table = harness.Table(f"many findings: one {len(text):,}-byte file, steps: [1, 1, …], "
                          f"best of {args.repeat} runs, same process")
    timed = harness.best_of_each(args.repeat, {
        "floor": lambda: yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader),
        "ours": lambda: pipeline.run([path], pipeline.Options(lint=False)),
    })
    floor, data = timed["floor"]
    table.add("floor: yaml.load(CSafeLoader) of the file", floor, "1.00x floor")
    ours, result = timed["ours"]
    report = REPORTERS["text"](Report(result.findings, 1, result.line_of))
    ratio = ours / floor
    table.add("ours: pipeline.run(lint=False)", ours, f"{ratio:.2f}x floor", table.target("ours/floor", ratio, 3.0, at_most=True))
    table.check(len(data["steps"]) > 400_000, f"the file holds {len(data['steps']):,} steps")
    table.check(len(result.findings) <= 101 and result.findings[-1].rule == "Y015",
                f"{len(result.findings)} findings, the last one saying the check stopped ({result.findings[-1].rule})")
    table.check(len(report) < 100_000, f"the text report is {len(report):,} characters")
    return table.print()

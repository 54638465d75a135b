"""``python -m bench gate``: what a team pays for ``validate_runbook`` as its CI and pre-commit gate.

Targets (issue 8):

- **one clean file**: ``validate_runbook FILE`` (lint included, as the pre-commit hook runs it)
  takes at most the CPU time of ``yamllint FILE`` on the same file, both whole processes
  measured taking turns (user + system time of the child, bytecode already compiled);
  and ``python -X importtime`` of that run shows no ``jsonschema``.
- **many errors**: ~700 runbooks that each name a misspelt runbook in ``related:`` (so each
  gets a located R008 finding with a "did you mean" hint) take at most 2x the same corpus
  whose references resolve, through ``pipeline.run`` with lint, in the same process.
"""

from __future__ import annotations

import argparse
import re
import sys

from bench import harness
from bench.corpus import runbook_id
from validator import pipeline

MANY = 700  # runbooks in the many-errors corpora (fewer when --n is smaller)
_IMPORTED = re.compile(r"^import time:\s+\d+ \|\s+\d+ \| *([\w.]+)\s*$", re.M)


def one_file(args: argparse.Namespace) -> int:
    corpus = harness.corpus(args, n=min(args.n, 3))
    target = str(corpus.runbooks[0].relative_to(corpus.root))
    table = harness.Table(f"gate, one file: {target} ({corpus.runbooks[0].read_text(encoding='utf-8').count(chr(10))} lines) "
                          f"and its policy; CPU seconds of the whole process, best of {args.repeat}, taking turns")
    commands = {
        "python": [sys.executable, "-c", "pass"],
        "yamllint": [harness.tool("yamllint"), target],
        "ours": [harness.tool("validate_runbook"), target],
        "ours --no-lint": [harness.tool("validate_runbook"), "--no-lint", target],
    }
    timed = harness.best_cpu_of_each(args.repeat, commands, corpus.root)
    peer = timed["yamllint"][0]
    table.add("interpreter: python -c pass", timed["python"][0], f"{timed['python'][0] / peer:.2f}x yamllint", digits=3)
    table.add("peer: yamllint FILE", peer, "1.00x", digits=3)
    ours, proc = timed["ours"]
    ratio = ours / peer
    table.add("ours: validate_runbook FILE", ours, f"{ratio:.2f}x yamllint",
              table.target("one file / yamllint", ratio, 1.0, at_most=True), digits=3)
    table.check(proc.returncode == 0 and "no problems" in proc.stdout,
                f"validate_runbook passes the clean file (exit {proc.returncode}{harness.tail(proc)})")
    plain, _ = timed["ours --no-lint"]
    table.add("ours: validate_runbook --no-lint FILE", plain, f"{plain / peer:.2f}x yamllint", digits=3)

    traced = harness.command([sys.executable, "-X", "importtime", "-m", "validator", "validate", target], corpus.root)()
    imported = {name.split(".")[0] for name in _IMPORTED.findall(traced.stderr)}
    table.check(bool(imported) and "jsonschema" not in imported,
                f"python -X importtime on the clean file shows no jsonschema ({len(imported)} top-level packages imported)")
    return table.print()


def many_errors(args: argparse.Namespace) -> int:
    n = min(args.n, MANY)
    valid = harness.corpus(args, n=n, related="valid")
    dangling = harness.corpus(args, n=n, related="dangling")
    table = harness.Table(f"gate, many errors: {n:,} runbooks, each naming the next in related:, resolving or misspelt; "
                          f"pipeline.run with lint, best of {args.repeat}, taking turns")

    def run(folder: object) -> pipeline.Result:
        return pipeline.run([folder], pipeline.Options())  # type: ignore[list-item]

    timed = harness.best_of_each(args.repeat, {"valid": lambda: run(valid.folder), "dangling": lambda: run(dangling.folder)})
    clean, result = timed["valid"]
    table.add("every related: resolves", clean, "1.00x")
    table.check(not result.findings, f"the resolving corpus is clean ({len(result.findings)} findings)")
    broken, result = timed["dangling"]
    ratio = broken / clean
    table.add("every related: dangles (R008 + hint)", broken, f"{ratio:.2f}x resolving",
              table.target("dangling / resolving", ratio, 2.0, at_most=True))
    r008 = [f for f in result.findings if f.rule == "R008"]
    hinted = [f for f in r008 if f.hint == f"did you mean '{_meant(f.path, n)}'?"]
    table.check(len(r008) == n and len(result.findings) == n,
                f"one R008 per runbook and nothing else ({len(r008)} R008 of {len(result.findings)} findings, {n} runbooks)")
    table.check(len(hinted) == n and all(f.line > 0 and f.col > 0 for f in r008),
                f"each names the runbook meant and is located ({len(hinted)} of {len(r008)})")
    return table.print()


def _meant(path: str, n: int) -> str:
    """The runbook that the file ``.../incident-NNNN.yaml`` names in ``related:``."""
    index = int(re.findall(r"incident-(\d+)\.yaml$", path)[0])
    return runbook_id(index % n + 1)


def main(args: argparse.Namespace) -> int:
    return max(one_file(args), many_errors(args))

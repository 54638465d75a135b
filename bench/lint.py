"""``python -m bench lint``: what the lint rules add to validation, and that their findings stay located.

Target (issue 3): the pipeline with every registered rule takes at most 1.25x the pipeline
without lint, on the same corpus in the same process (ShellCheck off, its default).  The
rules are whatever :mod:`validator.rules.registry` registers at the time of the run.
"""

from __future__ import annotations

import argparse

from bench import harness
from bench.located import check_located
from validator import pipeline
from validator.rules import registry


def main(args: argparse.Namespace) -> int:
    corpus = harness.corpus(args)
    rules = registry.rules()
    table = harness.Table(f"lint: {len(corpus.runbooks):,} runbooks, {len(rules)} registered rules, "
                          f"best of {args.repeat} runs, same process, with and without lint taking turns")

    def run(lint: bool, folder: object = corpus.folder) -> pipeline.Result:
        return pipeline.run([folder], pipeline.Options(lint=lint))  # type: ignore[list-item]

    timed = harness.best_of_each(args.repeat, {"plain": lambda: run(False), "lint": lambda: run(True)})
    plain, _ = timed["plain"]
    table.add("pipeline.run(lint=False)", plain, "1.00x")
    linted, result = timed["lint"]
    ratio = linted / plain
    verdict = table.target("lint overhead", ratio, 1.25, at_most=True)
    table.add("pipeline.run(lint=True)", linted, f"{ratio:.2f}x without lint", verdict)
    shown = "; ".join(f"{f.path}:{f.line}: {f.rule} {f.message}" for f in result.findings[:3])
    table.check(not result.findings, f"the corpus is lint-clean ({len(result.findings)} findings{': ' + shown if shown else ''})")

    broken = harness.corpus(args, broken=0.05)
    seconds, result = harness.best_of(args.repeat, lambda: run(True, broken.folder))
    table.add("pipeline.run(lint=True), 5% broken", seconds, f"{seconds / linted:.2f}x clean")
    for ok, what in check_located(broken, result.findings):
        table.check(ok, what)
    return table.print()

"""``python -m bench lint``: what the lint rules add to validation, and that their findings stay located.

Target (issue 3): the pipeline with every registered rule takes at most 1.25x the pipeline
without lint, on the same corpus in the same process (ShellCheck off, its default).  The
rules are whatever :mod:`validator.rules.registry` registers at the time of the run.

Then precision per rule (issue 12, :mod:`bench.precision`): no finding on the hand-written
clean corpus, exactly the expected findings on the defect corpus.
"""

from __future__ import annotations

import argparse

from bench import harness, precision
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
    failed = table.print()
    return max(failed, precision_report())


def precision_report() -> int:
    """Per-rule precision on the clean and defect corpora; 1 when any finding is a false alarm or a miss."""
    s = precision.score()
    print(f"\nlint precision: {precision.CLEAN.name} (every finding is false) and {precision.DEFECTS.name} "
          "(EXPECTED.txt lists the true ones)")
    print(f"  {'rule':6}  {'true':>5}  {'false':>5}  {'missed':>6}  precision")
    for rule, true, false, missed, value in precision.rows(s):
        print(f"  {rule:6}  {true:>5}  {false:>5}  {missed:>6}  {value}")
    true, false = sum(s.true.values()), sum(s.false.values())
    print(f"  {'all':6}  {true:>5}  {false:>5}  {sum(s.missed.values()):>6}  {true / max(true + false, 1):.2f}")
    for line in s.false_alarms + [f"missed: {m}" for m in s.misses]:
        print(f"  {line}")
    return 1 if s.false_alarms or s.misses else 0

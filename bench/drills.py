"""``python -m bench drills``: ``runbook test`` on the corpus, each runbook given a decision and
three drills, against validating the same files.

Target (issue 11): testing 1,000 runbooks x 3 drills takes about the time validation takes:
at most 1.5x ``pipeline.run(lint=False)`` on the same folder in the same process, and ``runbook
test`` at most 1.5x ``validate_runbook --no-lint`` as commands.  Every
drill must pass and every runbook's decision must be covered, or the run fails.
"""

from __future__ import annotations

import argparse
import atexit
import os
import re
import shutil
from pathlib import Path

from bench import harness
from bench.corpus import generate
from validator import drills, pipeline

STEP_ID = re.compile(r"^  - id: (s\d\d-[a-z-]+)$", re.M)
RUN = re.compile(r"^(    run: .*)$", re.M)
SIMULATED = "    simulate: {exit_code: 0, output: '42 ok', duration: 2s}\n"
HEALTHY = """    simulate: {exit_code: 0, output: '42 healthy Running {"status": "ok"}'}"""  # meets every generated expect:


def _branching(text: str) -> str:
    """Give a generated runbook a decision as its first step (one answer jumps ten steps ahead),
    a rehearsed result for every command (as the bundled runbooks have) and three drills: one per
    answer, and one where the first check prints another count."""
    ids = STEP_ID.findall(text.split("\nverify:", 1)[0])
    jump, skipped = ids[10], ids[1:10]
    decision = (
        "steps:\n"
        "  - id: which-path\n"
        "    title: Which path is failing?\n"
        "    decide:\n"
        "      question: Do reads fail, or only writes?\n"
        "      choices:\n"
        f"        - {{answer: reads, goto: {jump}, description: the read replicas are the suspects}}\n"
        "        - {answer: writes, description: start from the primary}\n"
    )
    drills_yaml = (
        "drills:\n"
        "  - name: reads fail\n"
        "    answers: {which-path: reads}\n"
        f"    expect: {{outcome: resolved, visits: [{jump}], skips: [{', '.join(skipped)}]}}\n"
        "  - name: only writes fail\n"
        "    answers: {which-path: writes}\n"
        f"    expect: {{outcome: resolved, visits: [{ids[1]}, {jump}]}}\n"
        "  - name: the first check counts more errors\n"
        "    answers: {which-path: writes}\n"
        f"    results: {{{ids[0]}: {{exit_code: 0, output: '9000 healthy Running {{\"status\": \"ok\"}}'}}}}\n"
        f"    expect: {{outcome: resolved, visits: [{ids[0]}]}}\n"
    )
    text = RUN.sub(lambda m: m[1] + "\n" + HEALTHY, text.replace(SIMULATED, ""))  # every command rehearsed
    return text.replace("steps:\n", decision, 1) + drills_yaml


def _corpus(args: argparse.Namespace) -> Path:
    dest = Path(args.out) / f"corpus-drills-{args.n}-{os.getpid()}"
    corpus = generate(dest, args.n, args.seed)
    atexit.register(shutil.rmtree, dest, ignore_errors=True)
    for path in corpus.runbooks:
        path.write_text(_branching(path.read_text(encoding="utf-8")), encoding="utf-8")
    return corpus.folder


def _validate(folder: Path) -> pipeline.Result:
    return pipeline.run([folder], pipeline.Options(lint=False))


def _test(folder: Path) -> tuple[list[drills.DrillResult], list[drills.Coverage]]:
    """What ``runbook test`` does in process: validate, then run every drill and measure coverage."""
    return drills.run_all(_validate(folder).repository.runbooks)


def main(args: argparse.Namespace) -> int:
    folder = _corpus(args)
    table = harness.Table(f"drills: {args.n:,} runbooks x 3 drills (a decision each), best of {args.repeat} runs, "
                          "same process (validation and test take turns)")
    timed = harness.best_of_each(args.repeat, {"validate": lambda: _validate(folder), "test": lambda: _test(folder)})
    validate, checked = timed["validate"]
    table.check(not checked.findings, f"the corpus validates clean ({len(checked.findings)} findings)")
    table.add("validation: pipeline.run(lint=False)", validate, "1.00x validation")
    tested, (results, coverages) = timed["test"]
    ratio = tested / validate
    table.add("runbook test: validation + 3 drills each", tested, f"{ratio:.2f}x validation",
              table.target("test/validation", ratio, 1.5, at_most=True))
    failed = [r for r in results if not r.passed]
    table.check(len(results) == 3 * args.n and not failed, f"{len(results)} drills ran, {len(failed)} failed"
                + (f" (first: {failed[0].drill.name}: {failed[0].problems[0]})" if failed else ""))
    both = {("which-path", "reads"), ("which-path", "writes")}
    uncovered = [c for c in coverages if not both <= c.reached_answers]
    table.check(not uncovered, f"both answers of every runbook's decision are drilled ({len(uncovered)} runbooks miss one)")
    commands = {"validate": harness.command([harness.tool("validate_runbook"), "--no-lint", "runbooks"], folder.parent),
                "test": harness.command([harness.tool("runbook"), "test", "runbooks"], folder.parent)}
    clis = harness.best_of_each(args.repeat, commands)
    cli_validate, proc = clis["validate"]
    table.add("validate_runbook --no-lint (subprocess)", cli_validate, "1.00x")
    table.check(proc.returncode == 0, f"validate_runbook exits 0 on the corpus (got {proc.returncode}{harness.tail(proc)})")
    cli, proc = clis["test"]
    table.add("runbook test (subprocess)", cli, f"{cli / cli_validate:.2f}x validate_runbook --no-lint",
              table.target("test/validate (commands)", cli / cli_validate, 1.5, at_most=True))
    table.check(proc.returncode == 0, f"runbook test exits 0 on the corpus (got {proc.returncode}{harness.tail(proc)})")
    return table.print()

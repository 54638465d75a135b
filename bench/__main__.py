"""``python -m bench [validate|lint|gate|docs|runner|alerts|drills|all] [--n 1000]``: the benchmark harness.

Each sub-benchmark is a module ``bench.<name>`` with ``main(args) -> int``; ``docs`` and
``runner`` belong to the docs site and the runner and are reported as "not available" until
they exist.  The exit code is 1 when any target is missed or a correctness check fails.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from bench.harness import OUT

BENCHMARKS = ("validate", "lint", "gate", "docs", "runner", "alerts", "drills", "fleet")


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("which", nargs="?", default="all", choices=[*BENCHMARKS, "all"], help="what to measure (default: all)")
    parser.add_argument("--n", type=int, default=1000, help="runbooks in the corpus (default 1000)")
    parser.add_argument("--seed", type=int, default=2026, help="corpus generator seed (default 2026)")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions; the best is reported (default 3)")
    parser.add_argument("--out", type=Path, default=OUT, help=f"where corpora are written (default {OUT})")
    return parser.parse_args(argv)


def run_one(name: str, args: argparse.Namespace) -> int:
    """Import ``bench.<name>`` and call its ``main(args)``; a missing module or entry point is reported, not fatal."""
    try:
        module = importlib.import_module(f"bench.{name}")
    except ModuleNotFoundError as err:
        if err.name != f"bench.{name}":
            raise
        module = None
    entry = getattr(module, "main", None)
    if entry is None:
        print(f"\n{name}: not available")
        return 0
    return int(entry(args))


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    names = BENCHMARKS if args.which == "all" else (args.which,)
    print(f"bench: n={args.n} seed={args.seed} best of {args.repeat}; corpora under {args.out}")
    status = 0
    for name in names:
        status = max(status, run_one(name, args))
    return status


if __name__ == "__main__":
    sys.exit(main())

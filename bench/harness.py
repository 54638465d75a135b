"""What every sub-benchmark shares: the corpus, best-of-N timing, subprocesses and the table.

Timings are wall-clock seconds, the best of ``args.repeat`` repetitions, because the
minimum is the measurement least disturbed by whatever else the machine is doing.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from bench.corpus import Corpus, generate

T = TypeVar("T")
OUT = Path(__file__).resolve().parent / "out"
_CORPORA: dict[tuple[Path, int, int, float, str], Corpus] = {}


def corpus(args: argparse.Namespace, broken: float = 0.0, n: int | None = None, related: str = "") -> Corpus:
    """The corpus for these arguments, generated once per process (``broken``: share of files with a mistake;
    ``related``: every runbook names the next in ``related:``, ``"valid"`` or ``"dangling"``).

    Each process writes its own folder (removed when it exits), so two benchmark runs at
    the same time cannot regenerate files under each other's feet.
    """
    size = n if n is not None else args.n
    key = (Path(args.out), size, args.seed, broken, related)
    if key not in _CORPORA:
        name = f"corpus-{size}" + (f"-broken{round(broken * 100)}" if broken else "") + (f"-{related}" if related else "")
        _CORPORA[key] = generate(Path(args.out) / f"{name}-{os.getpid()}", size, args.seed, broken, related=related)
        atexit.register(shutil.rmtree, _CORPORA[key].root, ignore_errors=True)
    return _CORPORA[key]


def best_of(repeat: int, fn: Callable[[], T]) -> tuple[float, T]:
    """Run ``fn`` ``repeat`` times; the fastest time and the last result.

    Objects still alive from earlier measurements (a loaded repository holds millions) are
    frozen out of the garbage collector's sight first, so they cannot slow the next one.
    """
    best = float("inf")
    result: T | None = None
    for _ in range(max(1, repeat)):
        gc.collect()
        gc.freeze()
        try:
            start = time.perf_counter()
            result = fn()
            best = min(best, time.perf_counter() - start)
        finally:
            gc.unfreeze()
    assert result is not None
    return best, result


def best_of_each(repeat: int, fns: dict[str, Callable[[], Any]]) -> dict[str, tuple[float, Any]]:
    """Like :func:`best_of` for several functions, taking turns within each repetition.

    Figures that are divided by each other are then measured under the same load, which
    matters on a shared machine far more than the number of repetitions.
    """
    best: dict[str, tuple[float, Any]] = {}
    for _ in range(max(1, repeat)):
        for name, fn in fns.items():
            seconds, result = best_of(1, fn)
            if name not in best or seconds < best[name][0]:
                best[name] = (seconds, result)
    return best


def tool(name: str) -> str:
    """A console script installed next to this interpreter (the venv), else from PATH."""
    local = Path(sys.executable).parent / name
    found = str(local) if local.exists() else shutil.which(name)
    if found is None:
        raise SystemExit(f"bench: '{name}' is not installed; pip install -e '.[test]'")
    return found


def command(argv: list[str], cwd: Path) -> Callable[[], subprocess.CompletedProcess[str]]:
    """A subprocess to time; output is captured so that printing it costs nothing."""
    env = {**os.environ, "NO_COLOR": "1"}
    return lambda: subprocess.run(argv, cwd=cwd, capture_output=True, text=True, env=env, check=False)


Ran = subprocess.CompletedProcess[str]


def best_cpu_of_each(repeat: int, commands: dict[str, list[str]], cwd: Path) -> dict[str, tuple[float, Ran]]:
    """The least CPU time (user + system, in seconds) each command took, taking turns within each repetition.

    CPU time rather than wall-clock: a one-file run is short enough that waiting for a core
    on a shared machine would swamp it.  Each command runs once first, unmeasured, so that
    every tool starts with its bytecode compiled, as it does after ``pip install``; for the
    same reason ``PYTHONDONTWRITEBYTECODE`` is dropped from the environment.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["NO_COLOR"] = "1"
    best: dict[str, tuple[float, Ran]] = {}
    for round_ in range(max(1, repeat) + 1):
        for name, argv in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, env=env, check=False)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            seconds = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            if round_ and (name not in best or seconds < best[name][0]):
                best[name] = (seconds, proc)
    return best


def tail(proc: subprocess.CompletedProcess[str]) -> str:
    """The last line a failed subprocess printed, to show next to its exit code."""
    if proc.returncode == 0:
        return ""
    lines = (proc.stderr.strip() or proc.stdout.strip()).splitlines()
    return f": {lines[-1][:160]}" if lines else ""


@dataclass
class Table:
    """Rows of measurements, printed aligned; ``failures`` collects missed targets and broken checks."""

    title: str
    rows: list[tuple[str, str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def add(self, label: str, seconds: float | None, ratio: str = "", verdict: str = "", digits: int = 2) -> None:
        self.rows.append((label, "" if seconds is None else f"{seconds:8.{digits}f}", ratio, verdict))

    def target(self, name: str, value: float, limit: float, at_most: bool) -> str:
        """``ok`` or ``MISSED``, recording a miss; the text names the target."""
        met = value <= limit if at_most else value >= limit
        if not met:
            self.failures.append(f"{name}: {value:.2f} (target {'<=' if at_most else '>='} {limit})")
        return f"target {'<=' if at_most else '>='} {limit:.2f}: {'ok' if met else 'MISSED'}"

    def check(self, ok: bool, what: str) -> None:
        self.notes.append(f"{'ok' if ok else 'FAILED'}: {what}")
        if not ok:
            self.failures.append(what)

    def print(self) -> int:
        width = max([len(r[0]) for r in self.rows] + [20])
        ratio_w = max([len(r[2]) for r in self.rows] + [5])
        print(f"\n{self.title}")
        print(f"  {'measurement'.ljust(width)}  {'seconds':>8}  {'ratio'.ljust(ratio_w)}  verdict")
        for label, secs, ratio, verdict in self.rows:
            print(f"  {label.ljust(width)}  {secs:>8}  {ratio.ljust(ratio_w)}  {verdict}".rstrip())
        for note in self.notes:
            print(f"  {note}")
        sys.stdout.flush()
        return 1 if self.failures else 0


def options(args: argparse.Namespace | list[str] | None, name: str) -> argparse.Namespace:
    """The arguments of a sub-benchmark that can also run on its own (``python -m bench.NAME``):
    the harness's namespace as it is, or ``--repeat`` and ``--out`` parsed from a list."""
    if isinstance(args, argparse.Namespace):
        return args
    parser = argparse.ArgumentParser(prog=f"python -m bench {name}")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=OUT)
    return parser.parse_args(args or [])

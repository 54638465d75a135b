"""Lint precision per rule, on two hand-written corpora under ``tests/fixtures``.

* ``clean-corpus``: fourteen runbooks (Kubernetes alert runbooks, ops pages, incident-response
  playbooks, two long incident documents) written to be correct; every finding there is a
  false alarm.
* ``defect-corpus``: runbooks with planted defects and ``EXPECTED.txt``, the findings lint must
  report (``path:line RULE``); a finding not listed is a false alarm, a listed one not found is
  a miss.

Precision of a rule = true findings / all its findings.  Both corpora are linted at a fixed
date (their review dates do not age) and from their own roots, whose configuration declares
their contacts fictional.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from validator import pipeline

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
CLEAN = FIXTURES / "clean-corpus"
DEFECTS = FIXTURES / "defect-corpus"
TODAY = date(2026, 11, 20)


@dataclass
class Score:
    true: Counter[str] = field(default_factory=Counter)
    false: Counter[str] = field(default_factory=Counter)
    missed: Counter[str] = field(default_factory=Counter)
    false_alarms: list[str] = field(default_factory=list)  # "path:line RULE message"
    misses: list[str] = field(default_factory=list)


def findings(root: Path) -> list[tuple[str, int, str, str]]:
    """``(path relative to root, line, rule, message)`` of every finding on the corpus at ``root``."""
    result = pipeline.run([root], pipeline.Options(today=TODAY))
    out = []
    for f in result.findings:
        path = Path(f.path)
        rel = (path if path.is_absolute() else Path.cwd() / path).resolve().relative_to(root.resolve()).as_posix()
        out.append((rel, f.line, f.rule, f.message))
    return out


def expected() -> Counter[tuple[str, int, str]]:
    wanted: Counter[tuple[str, int, str]] = Counter()
    for line in (DEFECTS / "EXPECTED.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            where, rule = line.split()
            path, number = where.rsplit(":", 1)
            wanted[(path, int(number), rule)] += 1
    return wanted


def score() -> Score:
    s = Score()
    for path, line, rule, message in findings(CLEAN):
        s.false[rule] += 1
        s.false_alarms.append(f"clean-corpus/{path}:{line} {rule} {message}")
    wanted = expected()
    for path, line, rule, message in findings(DEFECTS):
        key = (path, line, rule)
        if wanted[key] > 0:
            wanted[key] -= 1
            s.true[rule] += 1
        else:
            s.false[rule] += 1
            s.false_alarms.append(f"defect-corpus/{path}:{line} {rule} {message}")
    for (path, line, rule), left in wanted.items():
        s.missed[rule] += left
        s.misses += [f"defect-corpus/{path}:{line} {rule}"] * left
    return s


def rows(s: Score) -> list[tuple[str, int, int, int, str]]:
    """``(rule, true, false, missed, precision)`` for every rule that reported or was expected."""
    out = []
    for rule in sorted({*s.true, *s.false, *s.missed}):
        reported = s.true[rule] + s.false[rule]
        precision = f"{s.true[rule] / reported:.2f}" if reported else "-"
        out.append((rule, s.true[rule], s.false[rule], s.missed[rule], precision))
    return out

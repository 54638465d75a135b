"""The "every finding still located" check: a fast happy path must not cost the positions of failures.

Runs over a corpus in which some files carry one mistake each (see
:func:`bench.corpus.break_text`) and checks that each of those files is reported, that
nothing else is, and that every finding points at a line and column.
"""

from __future__ import annotations

import os
from collections import Counter

from bench.corpus import Corpus
from validator.findings import Finding


def check_located(corpus: Corpus, findings: list[Finding]) -> list[tuple[bool, str]]:
    """(passed, description) for each property the findings of a broken corpus must have."""
    broken = {os.path.abspath(p) for p in corpus.broken}
    reported = {os.path.abspath(f.path) for f in findings}
    unlocated = [f for f in findings if f.line <= 0 or f.col <= 0]
    rules = Counter(f.rule for f in findings)
    shown = ", ".join(f"{rule} x{count}" for rule, count in sorted(rules.items()))
    sample = "; ".join(f"{f.path}: {f.rule} {f.message}" for f in unlocated[:3])
    return [
        (bool(broken), f"{len(broken)} of {len(corpus.runbooks)} files carry a mistake; {len(findings)} findings ({shown})"),
        (not unlocated, f"every finding has line and column > 0 ({len(unlocated)} without{': ' + sample if sample else ''})"),
        (broken <= reported, f"every broken file is reported ({len(broken - reported)} missed)"),
        (reported <= broken, f"no finding in a clean file ({len(reported - broken)} clean files reported)"),
    ]

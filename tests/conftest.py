"""Fixtures shared by the whole suite: real files written to a fresh folder."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path
from typing import Protocol

import pytest
from hypothesis import HealthCheck, settings

# The fuzz tests (test_fuzz_*.py) run in every suite run, so they are bounded and reproducible:
# a fixed number of examples, derandomized (the same inputs every run: a failure on CI fails the
# same way on a laptop), no deadline (a loaded machine is not a bug), no example database left
# in the checkout.  HYPOTHESIS_PROFILE=deep explores for real: 50x the examples, new ones each run.
for _name, _examples in (("ci", 100), ("deep", 5000)):
    settings.register_profile(_name, max_examples=_examples, derandomize=_name == "ci", deadline=None, database=None,
                              suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# "Today" is an input (validator/today.py), never the calendar's: the whole suite, and every
# process it starts, judges review dates as of this one day, so a verdict cannot change with the
# date the suite runs on.  A test that needs another day passes --today or sets RUNBOOK_TODAY.
SUITE_TODAY = "2026-12-10"
os.environ["RUNBOOK_TODAY"] = SUITE_TODAY


class Writer(Protocol):
    def __call__(self, name: str, text: str | bytes) -> Path: ...


@pytest.fixture
def write(tmp_path: Path) -> Writer:
    """Write a file under ``tmp_path`` (dedented when text) and return its path; folders are created."""

    def _write(name: str, text: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write

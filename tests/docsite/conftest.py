"""Real ``mkdocs build`` runs of the fixture sites, shared by the HTML and browser tests.

Each site is built once per test process, in a subprocess, into a temporary folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Built:
    """A built site: where it is and what ``mkdocs build`` printed."""

    site: Path
    log: str

    def html(self, page: str) -> str:
        return (self.site / page).read_text(encoding="utf-8")


def mkdocs_build(config: Path, dest: Path, extra: Sequence[str] = ()) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(dest), *extra],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )


def _build(tmp: Path, name: str) -> Built:
    done = mkdocs_build(FIXTURES / name / "mkdocs.yml", tmp / "site", ["--strict"] if name == "catalog" else [])
    assert done.returncode == 0, done.stdout + done.stderr
    return Built(tmp / "site", done.stdout + done.stderr)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The realistic fixture repository (policy, two services, three runbooks), built with --strict."""
    return _build(tmp_path_factory.mktemp("catalog"), "catalog")


@pytest.fixture(scope="session")
def xss_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The hostile fixture: every string of the policy and runbook tries to run script."""
    return _build(tmp_path_factory.mktemp("xss"), "xss")

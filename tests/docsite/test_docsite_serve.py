"""``mkdocs serve`` watches the runbook folders: editing a YAML file changes the served page."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import FIXTURES


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return None


def _wait_for(url: str, needle: str, deadline: float) -> bool:
    while time.monotonic() < deadline:
        body = _fetch(url)
        if body is not None and needle in body:
            return True
        time.sleep(0.5)
    return False


@pytest.mark.xdist_group("serve")
def test_serve_rebuilds_when_a_runbook_changes(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "catalog", repo)
    config = repo / "mkdocs.yml"
    home = (FIXTURES / "catalog" / "../../../../docs").resolve()
    config.write_text(re.sub(r"(?m)^docs_dir: .*$", f"docs_dir: {home}", config.read_text(encoding="utf-8")), encoding="utf-8")
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", f"127.0.0.1:{port}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/runbooks/ledger-reconcile.html"
        assert _wait_for(url, "Reconcile ledger totals", time.monotonic() + 120)
        runbook = repo / "runbooks/ledger/reconcile.yaml"
        runbook.write_text(
            runbook.read_text(encoding="utf-8").replace("Reconcile ledger totals", "Reconcile the ledger by hand"),
            encoding="utf-8",
        )
        assert _wait_for(url, "Reconcile the ledger by hand", time.monotonic() + 120)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

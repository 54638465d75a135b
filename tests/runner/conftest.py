"""Helpers for the runner tests: the real ``runbook`` console script in a pseudo-terminal,
journals read back event by event, and a local HTTP receiver for messages and pages."""

from __future__ import annotations

import http.server
import io
import json
import os
import shutil
import socket
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pexpect
import pytest

FIXTURES = Path(__file__).parent / "fixtures"
RUNBOOKS = FIXTURES / "runbooks"
_LOCAL = Path(sys.executable).parent / "runbook"
RUNBOOK = str(_LOCAL) if _LOCAL.exists() else shutil.which("runbook") or "runbook"
TIMEOUT = 60  # generous: CI machines are slow; tests never assert on time


def env() -> dict[str, str]:
    out = dict(os.environ)
    out.update(NO_COLOR="1", TERM="xterm", COLUMNS="200", PYTHONUNBUFFERED="1")
    out.pop("RUNBOOK_DEBUG", None)
    return out


class Run:
    """A runner in a pty; ``screen`` is everything it printed."""

    def __init__(self, args: list[str], cwd: Path, extra_env: dict[str, str] | None = None) -> None:
        self.log = io.StringIO()
        self.child = pexpect.spawn(RUNBOOK, args, cwd=str(cwd), env={**env(), **(extra_env or {})}, encoding="utf-8",
                                   timeout=TIMEOUT, dimensions=(50, 200))
        self.child.logfile_read = self.log

    def expect(self, text: str) -> None:
        self.child.expect_exact(text)

    def answer(self, prompt: str, reply: str) -> None:
        self.child.expect_exact(prompt)
        self.child.sendline(reply)

    def finish(self) -> int:
        self.child.expect(pexpect.EOF)
        self.child.close()
        return int(self.child.exitstatus if self.child.exitstatus is not None else 128 + (self.child.signalstatus or 0))

    @property
    def screen(self) -> str:
        return self.log.getvalue()


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """The responder's working directory (commands run here) and the runbooks' scratch folder."""
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


def journal_files(folder: Path) -> list[Path]:
    return sorted((folder / ".runbook-runs").glob("*.jsonl"))


def events(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def only_journal(folder: Path) -> tuple[Path, list[dict[str, Any]]]:
    files = journal_files(folder)
    assert len(files) == 1, files
    return files[0], events(files[0])


def kinds(evts: list[dict[str, Any]]) -> list[str]:
    """Event types, with the step or milestone name: 'command:check', 'milestone:responded'."""
    out = []
    for e in evts:
        label = e.get("step") or e.get("name")
        out.append(f"{e['type']}:{label}" if label and e["type"] not in ("start", "inputs", "end") else e["type"])
    return out


def group_gone(pgid: int) -> bool:
    """No live process is left in the process group ``pgid``."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            return False
    return True


def pid_gone(pid: int) -> bool:
    """The process no longer runs (a zombie waiting for init to reap it counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")


class _Receiver(http.server.BaseHTTPRequestHandler):
    got: list[dict[str, Any]]

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        self.got.append({"path": self.path, **json.loads(self.rfile.read(length) or b"{}")})
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """A local HTTP receiver for Apprise's json:// scheme: its port, and every request body that arrived."""
    got: list[dict[str, Any]] = []
    handler = type("Handler", (_Receiver,), {"got": got})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], got
    server.shutdown()
    server.server_close()


def closed_port() -> int:
    """A port on 127.0.0.1 nobody listens on: a channel that fails."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])

"""Notify steps that really send: through Apprise to a local HTTP receiver on 127.0.0.1 (its JSON
webhook scheme), with the responder's summary, an edit, a failed channel and a drill."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.runner.conftest import RUNBOOKS, Run, closed_port, only_journal

pytestmark = pytest.mark.pty


def _repo(work: Path, port: int, drills: bool = False) -> Path:
    folder = work / "runbooks"
    folder.mkdir()
    (work / ".runbook.yaml").write_text(
        "per_path:\n  - paths: ['runbooks/**']\n    disable: [C115]\n    reason: test fixture; the contacts are invented\n",
        encoding="utf-8")
    policy = (RUNBOOKS / "policy.yaml").read_text(encoding="utf-8")
    policy = policy.replace('    chat: "#ops-incidents"\n', f'''    chat: "#ops-incidents"
    channels:
      - {{name: ops webhook, url: "json://127.0.0.1:{port}/ops", drills: {str(drills).lower()}}}
      - {{name: chat, url_env: OPS_CHAT_URL}}
''')
    policy = policy.replace("      Next update by {{next_update}}.\n",
                            "      Next update by {{next_update}}.\n      Update {{update_number}}: {{update_summary}}\n")
    (folder / "policy.yaml").write_text(policy, encoding="utf-8")
    shutil.copy(RUNBOOKS / "clean.yaml", folder / "clean.yaml")
    return folder


def _to_the_message(run: Run) -> None:
    run.answer("region - The affected region (eu-west-1/us-east-1) [eu-west-1]:", "")
    run.answer("Run it?", "r")
    run.answer("Run it?", "r")
    run.answer("When it is done:", "d")


def test_message_is_rendered_live_edited_sent_and_journalled(work: Path, receiver: tuple[int, list[dict[str, Any]]],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    port, got = receiver
    _repo(work, port)
    editor = work / "editor.sh"
    editor.write_text("#!/bin/sh\nsed -i 's/is in progress/is being mitigated/' \"$1\"\n", encoding="utf-8")
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    monkeypatch.setenv("OPS_CHAT_URL", f"json://127.0.0.1:{closed_port()}/chat")  # nobody listens: fails
    run = Run(["run", "clean", "-i", "host=web1", "-i", f"workdir={work}"], work)
    _to_the_message(run)
    run.answer("Summary for this update (one line, Enter for none):", "errors falling after the restart")
    run.expect("Update 1: errors falling after the restart")
    run.expect("to Operations team via json://127.0.0.1:")
    run.expect("$OPS_CHAT_URL")
    run.answer("Send it?", "e")
    run.expect("is being mitigated")
    run.answer("Send it?", "s")
    run.expect("ops-team via json://127.0.0.1:")
    run.expect("sent")
    run.expect("ops-team via $OPS_CHAT_URL: FAILED after 3 attempt(s)")
    run.expect("Send this by hand to the ones that failed:")
    run.answer("Run it?", "r")
    run.expect("Run completed.")
    assert run.finish() == 0
    [message] = got
    assert message["path"] == "/ops" and message["title"] == "[P2] Web tier returns errors"
    assert "is being mitigated after" in message["message"] and "Update 1: errors falling after the restart" in message["message"]
    _, evts = only_journal(work)
    deliveries = [(e["channel"].split(":")[0], e["ok"], e["attempts"]) for e in evts if e["type"] == "delivery"]
    assert deliveries == [("json", True, 1), ("$OPS_CHAT_URL", False, 3)]
    [sent] = [e for e in evts if e["type"] == "message"]
    assert sent["delivered"] == 1 and "is being mitigated" in sent["body"]
    assert f"127.0.0.1:{port}" not in json.dumps([e for e in evts if e["type"] == "delivery"]).replace(
        f"json://127.0.0.1:{port}", "")  # a channel is named by scheme and host only


def test_a_drill_sends_only_to_channels_marked_for_drills(work: Path, receiver: tuple[int, list[dict[str, Any]]],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    port, got = receiver
    _repo(work, port, drills=False)
    monkeypatch.setenv("OPS_CHAT_URL", f"json://127.0.0.1:{port}/chat")
    run = Run(["run", "clean", "--drill", "-i", "host=web1", "-i", f"workdir={work}"], work)
    _to_the_message(run)
    run.expect("send to: Operations team (#ops-incidents) via chat")  # no drill channel: shown to paste
    run.answer("When it is done:", "d")
    run.answer("Run it?", "r")
    assert run.finish() == 0
    assert got == []


def test_a_dry_run_sends_nothing(work: Path, receiver: tuple[int, list[dict[str, Any]]]) -> None:
    port, got = receiver
    _repo(work, port, drills=True)
    run = Run(["run", "clean", "--dry-run", "-i", "host=web1", "-i", f"workdir={work}"], work)
    run.expect("send to: Operations team")
    assert run.finish() == 0
    assert got == []

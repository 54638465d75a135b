"""Hand-edited and damaged journals: every field of every event of a real journal removed or
given a wrong type, and the readers either read it or name the line, never crash."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.runner.conftest import RUNBOOK, RUNBOOKS, TIMEOUT, env, events, only_journal
from validator.runner import journal, resume, timeline

WRONG: list[Any] = ["yesterday", 12, -1, 1.5, None, True, [], {}, ["x"], {"a": 1}]


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The lines of a real journal with a rollback, a wait, polls, commands and milestones."""
    work = tmp_path_factory.mktemp("edits")
    done = subprocess.run([RUNBOOK, "run", str(RUNBOOKS / "rollback.yaml"), "--yes", "-i", f"workdir={work}"], cwd=work,
                          env=env(), capture_output=True, text=True, timeout=TIMEOUT, check=False)
    assert done.returncode == 1, done.stderr  # rolled back
    path, _ = only_journal(work)
    return path.read_text(encoding="utf-8").splitlines()


def _variants(lines: list[str]) -> list[tuple[int, list[str]]]:
    out = []
    for index, line in enumerate(lines):
        event = json.loads(line)
        for key in [*event, "step", "pid", "file", "started_at"]:
            changed = [{k: v for k, v in event.items() if k != key}] + [{**event, key: value} for value in WRONG]
            out += [(index + 1, [*lines[:index], json.dumps(e), *lines[index + 1:]]) for e in changed]
    return out


def test_every_field_removed_or_mistyped_is_read_or_named_by_line(recorded: list[str], tmp_path: Path) -> None:
    path = tmp_path / "edited.jsonl"
    read = named = 0
    for number, lines in _variants(recorded):
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        try:
            evts = journal.read(path)
        except ValueError as err:
            assert str(err).startswith(f"{path}:{number}: "), (number, str(err))
            named += 1
            continue
        resume.scan(evts)
        built = timeline.build(evts)
        timeline.to_markdown(built)
        timeline.to_json(built)
        read += 1
    assert named > 100 and read > 100  # both outcomes happen: the check is neither everything nor nothing


@pytest.mark.parametrize(("edit", "message"), [
    (lambda e: {**e, "t": "yesterday"} if e["seq"] == 3 else e, ":3: 't' must be an ISO time such as 2024-05-01T03:12:00Z"),
    (lambda e: {k: v for k, v in e.items() if k != "step"} if e["type"] == "step_end" else e, "step_end event without 'step'"),
    (lambda e: {**e, "pid": "12"} if e["type"] == "exec" else e, "exec event: 'pid' must be a whole number (found '12')"),
    (lambda e: {**e, "seq": None} if e["seq"] == 2 else e, ":2: 'seq' must be a whole number (found None)"),
])
def test_resume_and_timeline_name_the_edited_line(recorded: list[str], tmp_path: Path, edit: Any, message: str) -> None:
    path = tmp_path / "edited.jsonl"
    path.write_text("".join(json.dumps(edit(json.loads(line))) + "\n" for line in recorded), encoding="utf-8")
    for args in (["timeline", str(path)], ["run", "--resume", str(path), "--yes"]):
        done = subprocess.run([RUNBOOK, *args], cwd=tmp_path, env=env(), capture_output=True, text=True, timeout=TIMEOUT,
                              check=False)
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        assert f"error: {path}:" in done.stderr and message in done.stderr, done.stderr
        assert "internal error" not in done.stderr
    assert len(events(path)) == len(recorded)  # the refused resume appended nothing

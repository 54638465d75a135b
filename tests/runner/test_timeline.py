"""``runbook timeline``: the post-mortem timeline of a real run, pinned by a golden file
with the times normalised, plus the same facts as JSON."""

from __future__ import annotations

import json
import os
import re
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.runner.conftest import RUNBOOK, RUNBOOKS, Run, env, only_journal

GOLDEN = Path(__file__).parent / "golden" / "retry-goto-timeline.md"


def normalise(text: str, work: Path) -> str:
    text = text.replace(str(work), "<WORKDIR>")
    text = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z", "<TIME>", text)
    text = re.sub(r"^\| \d\d:\d\d:\d\d \| [0-9dhms-]+ \|", "| <HH:MM:SS> | <T+> |", text, flags=re.M)
    text = re.sub(r"in \d+\.\d\ds", "in <D>s", text)
    text = re.sub(r"^(\| (?:Respond|Resolve) \| \S+ \| )[^|]+\|", r"\1<DUR> |", text, flags=re.M)
    return re.sub(r" by \S+ \|$", " by <USER> |", text, flags=re.M)


@pytest.fixture
def late_run(work: Path) -> Path:
    """A P1 run that started two hours before anyone ran the runbook: every SLA target is missed."""
    started = (datetime.now(UTC) - timedelta(hours=2)).isoformat(timespec="seconds")
    run = Run(["run", str(RUNBOOKS / "retry-goto.yaml"), "--yes", "--started-at", started, "-i", f"workdir={work}"], work)
    run.expect("** STATUS UPDATE DUE")
    run.expect("** ESCALATION DUE: severity (after 30m). **")
    run.expect("respond MISSED 1h55m ago")
    run.expect("update OVERDUE")
    run.expect("Run completed.")
    assert run.finish() == 0
    path, evts = only_journal(work)
    milestones = [(e["name"], e.get("met")) for e in evts if e["type"] == "milestone"]
    # unattended: nobody answered, so no "responded" milestone (the timeline shows the target missed)
    assert milestones == [("update_due", None), ("escalation_due", None), ("resolved", False)]
    return path


@pytest.mark.pty
def test_markdown_timeline_matches_the_golden_file(late_run: Path, work: Path) -> None:
    done = subprocess.run([RUNBOOK, "timeline", str(late_run)], cwd=work, env=env(), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    got = normalise(done.stdout, work)
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(got, encoding="utf-8")
    assert got == GOLDEN.read_text(encoding="utf-8")


@pytest.mark.pty
def test_json_timeline_carries_the_same_facts(late_run: Path, work: Path) -> None:
    done = subprocess.run([RUNBOOK, "timeline", str(late_run), "--format", "json"], cwd=work, env=env(),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert (data["runbook"], data["severity"], data["outcome"], data["drill"]) == ("retry-goto", "P1", "completed", False)
    assert [(r["target"], r["result"]) for r in data["sla"]] == [
        ("Respond", "missed"), ("Resolve", "missed"), ("Status updates", "missed")]
    offsets = [e["offset"] for e in data["entries"]]
    assert offsets == sorted(offsets) and offsets[0] >= 7000  # the run began two hours into the incident
    assert sum(1 for e in data["entries"] if e["event"] == "goto") == 1
    assert [(r["step"], r["outcome"], r["commands"], r["passes"]) for r in data["steps"]] == [
        ("restart", "done", 2, 2), ("check", "done", 3, 2), ("done", "done", 1, 1)]


def test_timeline_of_a_file_that_is_not_a_journal_is_a_clear_error(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.jsonl"
    bogus.write_text('{"hello": 1}\n')
    done = subprocess.run([RUNBOOK, "timeline", str(bogus)], env=env(), capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "notes.jsonl:1: not a journal event" in done.stderr and "Traceback" not in done.stderr

"""Which chain the [p] key walks: the runbook's escalation path over the policy's, the severity's
notify list when there is no path, nothing to page when neither names anyone."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from tests.runner.conftest import RUNBOOKS
from validator.model import EscalationLevel, SeverityLevel
from validator.repository import load_repository
from validator.runner import paging
from validator.runner.clock import Clock
from validator.runner.state import RunState


def _session(escalation: list[EscalationLevel], level: SeverityLevel | None) -> Any:
    runbook = load_repository([RUNBOOKS / "clean.yaml"]).runbook("clean")
    assert runbook is not None and runbook.policy is not None
    runbook.escalation = escalation
    state = RunState(runbook, Clock(datetime.now(UTC), level), Path("."))
    return SimpleNamespace(state=state)


def _level(name: str, notify: list[str]) -> EscalationLevel:
    return EscalationLevel(after=600, notify=notify, at=None, name=name)  # type: ignore[arg-type]


def test_the_runbooks_own_path_is_the_chain_unnamed_levels_are_numbered() -> None:
    levels = paging.chain(_session([_level("Team lead", ["ana"]), _level("", ["ops-team"])], None))
    assert [(lv.index, lv.name, lv.notify) for lv in levels] == [(1, "Team lead", ["ana"]), (2, "level 2", ["ops-team"])]


def test_without_a_path_the_severitys_notify_list_is_the_one_level_and_without_it_nothing() -> None:
    p1 = SeverityLevel(id="P1", name="Critical", rank=1, respond=300, at=None, notify=["ops-team"])  # type: ignore[arg-type]
    [only] = paging.chain(_session([], p1))
    assert (only.index, only.name, only.notify) == (1, "severity P1", ["ops-team"])
    p1.notify = []
    assert paging.chain(_session([], p1)) == []
    assert paging.chain(_session([], None)) == []


def test_the_levels_paged_before_come_from_the_journal_a_cancelled_or_failed_page_does_not_count(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    lines = ['{"seq": 1, "t": "2025-03-01T02:10:00Z", "type": "start", "file": "x", "started_at": "2025-03-01T02:10:00Z"}',
             '{"seq": 2, "t": "2025-03-01T02:20:00Z", "type": "page", "level": "Team lead", "level_index": 1}',
             '{"seq": 3, "t": "2025-03-01T02:30:00Z", "type": "page", "level": "Ops", "level_index": 2, "cancelled": true}',
             '{"seq": 4, "t": "2025-03-01T02:31:00Z", "type": "page", "level": "Ops", "level_index": 2, "failed": true}']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert paging.paged_before(path) == 1
    assert paging.paged_before(tmp_path / "missing.jsonl") == 0

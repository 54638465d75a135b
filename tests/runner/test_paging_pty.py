"""The [p] key: paging the next escalation level from any prompt (a step's, a decision's, a wait's
countdown), through Apprise to a local HTTP receiver on 127.0.0.1, with a failing channel, across a
hand-off, in a drill and in a dry run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.runner.conftest import RUNBOOK, RUNBOOKS, TIMEOUT, Run, closed_port, env, events, journal_files, only_journal

pytestmark = pytest.mark.pty

RUNBOOK_TEXT = """\
version: 1
kind: runbook
id: queue-backlog
title: Payment queue backlog growing
summary: Consumers fall behind; find out whether one is stuck and let the queue drain.
service: payments
severity: P1
owner: on-call
inputs:
  - name: workdir
    type: string
    description: Scratch folder for the test
steps:
  - id: measure
    title: Measure the backlog
    run: echo "depth=4200"
    risk: read-only
    capture: [{name: depth, pattern: 'depth=(\\d+)'}]
  - id: cause
    title: Is a consumer stuck?
    decide:
      question: Do the consumer pods show restarts in the last ten minutes?
      choices:
        - {answer: 'yes', description: a consumer crash-loops}
        - {answer: 'no', description: they are only slow}
  - id: drain
    title: Let the consumers drain the queue
    wait:
      duration: 30s
      reason: the queue to drain
  - id: check
    title: The backlog shrinks
    run: echo "depth=12"
    risk: read-only
"""

ESCALATION = """escalation:
  - name: Team lead
    after: 30m
    notify: [ana]
  - name: Operations and the database lead
    after: 1h
    notify: [ops-team, bob]
"""


def _repo(work: Path, port: int, drills: bool = False) -> None:
    folder = work / "runbooks"
    folder.mkdir()
    (work / ".runbook.yaml").write_text(
        "per_path:\n  - paths: ['runbooks/**']\n    disable: [C115]\n    reason: test fixture; the contacts are invented\n",
        encoding="utf-8")
    policy = (RUNBOOKS / "policy.yaml").read_text(encoding="utf-8")
    policy = policy.replace('    pager: pagerduty:PANA001\n', f'''    pager: pagerduty:PANA001
    channels:
      - {{name: ana webhook, url: "json://127.0.0.1:{port}/ana"}}
''')
    policy = policy.replace('    chat: "#ops-incidents"\n', f'''    chat: "#ops-incidents"
    channels:
      - {{name: ops webhook, url: "json://127.0.0.1:{port}/ops", drills: {str(drills).lower()}}}
  - id: bob
    name: Bob Stone
    phone: "+44 20 7946 0018"
    channels:
      - {{name: pager relay, url_env: BOB_PAGER_URL}}
''')
    (folder / "policy.yaml").write_text(policy + ESCALATION, encoding="utf-8")
    (folder / "queue-backlog.yaml").write_text(RUNBOOK_TEXT, encoding="utf-8")


def _timeline(journal: Path) -> str:
    done = subprocess.run([RUNBOOK, "timeline", str(journal)], env=env(), text=True, capture_output=True, timeout=TIMEOUT)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def bob_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOB_PAGER_URL", f"json://127.0.0.1:{closed_port()}/bob")  # nobody listens there


@pytest.mark.usefixtures("bob_fails")
def test_each_press_pages_the_next_level_from_a_step_a_decision_and_a_wait(
        work: Path, receiver: tuple[int, list[dict[str, Any]]]) -> None:
    port, got = receiver
    _repo(work, port)
    run = Run(["run", "queue-backlog", "-i", f"workdir={work}"], work, {"USER": "ana", "LOGNAME": "ana"})
    run.answer("Run it? [r]un  [s]kip  [n]ote  [a]bort  [p]age  [?] help:", "p")
    run.expect("Page escalation level 1 of 2: Team lead")
    run.expect(f"Ana Lima: via json://127.0.0.1:{port}")
    run.answer("What do you need from them? (one line, Enter for none):", "a second pair of hands on the consumers")
    run.expect("Escalation Team lead (level 1): Payment queue backlog growing (queue-backlog, service payments).")
    run.expect("The responder is at: Measure the backlog (measure).")
    run.answer("Page them?", "s")
    run.expect(f"ana via json://127.0.0.1:{port}: paged")
    run.expect("Escalation level 1 (Team lead) paged: 1 of 1 deliveries accepted.")
    run.answer("Run it?", "r")

    run.answer("Answer (1-2 or the answer; p to page, ? for help):", "p")  # the decision's prompt
    run.expect("Page escalation level 2 of 2: Operations and the database lead")
    run.expect("Bob Stone: via $BOB_PAGER_URL")
    run.answer("What do you need from them? (one line, Enter for none):", "")
    run.answer("Page them?", "s")
    run.expect("bob via $BOB_PAGER_URL: FAILED after 3 attempt(s)")
    run.expect("Page by hand: Bob Stone")
    run.expect("Escalation level 2 (Operations and the database lead) paged: 1 of 2 deliveries accepted.")
    run.answer("Answer (1-2 or the answer; p to page, ? for help):", "2")

    run.answer("Start waiting?", "w")
    run.expect("(Enter or s to stop waiting, p to page)")
    run.child.sendline("p")  # during the countdown: every level is paged already
    run.expect("Every level of the escalation chain has been paged (the last: Operations and the database lead).")
    run.expect("left")  # the countdown goes on
    run.child.sendline("")
    run.answer("Run it?", "r")
    run.expect("Run completed.")
    assert run.finish() == 0

    assert [m["path"] for m in got] == ["/ana", "/ops"]
    assert {m["title"] for m in got} == {"[P1] Escalation: Payment queue backlog growing"}
    assert "Needed: a second pair of hands on the consumers" in got[0]["message"]
    assert "Paged by ana from runbook run." in got[0]["message"] and "Needed:" not in got[1]["message"]
    assert "The responder is at: Is a consumer stuck? (cause)." in got[1]["message"]
    journal, evts = only_journal(work)
    pages = [(e["level_index"], e["delivered"], e["deliveries"], e["by_hand"], e["step"], e["user"])
             for e in evts if e["type"] == "page"]
    assert pages == [(1, 1, 1, [], "measure", "ana"), (2, 1, 2, ["Bob Stone"], "cause", "ana")]
    deliveries = [(e["recipient"], e["ok"], e["attempts"], e["page"]) for e in evts if e["type"] == "delivery"]
    assert deliveries == [("ana", True, 1, "Team lead"), ("ops-team", True, 1, "Operations and the database lead"),
                          ("bob", False, 3, "Operations and the database lead")]
    text = _timeline(journal)
    assert "Paged escalation level 1 (Team lead): Ana Lima (1 of 1 deliveries accepted)" in text
    assert ("Paged escalation level 2 (Operations and the database lead): Operations team; Bob Stone "
            "(1 of 2 deliveries accepted; by hand: Bob Stone)") in text


@pytest.mark.usefixtures("bob_fails")
def test_the_next_responder_pages_the_level_after_the_one_paged_before_the_hand_off(
        work: Path, receiver: tuple[int, list[dict[str, Any]]]) -> None:
    port, got = receiver
    _repo(work, port)
    ana = Run(["run", "queue-backlog", "-i", f"workdir={work}"], work, {"USER": "ana", "LOGNAME": "ana"})
    ana.answer("Run it?", "p")
    ana.answer("What do you need from them? (one line, Enter for none):", "")
    ana.answer("Page them?", "s")
    ana.expect("paged: 1 of 1 deliveries accepted.")
    ana.expect("Run it?")
    os.kill(ana.child.pid, signal.SIGKILL)
    ana.finish()
    (journal,) = journal_files(work)

    bob = Run(["run", "--resume", str(journal), "--take-over", "--reason", "ana is offline"], work,
              {"USER": "bob", "LOGNAME": "bob"})
    bob.answer("Take over this run as user bob? [y/N]:", "y")
    bob.answer("Run it?", "r")  # measure again: its result was never recorded
    bob.answer("Answer (1-2 or the answer; p to page, ? for help):", "yes")
    bob.answer("Start waiting?", "w")
    bob.expect("p to page)")
    bob.child.sendline("p")  # during the countdown
    bob.expect("Page escalation level 2 of 2: Operations and the database lead")
    bob.answer("What do you need from them? (one line, Enter for none):", "a DBA for the consumer's database")
    bob.answer("Page them?", "s")
    bob.expect("Escalation level 2 (Operations and the database lead) paged: 1 of 2 deliveries accepted.")
    bob.child.sendline("")  # cut the wait short
    bob.answer("Run it?", "r")
    bob.expect("Run completed.")
    assert bob.finish() == 0

    assert [m["path"] for m in got] == ["/ana", "/ops"]
    assert "Paged by bob from runbook run." in got[1]["message"]
    assert "The responder is at: Let the consumers drain the queue (drain)." in got[1]["message"]
    pages = [(e["level_index"], e["user"]) for e in events(journal) if e["type"] == "page"]
    assert pages == [(1, "ana"), (2, "bob")]


def test_a_drill_pages_only_drill_channels_and_a_dry_run_pages_nobody(
        work: Path, receiver: tuple[int, list[dict[str, Any]]], monkeypatch: pytest.MonkeyPatch) -> None:
    port, got = receiver
    _repo(work, port, drills=True)
    monkeypatch.setenv("BOB_PAGER_URL", f"json://127.0.0.1:{port}/bob")  # would arrive, but it is no drill channel
    run = Run(["run", "queue-backlog", "--drill", "-i", f"workdir={work}"], work)
    run.answer("Run it?", "p")
    run.expect("Ana Lima: no drill channel, page by hand: Ana Lima (")
    run.answer("What do you need from them? (one line, Enter for none):", "")
    run.expect("Paged by")
    run.expect("(DRILL: practice only)")
    run.answer("Page them?", "s")
    run.expect("Page by hand: Ana Lima (drill: practice only)")
    run.answer("Nothing was delivered. Did you page them by hand? [y/N]:", "n")
    run.answer("Run it?", "p")  # not paged: the same level again
    run.expect("Page escalation level 1 of 2: Team lead")
    run.answer("What do you need from them? (one line, Enter for none):", "")
    run.answer("Page them?", "m")
    run.expect("Recorded: escalation level 1 (Team lead) paged by hand.")
    run.answer("Run it?", "p")
    run.expect("Operations team: via json://127.0.0.1:")
    run.expect("Bob Stone: no drill channel, page by hand")
    run.answer("What do you need from them? (one line, Enter for none):", "")
    run.answer("Page them?", "s")
    run.expect("Escalation level 2 (Operations and the database lead) paged: 1 of 1 deliveries accepted.")
    run.answer("Run it?", "a")
    assert run.finish() == 1
    assert [(m["path"], m["title"]) for m in got] == [("/ops", "[DRILL] [P1] Escalation: Payment queue backlog growing")]
    journal, evts = only_journal(work)
    pages = [(e["level_index"], e.get("failed"), e["by_hand"], e["drill"]) for e in evts if e["type"] == "page"]
    assert pages == [(1, True, [], True), (1, None, ["Ana Lima"], True), (2, None, ["Bob Stone"], True)]
    text = _timeline(journal)
    assert "Paging escalation level 1 (Team lead) FAILED: nothing was delivered to Ana Lima (drill)" in text
    assert "Paged escalation level 1 (Team lead) by hand: Ana Lima (drill)" in text

    got.clear()
    dry = subprocess.run([RUNBOOK, "run", "queue-backlog", "--dry-run", "-i", f"workdir={work}"], cwd=work,
                         env=env(), text=True, capture_output=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    assert dry.returncode == 0, dry.stderr
    assert "[p]age" not in dry.stdout and got == []
    assert json.dumps(sorted(p.name for p in (work / ".runbook-runs").iterdir())).count(".jsonl\"") == 1

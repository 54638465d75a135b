"""What a responder sees of a targeted step, in a real pseudo-terminal: one compact line per
host as it finishes (status, host, exit code, time, last output line), the batches, and a
summary; then the same results in the journal, and a rollback that undoes the step on exactly
the hosts it succeeded on."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from tests.runner.conftest import FIXTURES, Run, only_journal, pid_gone

pytestmark = pytest.mark.pty
FLEET = FIXTURES / "fleet"
LINE = r"\s+{status}\s+{host}\s+exit {code}\s+\d+\.\d\ds  {last}"


def test_each_host_gets_one_line_and_the_step_a_summary(work: Path) -> None:
    disks = work / "disks"
    disks.mkdir()
    (disks / "fail-web3").touch()
    run = Run(["run", str(FLEET / "runbooks" / "fleet.yaml"), "-i", f"workdir={disks}", "-i", "reason=stale pages"], work)
    run.child.timeout = 120
    run.expect("Step 1/3  look  Look at every web node")
    run.answer("Run it?", "r")
    run.expect("Running on 4 host(s): web1, web2, web3, web4")
    run.expect("[look] 4 host(s): 4 ok, in ")
    for host in ("web1", "web2", "web3", "web4"):  # in the order they finished: any order
        assert re.search(LINE.format(status="ok", host=host, code="0", last=f"node {host} up; reason=stale pages"), run.screen)
    run.expect("Step 2/3  clear  Clear the page cache, one canary node first")
    run.answer("Run it?", "r")
    run.expect("Running on 4 host(s): web1, web2, web3, web4; in 3 batch(es) of 1, 2, 1, stopping when more than 0% "
               "of a batch fails")
    run.expect("batch 1 of 3 (1 host(s))")
    run.child.expect(LINE.format(status="ok", host="web1", code="0", last="clearing on web1"))
    run.expect("batch 2 of 3 (2 host(s))")
    run.expect("[clear] 4 host(s): 2 ok, 1 FAILED, 1 not run, in ")
    batch2 = run.screen.split("batch 2 of 3")[1]
    assert re.search(LINE.format(status="FAILED", host="web3", code="3", last="cache locked on web3"), batch2)
    assert re.search(LINE.format(status="ok", host="web2", code="0", last="clearing on web2"), batch2)
    assert re.search(r"\s+not run\s+web4\s+exit -\s+0.00s\r", batch2)
    run.expect("FAILED: web3: exit code 3, expected 0; the rollout stopped (more than 0% of a batch failed), "
               "1 host(s) not run")
    run.answer("[b]ack out (roll back)  [a]bort: end the run here", "b")
    run.expect("Undo clear on the 2 host(s) it succeeded on (web1, web2): $ rm -f")
    run.answer("Undo clear?", "u")
    run.expect("Undo on 2 host(s): web1, web2")
    run.expect("[clear] 2 host(s): 2 ok")
    run.expect("Rollback step 1/1  tell-db")
    run.answer("Run it?", "r")
    run.expect("[tell-db] 1 host(s): 1 ok")
    run.expect("Rolled back: every undo and rollback step succeeded.")
    assert run.finish() == 1
    screen = run.screen
    assert "batch 3 of 3" not in screen
    assert sorted((disks / "undone").read_text().splitlines()) == ["restored web1", "restored web2"]
    assert not list(disks.glob("*/cleared"))
    assert (disks / "db-note-db1").read_text() == "rolled back\n"
    _, evts = only_journal(work)
    shown = [(e["host"], e["status"]) for e in evts if e["type"] == "host" and e["step"] == "clear" and not e["undo"]]
    assert sorted(shown) == [("web1", "ok"), ("web2", "ok"), ("web3", "failed"), ("web4", "not run")]
    undone = [(e["host"], e["ok"]) for e in evts if e["type"] == "host" and e["step"] == "clear" and e["undo"]]
    assert sorted(undone) == [("web1", True), ("web2", True)]


def test_ctrl_c_stops_the_rollout_and_every_hosts_command(work: Path) -> None:
    """Ansible runs each host's command in a session of its own: Ctrl-C must stop those too, not
    only ansible-playbook."""
    disks = work / "disks"
    disks.mkdir()
    run = Run(["run", str(FLEET / "runbooks" / "slow.yaml"), "-i", f"workdir={disks}"], work)
    run.answer("Run it?", "r")
    run.expect("Running on 4 host(s): web1, web2, web3, web4")
    deadline = time.monotonic() + 60
    while len(list(disks.glob("started-*"))) < 4 and time.monotonic() < deadline:
        time.sleep(0.2)
    commands = [int(p.read_text()) for p in disks.glob("pid-*")]
    assert len(commands) == 4 and not any(pid_gone(pid) for pid in commands)
    run.child.sendintr()
    run.expect("[long-check] 4 host(s): 4 STOPPED")
    run.expect("interrupted by the responder; the commands still running were stopped")
    run.answer("The command was stopped.", "a")
    assert run.finish() == 1
    assert all(pid_gone(pid) for pid in commands)
    assert not list(disks.glob("finished-*"))
    _, evts = only_journal(work)
    command = next(e for e in evts if e["type"] == "command")
    assert command["interrupted"] and not command["ok"] and command["counts"] == {"stopped": 4}


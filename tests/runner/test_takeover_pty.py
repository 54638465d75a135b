"""Hand-off between responders, as two real terminals on one run: ana starts it, bob is refused
while her runner lives, her runner is killed, bob takes over after confirming and finishes; the
journal and the timeline say who did which step."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
from pathlib import Path

import pexpect
import pytest

from tests.runner.conftest import RUNBOOK, RUNBOOKS, TIMEOUT, Run, env, events, journal_files, pid_gone

pytestmark = pytest.mark.pty

ANA = {"USER": "ana", "LOGNAME": "ana"}
BOB = {"USER": "bob", "LOGNAME": "bob"}
HOST = socket.gethostname()


def _ana_at_the_manual_step(work: Path) -> tuple[Run, Path]:
    """ana's runner, two command steps done, waiting at the manual step ``look``."""
    ana = Run(["run", str(RUNBOOKS / "clean.yaml"), "-i", "host=web1", "-i", f"workdir={work}"], work, ANA)
    ana.answer("region - The affected region (eu-west-1/us-east-1) [eu-west-1]:", "")
    ana.answer("Run it?", "r")
    ana.answer("Run it?", "r")
    ana.expect("When it is done:")
    (journal,) = journal_files(work)
    return ana, journal


def _kill(run: Run) -> None:
    os.kill(run.child.pid, signal.SIGKILL)  # the laptop dies: no clean-up at all
    run.finish()
    assert pid_gone(run.child.pid)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_bob_is_refused_while_anas_runner_lives_then_takes_over_and_finishes(work: Path) -> None:
    ana, journal = _ana_at_the_manual_step(work)
    before = journal.read_text(encoding="utf-8")

    refused = Run(["run", "--resume", str(journal), "--take-over"], work, BOB)
    assert refused.finish() == 1
    said = _flat(refused.screen)
    assert f"This run is held by user ana on host {HOST}, pid {ana.child.pid}, since 20" in said
    assert f"That runner is STILL RUNNING on this host (pid {ana.child.pid})" in said
    assert f"runbook run --resume {journal} --take-over --force-take-over" in said
    assert f"kill {ana.child.pid}" in said
    assert journal.read_text(encoding="utf-8") == before  # bob wrote nothing

    _kill(ana)
    bob = Run(["run", "--resume", str(journal), "--take-over"], work, BOB)
    bob.expect(f"This run was last held by user ana on host {HOST}, pid {ana.child.pid}, since 20")
    bob.expect(f"That runner is gone: no process {ana.child.pid} of it runs on this host.")
    bob.expect("Last journal entry: 20")
    bob.answer("Reason for taking over (recorded; Enter for none):", "ana's laptop died")
    bob.answer("Take over this run as user bob? [y/N]:", "y")
    bob.expect("You took the run over from ana.")
    bob.answer("When it is done:", "d")  # look: the step ana was at
    bob.answer("When it is done:", "d")  # tell
    bob.answer("Run it?", "r")  # healthy
    bob.expect("Run completed.")
    assert bob.finish() == 0

    evts = events(journal)
    [handoff] = [e for e in evts if e["type"] == "handoff"]
    assert (handoff["from_user"], handoff["from_host"], handoff["from_pid"]) == ("ana", HOST, ana.child.pid)
    assert (handoff["to_user"], handoff["to_host"], handoff["user"]) == ("bob", HOST, "bob")
    assert handoff["holder"] == f"gone (no process {ana.child.pid} on {HOST})" and handoff["forced"] is False
    assert handoff["reason"] == "ana's laptop died"
    since = handoff["from_since"]  # when ana's runner took the lock, just before it wrote the start
    assert evts[0]["t"][:16] <= since[:16] <= evts[1]["t"][:16] and since.endswith("Z")
    ends = {e["step"]: e["user"] for e in evts if e["type"] == "step_end"}
    assert ends == {"check-host": "ana", "only-for-p1": "ana", "record-version": "ana", "look": "bob", "tell": "bob",
                    "healthy": "bob"}
    [resumed] = [e for e in evts if e["type"] == "resume"]
    assert resumed["next"] == "look" and resumed["user"] == "bob" and resumed["seq"] == handoff["seq"] + 1
    assert [e["step"] for e in evts if e["type"] == "command"] == ["check-host", "record-version", "healthy"]

    md = subprocess.run([RUNBOOK, "timeline", str(journal)], env=env(), text=True, capture_output=True, timeout=TIMEOUT)
    assert md.returncode == 0, md.stderr
    assert "| Responders | ana, bob |" in md.stdout
    assert (f"Hand-off: bob took the run over from ana (on host {HOST}, pid {ana.child.pid}, holding it since "
            f"{since}); their runner: gone") in md.stdout
    assert "; reason: ana's laptop died |" in md.stdout
    assert "| `check-host` | done | 1 | 1 | ana |" in md.stdout and "| `healthy` | done | 1 | 1 | bob |" in md.stdout
    assert "| bob | Run resumed (interactive) by bob at `look` |" in md.stdout
    out = subprocess.run([RUNBOOK, "timeline", str(journal), "--format", "json"], env=env(), text=True,
                         capture_output=True, timeout=TIMEOUT)
    built = json.loads(out.stdout)
    assert built["responders"] == ["ana", "bob"] and built["handoffs"][0]["from"] == "ana"
    assert {r["step"]: r["by"] for r in built["steps"]}["look"] == ["bob"]


def test_a_run_someone_else_held_is_not_resumed_without_take_over(work: Path) -> None:
    ana, journal = _ana_at_the_manual_step(work)
    _kill(ana)
    bob = subprocess.run([RUNBOOK, "run", "--resume", str(journal), "--yes"], cwd=work, env={**env(), **BOB}, text=True,
                         capture_output=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    assert bob.returncode == 1
    said = _flat(bob.stderr)
    assert "It is ana's run" in said and f"To take it over: runbook run --resume {journal} --take-over" in said
    unattended = subprocess.run([RUNBOOK, "run", "--resume", str(journal), "--take-over", "--yes"], cwd=work,
                                env={**env(), **BOB}, text=True, capture_output=True, timeout=TIMEOUT,
                                stdin=subprocess.DEVNULL)
    assert unattended.returncode == 1 and "must be approved explicitly: add --approve-take-over" in _flat(unattended.stderr)
    assert not any(e["type"] == "handoff" for e in events(journal))
    approved = subprocess.run([RUNBOOK, "run", "--resume", str(journal), "--take-over", "--approve-take-over", "--yes",
                               "--ack-manual", "--reason", "night shift"], cwd=work, env={**env(), **BOB}, text=True,
                              capture_output=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    assert approved.returncode == 0, approved.stderr
    [handoff] = [e for e in events(journal) if e["type"] == "handoff"]
    assert handoff["reason"] == "night shift" and handoff["to_user"] == "bob"
    again = subprocess.run([RUNBOOK, "run", "--resume", str(journal), "--yes"], cwd=work, env={**env(), **ANA}, text=True,
                           capture_output=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    assert "this run already completed" in again.stderr


def test_a_forced_take_over_stops_the_live_runner_which_records_the_run_as_interrupted(work: Path) -> None:
    ana, journal = _ana_at_the_manual_step(work)
    bob = Run(["run", "--resume", str(journal), "--take-over", "--force-take-over"], work, BOB)
    bob.expect(f"That runner is STILL RUNNING on this host (pid {ana.child.pid})")
    bob.expect(f"Taking over STOPS that runner (pid {ana.child.pid}, SIGTERM)")
    bob.answer("Reason for taking over (recorded; Enter for none):", "")
    bob.answer("Take over this run as user bob? [y/N]:", "y")
    bob.expect("You took the run over from ana.")
    bob.expect("When it is done:")
    assert ana.finish() == 130  # SIGTERM: ana's runner ended its run as interrupted
    bob.child.sendline("a")
    assert bob.finish() == 1
    evts = events(journal)
    types = [(e["type"], e.get("user")) for e in evts if e["type"] in ("end", "handoff", "resume")]
    assert types == [("end", "ana"), ("handoff", "bob"), ("resume", "bob"), ("end", "bob")]
    [handoff] = [e for e in evts if e["type"] == "handoff"]
    assert handoff["forced"] is True and handoff["holder"] == "running; stopped by this take-over"


def test_a_runner_whose_lock_was_set_aside_stops_before_writing_again(work: Path) -> None:
    """A holder on another host cannot be checked; forcing sets its lock aside, and that runner, if it
    still lives, stops at its next journal entry instead of running steps alongside the new one."""
    ana, journal = _ana_at_the_manual_step(work)
    lock = journal.with_name(journal.name + ".lock")
    info = json.loads(lock.read_text(encoding="utf-8"))
    with lock.open("r+", encoding="utf-8") as f:  # as if ana's runner ran on another machine sharing the folder
        f.write(json.dumps({**info, "host": "laptop-ana"}) + "\n")
    refused = subprocess.run([RUNBOOK, "run", "--resume", str(journal), "--take-over", "--yes"], cwd=work,
                             env={**env(), **BOB}, text=True, capture_output=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    said = _flat(refused.stderr)
    assert refused.returncode == 1
    assert "Whether that runner still runs cannot be checked from here: it ran on host laptop-ana." in said
    assert "Stop it on laptop-ana (Ctrl-C in its terminal, or: kill" in said and "--force-take-over" in said
    bob = Run(["run", "--resume", str(journal), "--take-over", "--force-take-over", "--reason", "ana unreachable"], work, BOB)
    bob.answer("Take over this run as user bob? [y/N]:", "y")
    bob.expect("When it is done:")
    ana.child.sendline("d")
    ana.expect("this run was taken over by user bob on host")
    assert ana.finish() == 1
    bob.child.sendline("a")
    assert bob.finish() == 1
    evts = events(journal)
    assert not any(e["type"] == "step_end" and e["step"] == "look" and e.get("user") == "ana" for e in evts)
    [handoff] = [e for e in evts if e["type"] == "handoff"]
    assert handoff["holder"] == "cannot be checked (host laptop-ana)" and handoff["forced"] is True


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("setpriv") is None,
                    reason="needs root and setpriv to run the second responder as another user")
def test_another_account_takes_over_a_run_kept_in_the_teams_shared_folder() -> None:
    """For real, as two accounts: ana's run (root here) in a set-group-ID folder of the group
    nogroup; bob is the account nobody, in that group. The journal and its lock are group-writable,
    so bob takes the run over and finishes it; in a private folder he could not even lock it."""
    base = Path(tempfile.mkdtemp(prefix="runbook-team-", dir="/tmp"))
    try:
        base.chmod(0o755)
        shared = base / "runs"
        shared.mkdir()
        os.chown(shared, 0, 65534)
        shared.chmod(0o2770)
        scratch = shared / "scratch"  # where the steps write, reachable by both
        scratch.mkdir()
        scratch.chmod(0o2770)
        ana = Run(["run", str(RUNBOOKS / "clean.yaml"), "-i", "host=web1", "-i", f"workdir={scratch}"], base,
                  {**ANA, "RUNBOOK_JOURNAL_DIR": str(shared)})
        ana.answer("region - The affected region (eu-west-1/us-east-1) [eu-west-1]:", "")
        ana.answer("Run it?", "r")
        ana.expect("Run it?")
        (journal,) = sorted(shared.glob("*.jsonl"))
        assert stat.S_IMODE(journal.stat().st_mode) == 0o660 and journal.stat().st_gid == 65534
        _kill(ana)
        nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", RUNBOOK]
        bob = pexpect.spawn(nobody[0], [*nobody[1:], "run", "--resume", str(journal), "--take-over"], cwd=str(shared),
                            env={**env(), **BOB, "HOME": str(shared)}, encoding="utf-8", timeout=TIMEOUT)
        bob.logfile_read = log = io.StringIO()
        bob.expect_exact("That runner is gone")
        bob.expect_exact("Enter for none):")
        bob.sendline("")
        bob.expect_exact("Take over this run as user bob? [y/N]:")
        bob.sendline("y")
        for prompt, reply in (("Run it?", "r"), ("When it is done:", "d"), ("When it is done:", "d"), ("Run it?", "r")):
            try:
                bob.expect_exact(prompt)
            except pexpect.EOF:
                raise AssertionError(log.getvalue()) from None
            bob.sendline(reply)
        bob.expect_exact("Run completed.")  # the screen: log.getvalue()
        bob.expect(pexpect.EOF)
        bob.close()
        assert bob.exitstatus == 0
        evts = events(journal)
        [handoff] = [e for e in evts if e["type"] == "handoff"]
        assert (handoff["from_user"], handoff["to_user"]) == ("ana", "bob")
        assert (scratch / "version.txt").stat().st_uid == 65534  # bob's step ran as bob

        private = base / "private"
        private.mkdir(mode=0o755)
        ana = Run(["run", str(RUNBOOKS / "clean.yaml"), "-i", "host=web1", "-i", f"workdir={scratch}",
                   "--journal-dir", str(private)], base, ANA)
        ana.answer("region - The affected region (eu-west-1/us-east-1) [eu-west-1]:", "")
        ana.expect("Run it?")
        (journal,) = sorted(private.glob("*.jsonl"))
        _kill(ana)
        refused = subprocess.run([*nobody, "run", "--resume", str(journal), "--take-over", "--yes"], cwd=str(shared),
                                 env={**env(), **BOB}, text=True, capture_output=True, timeout=TIMEOUT,
                                 stdin=subprocess.DEVNULL)
        assert refused.returncode == 2
        assert "cannot lock the journal (Permission denied)" in _flat(refused.stderr)
    finally:
        shutil.rmtree(base, ignore_errors=True)

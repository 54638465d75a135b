"""Targeted steps (``targets:``) run for real through ansible-runner, on an inventory of local
aliases (``ansible_connection=local``): no SSH, no network.  Each "host" writes into its own
folder under the test's scratch directory, so what ran where is visible on disk.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from tests.runner.conftest import FIXTURES, RUNBOOK, Run, env, events, group_gone, journal_files, only_journal, pid_gone
from validator.secrets import MASK

FLEET = FIXTURES / "fleet"
TIMEOUT = 240  # Ansible starts a few Python processes per step; a busy CI machine is slow


def run(work: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([RUNBOOK, "run", *args], cwd=work, env=env(), capture_output=True, text=True,
                          timeout=TIMEOUT, check=False)


def hosts_of(evts: list[dict[str, Any]], step: str) -> list[dict[str, Any]]:
    return [e for e in evts if e["type"] == "host" and e["step"] == step]


@pytest.fixture
def disks(work: Path) -> Path:
    """The hosts' "disks": one folder, each host writes under its own name."""
    folder = work / "disks"
    folder.mkdir()
    return folder


def test_every_host_runs_and_every_result_is_journalled(work: Path, disks: Path) -> None:
    proc = run(work, str(FLEET / "runbooks" / "fleet.yaml"), "--yes", "-i", f"workdir={disks}")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    web = ["web1", "web2", "web3", "web4"]
    assert sorted(p.name for p in disks.iterdir()) == web
    assert all((disks / h / "cleared").read_text() == "stale pages\n" for h in web)
    path, evts = only_journal(work)
    for step in ("look", "clear", "cleared-everywhere"):
        mine = hosts_of(evts, step)
        assert sorted(e["host"] for e in mine) == web and all(e["ok"] and e["exit_code"] == 0 for e in mine), step
        command = next(e for e in evts if e["type"] == "command" and e["step"] == step)
        assert command["ok"] and command["counts"] == {"ok": 4} and command["pattern"] == "web"
    assert "node web3 up; reason=stale pages" in next(e["output"] for e in hosts_of(evts, "look") if e["host"] == "web3")
    assert next(e for e in evts if e["type"] == "inventory")["origin"] == "the policy's inventory"
    assert "[look] 4 host(s): 4 ok" in proc.stdout
    timeline = subprocess.run([RUNBOOK, "timeline", str(path)], capture_output=True, text=True, timeout=60, check=True).stdout
    assert "`clear` on web2: ok, exit 0 in " in timeline and "clearing on web2" in timeline
    assert "`clear` attempt 1 on 4 host(s) of `web`" in timeline
    assert "| `clear` | done (4 of 4 hosts ok) |" in timeline


def test_a_failed_batch_stops_the_rollout_and_a_resume_finishes_it(work: Path, disks: Path) -> None:
    """serial [1, "50%"] on four hosts: web1 alone (the canary), then web2 and web3, then web4.
    web3 fails; with max_fail_percentage 0 the rollout stops before web4.  Once fixed, a resume
    runs the step on the hosts it has not succeeded on, and only on them."""
    (disks / "fail-web3").touch()
    proc = run(work, str(FLEET / "runbooks" / "fleet.yaml"), "--yes", "-i", f"workdir={disks}")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert sorted(p.parent.name for p in disks.glob("*/cleared")) == ["web1", "web2"]
    path, evts = only_journal(work)
    clear = {e["host"]: e for e in hosts_of(evts, "clear")}
    assert {h: (e["status"], e["exit_code"]) for h, e in clear.items()} == {
        "web1": ("ok", 0), "web2": ("ok", 0), "web3": ("failed", 3), "web4": ("not run", None)}
    assert "cache locked on web3" in clear["web3"]["output"]
    assert clear["web1"]["seq"] < min(clear["web2"]["seq"], clear["web3"]["seq"])  # the canary finished first
    lines = proc.stdout.splitlines()
    batch = [i for i, ln in enumerate(lines) if "batch " in ln and " of 3 " in ln]
    web1 = next(i for i, ln in enumerate(lines) if ln.strip().startswith("ok") and " web1 " in ln and i > batch[0])
    assert len(batch) == 2 and batch[0] < web1 < batch[1], proc.stdout  # batch 3 never started
    command = next(e for e in evts if e["type"] == "command" and e["step"] == "clear")
    assert not command["ok"] and command["counts"] == {"ok": 2, "failed": 1, "not run": 1}
    assert "web3: exit code 3, expected 0" in command["reason"] and "1 host(s) not run" in command["reason"]
    assert "FAILED      web3" in proc.stdout and "not run     web4" in proc.stdout

    (disks / "fail-web3").unlink()
    again = run(work, "--resume", str(path), "--yes")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Already done on 2 host(s) (web1, web2); running on the 2 other(s)." in again.stdout
    after = events(path)[len(evts):]
    assert sorted(e["host"] for e in hosts_of(after, "clear")) == ["web3", "web4"]
    assert sorted(p.parent.name for p in disks.glob("*/cleared")) == ["web1", "web2", "web3", "web4"]
    assert len(hosts_of(after, "cleared-everywhere")) == 4


def test_values_reach_the_hosts_as_text_and_secrets_stay_masked(work: Path) -> None:
    marker = work / "pwned"
    hostile = (f"$(touch {marker}1) `touch {marker}2` \"; touch {marker}3; echo \" '; touch {marker}4; echo ' "
               f"{{{{ lookup('pipe', 'touch {marker}5') }}}} {{% raw %}}")
    token = "tok-9f8e7d6c5b4a"
    proc = run(work, str(FLEET / "runbooks" / "values.yaml"), "--yes", "-i", f"note={hostile}", "-i", f"token={token}")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not list(work.glob("pwned*")), "a value ran as code"
    path, evts = only_journal(work)
    echoed = hosts_of(evts, "echo-values")
    assert sorted(e["host"] for e in echoed) == ["web1", "web2"]
    for e in echoed:
        assert f"note on {e['host']}: {hostile}" in e["output"]
        assert f"single: {hostile}" in e["output"] and f"reparsed: {hostile}" in e["output"]
        assert f"token is {MASK}" in e["output"]
    script = hosts_of(evts, "script-values")
    assert [e["host"] for e in script] == ["db1"]
    assert script[0]["output"].splitlines() == [f"[{hostile}]", "[host=db1]", "[{{ 6 * 7 }}]",
                                                f"script ran on db1 with MODE={hostile}"]
    assert token not in path.read_text(encoding="utf-8") and token not in proc.stdout


def test_a_dry_run_shows_each_targeted_steps_hosts_and_batches(work: Path, tmp_path: Path) -> None:
    proc = run(work, str(FLEET / "runbooks" / "fleet.yaml"), "--dry-run", "-i", "workdir=/nowhere")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    flat = " ".join(proc.stdout.split())
    assert "Runs on 4 host(s): web1, web2, web3, web4 (inventory" in flat
    assert "Runs on 4 host(s): web1, web2, web3, web4; in 3 batch(es) of 1, 2, 1, stopping when more than 0% of a " \
           "batch fails" in flat
    assert "Runs on 1 host(s): db1" in flat  # the rollback step
    other = tmp_path / "small.yaml"
    other.write_text("all:\n  children:\n    web:\n      hosts:\n        edge-7:\n", encoding="utf-8")
    proc = run(work, str(FLEET / "runbooks" / "fleet.yaml"), "--dry-run", "-i", "workdir=/nowhere", "--inventory", str(other))
    flat = " ".join(proc.stdout.split())
    assert "Runs on 1 host(s): edge-7 (inventory" in flat and "--inventory)" in flat
    assert "Runs on 'db': NO HOST of" in flat and "a real run fails here" in flat
    assert journal_files(work) == []


def test_a_drill_simulates_every_host_and_runs_nothing(work: Path, disks: Path) -> None:
    proc = run(work, str(FLEET / "runbooks" / "fleet.yaml"), "--drill", "--yes", "-i", f"workdir={disks}")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert list(disks.iterdir()) == []
    _, evts = only_journal(work)
    clear = hosts_of(evts, "clear")
    assert sorted(e["host"] for e in clear) == ["web1", "web2", "web3", "web4"]
    assert all(e["drill"] and e["output"] == "cleared" for e in clear)
    assert not any(e["type"] == "run" for e in evts)  # nothing was started


def test_a_pattern_that_matches_no_host_fails_the_step(work: Path, tmp_path: Path) -> None:
    other = tmp_path / "only-db.ini"
    other.write_text("db1 ansible_connection=local\n", encoding="utf-8")
    proc = run(work, str(FLEET / "runbooks" / "fleet.yaml"), "--yes", "-i", "workdir=/nowhere", "--inventory", str(other))
    assert proc.returncode == 1
    _, evts = only_journal(work)
    command = next(e for e in evts if e["type"] == "command")
    assert command["step"] == "look" and not command["ok"]
    assert command["reason"] == f"'web' matches no host of the inventory {other}"
    assert not [e for e in evts if e["type"] == "host"]
    assert os.environ.get("RUNBOOK_DEBUG") is None


def test_a_drill_fails_the_hosts_its_simulation_names_and_stops_the_rollout(work: Path, tmp_path: Path) -> None:
    copy = tmp_path / "fleet"
    shutil.copytree(FLEET, copy)
    book = copy / "runbooks" / "fleet.yaml"
    text = book.read_text(encoding="utf-8")
    assert "      output: cleared\n" in text
    book.write_text(text.replace("      output: cleared\n", "      output: cleared\n      hosts:\n"
                                 "        web2: {exit_code: 3, output: cache locked on web2}\n", 1), encoding="utf-8")
    proc = run(work, str(book), "--drill", "--yes", "-i", "workdir=/nowhere")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    _, evts = only_journal(work)
    clear = {e["host"]: (e["status"], e["exit_code"], e["output"]) for e in hosts_of(evts, "clear")}
    assert clear == {"web1": ("ok", 0, "cleared"), "web2": ("failed", 3, "cache locked on web2"),
                     "web3": ("ok", 0, "cleared"), "web4": ("not run", None, "")}
    assert not any(e["type"] == "run" for e in evts)


def test_a_rollout_left_running_by_a_killed_runner_is_stopped_on_resume(work: Path, disks: Path) -> None:
    """kill -9 of the runner leaves ansible-playbook running (it has a terminal of its own); the
    journal named its process group, so --resume stops it before anything else."""
    proc = subprocess.Popen([RUNBOOK, "run", str(FLEET / "runbooks" / "slow.yaml"), "--yes", "-i", f"workdir={disks}"],
                            cwd=work, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + TIMEOUT
        while len(list(disks.glob("started-*"))) < 4 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(list(disks.glob("started-*"))) == 4
        path = journal_files(work)[0]
        execs = [e for e in events(path) if e["type"] == "exec"]
        assert len(execs) == 1 and execs[0]["step"] == "long-check"
        group = execs[0]["pid"]
    finally:
        proc.kill()
        proc.wait()
    assert not group_gone(group)  # the rollout goes on without the runner
    resume = Run(["run", "--resume", str(path), "--yes"], work)
    resume.expect(f"Stopped the command left running by the interrupted run (process group {group}).")
    resume.child.terminate(force=True)
    deadline = time.monotonic() + 10
    while not group_gone(group) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert group_gone(group)
    commands = [int(p.read_text()) for p in disks.glob("pid-*")]
    assert len(commands) == 4 and all(pid_gone(pid) for pid in commands)  # each in a session of Ansible's own
    assert not list(disks.glob("finished-*"))
    orphan = next(e for e in events(path) if e["type"] == "orphan")
    assert orphan["pid"] == group and orphan["killed"]


def test_without_an_inventory_a_targeted_step_fails_and_says_how_to_give_one(work: Path, tmp_path: Path) -> None:
    copy = tmp_path / "fleet"
    shutil.copytree(FLEET, copy)
    policy = copy / "runbooks" / "policy.yaml"
    policy.write_text(policy.read_text(encoding="utf-8").replace("inventory: ../inventory/hosts.ini\n", ""),
                      encoding="utf-8")
    proc = run(work, str(copy / "runbooks" / "fleet.yaml"), "--yes", "-i", "workdir=/nowhere")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    _, evts = only_journal(work)
    command = next(e for e in evts if e["type"] == "command")
    assert command["step"] == "look" and not command["ok"]
    assert command["reason"] == ("step look runs on hosts ('web'), and no inventory was given: pass --inventory, or set "
                                 "inventory in the policy or the lint configuration")
    assert not [e for e in evts if e["type"] in ("run", "inventory")]


def test_host_names_in_the_play_are_never_templated(tmp_path: Path) -> None:
    """A host name comes from the inventory or, for an undo after a resume, from the journal: it is
    put in the play as text Ansible never templates."""
    from validator.runner import remote

    marker = tmp_path / "pwned"
    hostile = f"{{{{ lookup('pipe', 'touch {marker}') }}}}"
    job = remote.Job("shell", "echo hi", ["web1", hostile], FLEET / "inventory" / "hosts.ini")
    seen: list[str] = []
    rollout = remote.run(job, lambda r: seen.append(r.host))
    assert seen == ["web1"] and not marker.exists()
    assert [(r.host, r.status) for r in rollout.hosts] == [("web1", "ok"), (hostile, "not run")]



def test_an_inventory_given_to_the_run_is_the_one_its_steps_are_checked_against(work: Path, disks: Path,
                                                                               tmp_path: Path) -> None:
    """The policy's inventory calls the web group "frontend", so lint's S430 refuses the run; a
    responder who names the inventory that has a web group runs it, on that inventory's hosts."""
    copy = tmp_path / "fleet"
    shutil.copytree(FLEET, copy)
    hosts = copy / "inventory" / "hosts.ini"
    hosts.write_text(hosts.read_text(encoding="utf-8").replace("[web]", "[frontend]"), encoding="utf-8")
    book = str(copy / "runbooks" / "fleet.yaml")
    refused = run(work, book, "--yes", "-i", f"workdir={disks}")
    assert refused.returncode == 1 and "error S430 step 'look' targets 'web'" in refused.stderr
    staging = tmp_path / "staging.ini"
    staging.write_text("[web]\nweb1\nweb2\n[db]\ndb1\n[all:vars]\nansible_connection=local\n"
                       'ansible_python_interpreter="{{ ansible_playbook_python }}"\n', encoding="utf-8")
    proc = run(work, book, "--yes", "-i", f"workdir={disks}", "--inventory", str(staging))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert sorted(p.name for p in disks.iterdir()) == ["web1", "web2"]
    _, evts = only_journal(work)
    assert next(e for e in evts if e["type"] == "inventory")["path"] == str(staging)

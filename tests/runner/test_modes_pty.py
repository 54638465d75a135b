"""Modes and the pre-flight check: dry run, drill, --yes with and without --ack-manual,
--start-at, no terminal, invalid runbooks and lint errors (--force)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.runner.conftest import FIXTURES, RUNBOOK, RUNBOOKS, Run, env, journal_files, kinds, only_journal

pytestmark = pytest.mark.pty


def test_dry_run_shows_every_step_and_runs_nothing(work: Path) -> None:
    run = Run(["run", str(RUNBOOKS / "clean.yaml"), "--dry-run", "-i", "host=web1"], work)
    for number, step in enumerate(["check-host", "only-for-p1", "record-version", "look", "tell", "healthy"], 1):
        run.expect(f"Step {number}/6")
        run.expect(step)
    run.expect("Dry run finished: nothing was run and no journal was written.")
    assert run.finish() == 0
    screen = run.screen
    # the P1-only step is shown with its condition and its command: a dry run shows every step
    assert "Runs only when: severity in [P1]  (with the severity and inputs given: a real run skips it)" in screen
    assert "$ touch '<workdir>'/paged\r\n  (timeout 5m)\r\n(dry run: not run)" in screen
    assert "$ echo healthy web1" in screen and screen.count("(dry run: not run)") == 6
    assert "Subject: [P2] Web tier returns errors" in screen
    assert not (work / ".runbook-runs").exists()
    assert "checking web1 in eu-west-1\r\n" not in screen.replace('"', "")


def test_drill_simulates_every_command_and_follows_the_branches(work: Path) -> None:
    run = Run(["run", str(RUNBOOKS / "drill.yaml"), "--drill", "--yes", "--ack-manual", "-i", f"workdir={work}"], work)
    run.expect("DRILL: commands are simulated")
    run.expect("Captured lag = 3")
    run.expect("promotion refused")
    run.expect("promote failed; going to check-replica (1 of at most 1).")
    run.expect("go-to check-replica was already taken 1 time(s) (max 1); the run stops here.")
    assert run.finish() == 1
    assert not list(work.glob("ran-*")), "a drill must not run the real commands"
    path, evts = only_journal(work)
    assert path.name.endswith("-drill.jsonl")
    assert evts[0]["drill"] is True and evts[0]["mode"] == "yes"
    commands = [(e["step"], e["attempt"], e["exit_code"], e["output"], e["drill"]) for e in evts if e["type"] == "command"]
    assert commands == [
        ("check-replica", 1, 0, "lag_seconds=3\n", True),
        ("promote", 1, 3, "promotion refused\n", True), ("promote", 2, 3, "promotion refused\n", True),
        ("check-replica", 1, 0, "lag_seconds=3\n", True),
        ("promote", 1, 3, "promotion refused\n", True), ("promote", 2, 3, "promotion refused\n", True),
    ]
    assert [(e["step"], e["outcome"]) for e in evts if e["type"] == "step_end"] == [
        ("check-replica", "done"), ("announce", "acknowledged"), ("promote", "failed"),
        ("check-replica", "done"), ("announce", "acknowledged"), ("promote", "failed")]
    gotos = [(e["taken"], e.get("refused", False)) for e in evts if e["type"] == "goto"]
    assert gotos == [(1, False), (1, True)]
    assert evts[-1]["outcome"] == "failed" and "already taken" in evts[-1]["reason"]
    assert "exec" not in {e["type"] for e in evts}


def test_yes_mode_stops_at_a_manual_step_unless_acknowledged(work: Path) -> None:
    run = Run(["run", str(RUNBOOKS / "clean.yaml"), "--yes", "-i", "host=web1", "-i", f"workdir={work}"], work)
    run.expect("Stopped at look: a person must do this step (pass --ack-manual to acknowledge manual steps).")
    assert run.finish() == 1
    path, evts = only_journal(work)
    assert [(e["step"], e["outcome"]) for e in evts if e["type"] == "step_end"] == [
        ("check-host", "done"), ("only-for-p1", "skipped"), ("record-version", "done"), ("look", "stopped")]
    assert evts[-1]["outcome"] == "stopped" and evts[-2]["next"] == "look"  # a resume starts at the stopped step

    again = Run(["run", "--resume", str(path), "--yes", "--ack-manual"], work)
    again.expect("Step 4/6  look")
    again.expect("Run completed.")
    assert again.finish() == 0
    tail = kinds([e for e in _read(path) if e["seq"] > evts[-1]["seq"]])
    assert [k for k in tail if k.startswith(("step_end", "message", "resume", "end"))] == [
        "resume", "step_end:look", "message:tell", "step_end:tell", "step_end:healthy", "end"]


def test_start_at_begins_at_the_named_step(work: Path) -> None:
    run = Run(["run", str(RUNBOOKS / "retry-goto.yaml"), "--yes", "--start-at", "done", "-i", f"workdir={work}"], work)
    run.expect("Step 3/3  done")
    run.expect("Run completed.")
    assert run.finish() == 0
    _, evts = only_journal(work)
    assert evts[0]["first"] == "done"
    assert [e["step"] for e in evts if e["type"] == "step_start"] == ["done"]
    assert not (work / "restarts").exists()


def test_unknown_start_step_is_a_usage_error(work: Path) -> None:
    done = subprocess.run([RUNBOOK, "run", str(RUNBOOKS / "retry-goto.yaml"), "--yes", "--start-at", "nope",
                           "-i", f"workdir={work}"], cwd=work, env=env(), capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "--start-at nope: no such step in retry-goto (steps: restart, check, done)" in done.stderr


def test_without_a_terminal_it_refuses_to_ask_questions(work: Path) -> None:
    done = subprocess.run([RUNBOOK, "run", str(RUNBOOKS / "clean.yaml")], cwd=work, env=env(), stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "needs a terminal to ask questions; use --yes (unattended) or --dry-run" in done.stderr
    assert not (work / ".runbook-runs").exists()


def test_invalid_runbook_is_refused_with_located_findings(work: Path) -> None:
    done = subprocess.run([RUNBOOK, "run", str(FIXTURES / "invalid" / "broken.yaml"), "--yes", "--force"], cwd=work, env=env(),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "is not a valid runbook:" in done.stderr
    assert "broken.yaml:1:1: error F002 the document is missing the required key 'service'" in done.stderr
    assert "broken.yaml:8:17: error F005" in done.stderr
    assert "Traceback" not in done.stderr and not journal_files(work)


def test_lint_errors_refuse_the_run_unless_forced(work: Path) -> None:
    args = [RUNBOOK, "run", str(FIXTURES / "lint" / "inline-password.yaml"), "--yes", "-i", f"workdir={work}"]
    refused = subprocess.run(args, cwd=work, env=env(), capture_output=True, text=True, timeout=60)
    assert refused.returncode == 1
    assert "1 lint error(s) make this run unsafe (pass --force to run it anyway" in refused.stderr
    assert "inline-password.yaml:13:" in refused.stderr and "K501" in refused.stderr
    assert "hunter2" not in refused.stderr + refused.stdout
    assert not (work / "connected").exists()
    forced = subprocess.run([*args, "--force"], cwd=work, env=env(), capture_output=True, text=True, timeout=60)
    assert forced.returncode == 0, forced.stderr
    assert (work / "connected").exists()
    assert "hunter2" not in forced.stdout and "hunter2" not in journal_files(work)[0].read_text()


def test_runbook_found_by_id_under_path(work: Path) -> None:
    run = Run(["run", "retry-goto", "--path", str(RUNBOOKS), "--dry-run"], work)
    run.expect("Worker stuck after a deploy  (retry-goto, service worker)")
    assert run.finish() == 0
    done = subprocess.run([RUNBOOK, "run", "no-such-runbook", "--path", str(RUNBOOKS), "--dry-run"], cwd=work, env=env(),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "no runbook 'no-such-runbook'" in done.stderr and "retry-goto" in done.stderr


def _read(path: Path) -> list[dict[str, object]]:
    from tests.runner.conftest import events

    return events(path)


def test_severity_override_changes_the_clock_and_conditions(work: Path) -> None:
    run = Run(["run", str(RUNBOOKS / "clean.yaml"), "--dry-run", "--severity", "P1", "-i", "host=web1"], work)
    run.expect("Severity P1 (Critical): respond within 5m, resolve within 1h, status update every 30m")
    run.expect("Step 2/6  only-for-p1")
    run.expect("Runs only when: severity in [P1]  (with the severity and inputs given: runs)")  # the P1-only step applies
    assert run.finish() == 0
    done = subprocess.run([RUNBOOK, "run", str(RUNBOOKS / "clean.yaml"), "--dry-run", "--severity", "P9"], cwd=work, env=env(),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "severity 'P9' is not defined in policy 'runner-tests' (levels: P1, P2)" in done.stderr


def test_unwritable_journal_folder_is_a_clear_usage_error(work: Path) -> None:
    blocker = work / "not-a-folder"
    blocker.write_text("")
    done = subprocess.run([RUNBOOK, "run", str(RUNBOOKS / "retry-goto.yaml"), "--yes", "--journal-dir", str(blocker / "runs"),
                           "-i", f"workdir={work}"], cwd=work, env=env(), capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "cannot write the run journal there" in done.stderr and "Traceback" not in done.stderr
    assert not (work / "restarts").exists()


def test_unattended_drill_takes_input_examples_and_needs_ack_for_destructive_steps(work: Path) -> None:
    args = ["run", str(RUNBOOKS / "drill-ci.yaml"), "--drill", "--yes", "-i", f"workdir={work}"]
    stopped = Run(args, work)
    stopped.expect("input region = us-east-1")
    stopped.expect("Stopped at purge: in a drill a destructive step runs unattended only with --ack-manual.")
    assert stopped.finish() == 1

    run = Run([*args, "--ack-manual"], work)
    run.expect("(drill: no simulated result declared; counted as success)")
    run.expect("purged us-east-1")
    run.expect("Run completed.")
    assert run.finish() == 0
    assert not (work / "purged").exists() and not (work / "reported").exists()
    path = max(journal_files(work))
    evts = _read(path)
    assert evts[1]["values"]["region"] == "us-east-1"
    commands = [(e["step"], e["ok"], e["drill"]) for e in evts if e["type"] == "command"]
    assert commands == [("purge", True, True), ("report", True, True)]


def test_dry_run_does_not_guess_conditions_on_captured_outputs(work: Path) -> None:
    run = Run(["run", str(RUNBOOKS / "drill.yaml"), "--dry-run"], work)
    run.expect("Step 3/3  promote")
    run.expect("Runs only when: outputs.lag < 10  (not evaluated: outputs.lag unknown before the run)")
    run.expect("(dry run: not run)")
    assert run.finish() == 0


def test_unattended_secret_from_the_environment_is_used_and_never_written(work: Path) -> None:
    token = "tok-from-env-789"
    environment = {**env(), "RUNBOOK_INPUT_API_TOKEN": token}
    done = subprocess.run([RUNBOOK, "run", str(RUNBOOKS / "secret.yaml"), "--yes", "-i", f"workdir={work}"], cwd=work,
                          env=environment, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert (work / "used").read_text() == f"using sess-{token[::-1]}\n"
    written = journal_files(work)[0].read_text()
    for leaked in (token, token[::-1]):
        assert leaked not in done.stdout + done.stderr and leaked not in written

"""The real ``runbook run`` in a pseudo-terminal: every path a responder takes at 3 a.m.

Each test reads the journal back and checks it event by event; none asserts on time.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.runner.conftest import RUNBOOKS, Run, kinds, only_journal

pytestmark = pytest.mark.pty


def test_clean_run_walks_every_kind_of_step(work: Path) -> None:
    run = Run(["run", str(RUNBOOKS / "clean.yaml"), "-i", "host=web1", "-i", f"workdir={work}"], work)
    run.expect("Severity P2 (Major): respond within 15m, resolve within 4h, status update every 1h")
    run.expect("Step check-host needs input region.")  # asked when the first step that uses it comes up
    run.answer("region - The affected region (eu-west-1/us-east-1) [eu-west-1]:", "mars")
    run.expect("region: 'mars' is not one of: eu-west-1, us-east-1; try again.")
    run.answer("region - The affected region (eu-west-1/us-east-1) [eu-west-1]:", "")
    run.expect("responded | 4h to resolve | update in 1h")  # typing the region was the first answer
    run.expect("Step 1/6  check-host  Check the host answers")
    run.expect("risk: read-only")
    run.expect("phase: triage  owner: On-call engineer ([o] for contacts)")
    run.expect('$ echo "checking web1 in eu-west-1" && printf')
    run.answer("[r]un  [s]kip  [n]ote  [a]bort  [o]wner  [?] help:", "o")
    run.expect("On-call engineer: Ana Lima (@ana, ana.lima@example.com, pagerduty:PANA001)")
    run.answer("[r]un  [s]kip  [n]ote  [a]bort  [o]wner  [?] help:", "r")
    run.expect("checking web1 in eu-west-1")
    run.expect("Captured version = 1.4.2")
    run.expect("Step 2/6  only-for-p1  Page the database team: skipped, condition 'severity in [P1]' is false")
    run.expect("Step 3/6  record-version")
    run.answer("Run it?", "r")
    run.expect("Step 4/6  look  Look at the dashboards")
    run.expect("To do: Open the web dashboard")
    run.answer("When it is done:", "n")
    run.answer("Note:", "errors since 02:10 on the dashboard")
    run.answer("When it is done:", "d")
    run.expect("Step 5/6  tell  Tell the incident channel")
    run.expect("Subject: [P2] Web tier returns errors")
    run.expect("Current step: Tell the incident channel. Region: eu-west-1.")
    run.expect("send to: Operations team (#ops-incidents) via chat")
    run.answer("When it is done:", "d")
    run.expect("Step 6/6 [verify]  healthy")
    run.answer("Run it?", "?")
    run.expect("Destructive steps ask you to type the step id")
    run.answer("Run it?", "r")
    run.expect("Run completed.")
    run.expect("| responded | resolved after ")
    run.expect("post-incident: File the incident report in the tracker")  # the policy's first,
    run.expect("post-incident: Write the timeline")  # then the runbook's (a repeat is listed once)
    assert run.finish() == 0
    assert run.screen.count("post-incident: Write the timeline") == 1  # the policy's copy is not repeated

    assert (work / "version.txt").read_text() == "1.4.2\n"
    assert not (work / "paged").exists()
    _, evts = only_journal(work)
    assert kinds(evts) == [
        "start", "inputs", "input:check-host",  # the region is asked when check-host needs it: the first answer
        "milestone:responded", "step_start:check-host", "answer:check-host", "run:check-host", "exec:check-host",
        "command:check-host", "step_end:check-host",
        "step_start:only-for-p1", "skipped:only-for-p1", "step_end:only-for-p1",
        "step_start:record-version", "answer:record-version", "run:record-version", "exec:record-version",
        "command:record-version", "step_end:record-version",
        "step_start:look", "answer:look", "note:look", "answer:look", "step_end:look",
        "step_start:tell", "answer:tell", "message:tell", "step_end:tell",
        "step_start:healthy", "answer:healthy", "run:healthy", "exec:healthy", "command:healthy", "step_end:healthy",
        "milestone:resolved", "end",
    ]
    start, inputs = evts[0], evts[1]
    assert (start["runbook"], start["severity"], start["mode"], start["drill"]) == ("clean", "P2", "interactive", False)
    assert start["targets"] == {"respond": "15m", "resolve": "4h", "update_every": "1h", "escalate_after": None}
    assert inputs["values"] == {"host": "web1", "workdir": str(work)}  # region is asked when check-host needs it
    assert (evts[2]["name"], evts[2]["value"]) == ("region", "eu-west-1")
    seqs = [e["seq"] for e in evts]
    del evts[2]
    check = evts[7]
    assert check["exit_code"] == 0 and check["ok"] is True
    assert check["output"] == "checking web1 in eu-west-1\nversion=1.4.2\n"
    assert evts[8]["outputs"] == {"version": "1.4.2"} and evts[8]["next"] == "only-for-p1"
    assert evts[10]["reason"] == "condition 'severity in [P1]' is false"
    assert evts[20]["text"] == "errors since 02:10 on the dashboard"
    assert "Region: eu-west-1" in evts[25]["body"] and evts[25]["to"] == ["Operations team (#ops-incidents) via chat"]
    assert evts[-2]["met"] is True and evts[-1]["outcome"] == "completed"
    assert seqs == list(range(1, len(seqs) + 1))


def test_injection_attempt_in_an_input_runs_no_shell(work: Path) -> None:
    hostile = "x; touch pwned $(touch pwned2) `touch pwned3` \"; touch pwned4; \" ' ; touch pwned5 '"
    run = Run(["run", str(RUNBOOKS / "clean.yaml"), "-i", f"host={hostile}", "-i", f"workdir={work}",
               "-i", "region=us-east-1"], work)
    run.answer("Run it?", "r")
    run.expect(f"checking {hostile} in us-east-1")
    run.answer("Run it?", "s")
    run.answer("Why skip it?", "nothing to record")
    run.answer("When it is done:", "a")
    run.expect("Aborted at look.")
    assert run.finish() == 1
    assert not any(p.name.startswith("pwned") for p in work.rglob("*")), list(work.rglob("*"))
    assert not any(p.name.startswith("pwned") for p in RUNBOOKS.parent.rglob("*"))
    _, evts = only_journal(work)
    skipped = [e for e in evts if e["type"] == "skipped"]
    assert [(e["step"], e["by"], e["reason"]) for e in skipped] == [
        ("only-for-p1", "condition", "condition 'severity in [P1]' is false"),
        ("record-version", "responder", "nothing to record"),
    ]
    command = next(e for e in evts if e["type"] == "command")
    assert command["output"].startswith(f"checking {hostile} in us-east-1\n")
    assert evts[-1]["type"] == "end" and evts[-1]["outcome"] == "aborted"
    assert not (work / "version.txt").exists()


def test_failing_command_retries_then_goes_to_an_earlier_step(work: Path) -> None:
    run = Run(["run", str(RUNBOOKS / "retry-goto.yaml"), "-i", f"workdir={work}"], work)
    run.expect("Step 1/3  restart")
    run.answer("Run it?", "r")
    run.expect("Step 2/3  check")
    run.answer("Run it?", "r")
    run.expect("FAILED: exit code 1, expected 0")
    run.expect("Retrying in 0s (attempt 2 of 2)")
    run.expect("check failed; going to restart (1 of at most 2).")
    run.expect("Step 1/3  restart")
    run.answer("Run it?", "r")
    run.expect("Warning: restart already ran 1 time(s) and is not idempotent.")
    run.answer("Run it again? [y/N]", "y")
    run.expect("Step 2/3  check")
    run.answer("Run it?", "r")
    run.expect("Step 3/3  done")
    run.answer("Run it?", "r")
    run.expect("Run completed.")
    assert run.finish() == 0
    assert (work / "restarts").read_text() == "restart\nrestart\n"
    assert (work / "all-clear").exists()
    _, evts = only_journal(work)
    body = [k for k in kinds(evts) if not k.startswith(("run:", "exec:", "answer:", "milestone:"))]
    assert body == [
        "start", "inputs",
        "step_start:restart", "command:restart", "step_end:restart",
        "step_start:check", "command:check", "command:check", "failure:check", "goto:check", "step_end:check",
        "step_start:restart", "warning:restart", "command:restart", "step_end:restart",
        "step_start:check", "command:check", "step_end:check",
        "step_start:done", "command:done", "step_end:done", "end",
    ]
    checks = [e for e in evts if e["type"] == "command" and e["step"] == "check"]
    assert [(e["attempt"], e["exit_code"], e["ok"]) for e in checks] == [(1, 1, False), (2, 1, False), (1, 0, True)]
    goto = next(e for e in evts if e["type"] == "goto")
    assert (goto["target"], goto["taken"], goto["max"]) == ("restart", 1, 2)
    failed_end = next(e for e in evts if e["type"] == "step_end" and e["step"] == "check")
    assert (failed_end["outcome"], failed_end["next"]) == ("failed", "restart")


def test_destructive_step_is_refused_until_its_id_is_typed(work: Path) -> None:
    run = Run(["run", str(RUNBOOKS / "destructive.yaml"), "-i", f"workdir={work}"], work)
    run.expect("RISK: DESTRUCTIVE")
    run.answer("Run it?", "r")
    run.answer("This step is DESTRUCTIVE. Type the step id (drop-cache) to run it:", "yes")
    run.expect("Not confirmed: the step did not run.")
    run.answer("Run it?", "r")
    run.answer("Type the step id (drop-cache) to run it:", "drop-cache")
    run.expect("[drop-cache] exit 0")
    run.expect("Run completed.")
    assert run.finish() == 0
    assert (work / "dropped").exists()
    _, evts = only_journal(work)
    confirms = [(e["confirmed"], e["typed"]) for e in evts if e["type"] == "confirm"]
    assert confirms == [(False, "(mismatch)"), (True, "drop-cache")]
    assert [e["type"] for e in evts if e.get("step") == "drop-cache"] == [
        "step_start", "answer", "confirm", "answer", "confirm", "run", "exec", "command", "step_end"]


def test_yes_mode_never_runs_a_destructive_step(work: Path) -> None:
    run = Run(["run", str(RUNBOOKS / "destructive.yaml"), "--yes", "-i", f"workdir={work}"], work)
    run.expect("Stopped at drop-cache: destructive steps never run unattended")
    assert run.finish() == 1
    assert not (work / "dropped").exists()
    _, evts = only_journal(work)
    assert kinds(evts)[-3:] == ["stopped:drop-cache", "step_end:drop-cache", "end"]
    assert "milestone:responded" not in kinds(evts)  # nobody answered anything: an unattended run never responds
    assert evts[-1]["outcome"] == "stopped"


def test_secret_input_never_reaches_the_screen_or_the_journal(work: Path) -> None:
    token = "tok-very-secret-123"
    run = Run(["run", str(RUNBOOKS / "secret.yaml"), "-i", f"workdir={work}"], work)
    run.expect("Step use-token needs input api_token.")  # asked when the step that uses it comes up
    run.answer("api_token - The new token (hidden):", token)
    run.expect('$ echo "calling with [REDACTED]"')
    run.answer("Run it?", "r")
    run.expect("calling with [REDACTED]")
    run.answer("Run it?", "r")
    run.expect("Captured session_id = [REDACTED]")
    run.answer("Run it?", "r")
    run.expect("Run completed.")
    assert run.finish() == 0
    session = "sess-" + token[::-1]
    assert (work / "used").read_text() == f"using {session}\n"  # the real values were used...
    path, evts = only_journal(work)
    text = path.read_text()
    for leaked in (token, token[::-1], "s3cr3t-pa55"):  # ...and never shown or written
        assert leaked not in run.screen
        assert leaked not in text
    assert evts[1]["secret"] == ["api_token"] and "api_token" not in evts[1]["values"]
    asked = next(e for e in evts if e["type"] == "input")
    assert (asked["step"], asked["name"], asked["value"], asked["secret"]) == ("use-token", "api_token", "[REDACTED]", True)
    first = next(e for e in evts if e["type"] == "command")
    assert first["output"] == "calling with [REDACTED]\ndb=postgres://admin:[REDACTED]@db.internal/app\n"
    ends = {e["step"]: e["outputs"] for e in evts if e["type"] == "step_end"}
    assert ends["use-session"] == {}  # secret captures are not kept for a resume either


def test_resume_asks_for_secret_inputs_again_and_keeps_the_others(work: Path) -> None:
    token = "tok-resume-secret-456"
    run = Run(["run", str(RUNBOOKS / "secret.yaml"), "-i", f"workdir={work}"], work)
    run.answer("api_token - The new token (hidden):", token)
    run.answer("Run it?", "r")
    run.expect("Step 2/3  print-session")
    run.answer("Run it?", "a")
    assert run.finish() == 1
    path, _ = only_journal(work)

    again = Run(["run", "--resume", str(path)], work)
    again.expect(f"input workdir = {work}")
    again.answer("api_token - The new token (hidden):", token)  # asked again: it was never written
    again.expect("Step 2/3  print-session")
    again.answer("Run it?", "r")
    again.answer("Run it?", "r")
    again.expect("Run completed.")
    assert again.finish() == 0
    assert (work / "used").read_text() == f"using sess-{token[::-1]}\n"
    assert token not in path.read_text() and token not in again.screen and token[::-1] not in again.screen
    resumed = [e for e in _all(path) if e["type"] == "resume"]
    assert len(resumed) == 1 and resumed[0]["next"] == "print-session" and resumed[0]["runbook_changed"] is False


def _all(path: Path) -> list[dict[str, object]]:
    from tests.runner.conftest import events

    return events(path)


def test_an_irreversible_step_says_so_when_it_asks(work: Path) -> None:
    run = Run(["run", str(RUNBOOKS / "irreversible.yaml"), "-i", f"workdir={work}"], work)
    run.answer("Run it?", "r")
    run.answer("This step cannot be undone (a revoked key cannot be restored; a new one is issued instead). Run it?", "y")
    run.expect("[revoke-key] exit 0")
    run.expect("Run completed.")
    assert run.finish() == 0
    assert (work / "revoked").exists()
    _, evts = only_journal(work)
    (confirm,) = [e for e in evts if e["type"] == "confirm"]
    assert confirm["confirmed"] is True and confirm["irreversible"].startswith("a revoked key")


def test_yes_mode_stops_at_an_irreversible_step_without_ack_manual(work: Path) -> None:
    run = Run(["run", str(RUNBOOKS / "irreversible.yaml"), "--yes", "-i", f"workdir={work}"], work)
    run.expect("Stopped at revoke-key: the step cannot be undone (a revoked key cannot be restored")
    assert run.finish() == 1
    assert not (work / "revoked").exists()

"""The runner's parts on their own, with real processes and real files: quoting through a
real bash, the executor's process-group handling and bounded output, the journal reader,
the incident clock, templates, input checks and script paths."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.runner.conftest import RUNBOOKS, pid_gone
from validator.model import Input, SeverityLevel, Template
from validator.repository import load_repository
from validator.runner import executor, inputs, journal, render
from validator.runner.clock import Clock
from validator.runner.prepare import PrepareError, prepare
from validator.runner.prompts import Console
from validator.runner.quoting import Values, fill_shell
from validator.runner.redact import Redactor
from validator.runner.state import RunState

HOSTILE = ["x; touch pwned", "$(touch pwned)", "`touch pwned`", "a'b\"c", "\\\"; touch pwned; \"", "it's $HOME", "", "  spaced  "]
SHAPES = [
    ("printf %s ${v}", "{v}"),
    ('printf %s "pre ${v} post"', "pre {v} post"),
    ("printf %s 'pre ${v} post'", "pre {v} post"),
    ('printf %s "$(printf %s ${v})"', "{v}"),
    ('printf %s "a$(printf %s "${v}")b"', "a{v}b"),
    ('printf %s "`printf %s "${v}"`"', "{v}"),
]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize(("template", "expected"), SHAPES)
def test_substituted_values_reach_the_command_literally(tmp_path: Path, template: str, expected: str, value: str) -> None:
    filled = fill_shell(template, Values({"v": value}.get, lambda n: f"RUNBOOK_INPUT_{n}", lambda n: False))
    assert value not in filled.text or value in template  # the value travels in the environment, not in the text
    done = subprocess.run(["bash", "-c", filled.text], cwd=tmp_path, capture_output=True, text=True, check=True,
                          env={**os.environ, **filled.env})
    assert done.stdout == expected.format(v=value)
    assert not (tmp_path / "pwned").exists()


def test_unknown_names_are_left_to_the_shell() -> None:
    filled = fill_shell("echo ${HOME} ${v}", Values({"v": "a b"}.get, lambda n: f"RUNBOOK_INPUT_{n}", lambda n: False))
    assert filled.text == 'echo ${HOME} "${RUNBOOK_INPUT_v}"'
    assert filled.shown == "echo ${HOME} 'a b'"
    assert filled.env == {"RUNBOOK_INPUT_v": "a b"}


def test_timeout_kills_the_whole_group_even_a_child_ignoring_sigterm(tmp_path: Path) -> None:
    pidfile = tmp_path / "child"
    script = f"bash -c 'trap \"\" TERM; echo $$ > {pidfile}; while :; do sleep 1; done' & wait"
    result = executor.execute(["bash", "-c", script], None, timeout=1, grace=0.5)
    assert result.timed_out and result.exit_code is None
    assert pid_gone(int(pidfile.read_text()))


def test_output_is_kept_bounded_and_both_streams_are_recorded() -> None:
    result = executor.execute(["bash", "-c", "head -c 200000 /dev/zero | tr '\\0' a; echo oops >&2; exit 3"], None, timeout=30)
    assert result.exit_code == 3 and result.truncated
    assert len(result.stdout) == executor.KEEP_BYTES and set(result.stdout) == {"a"}
    assert result.stderr == "oops\n" and result.output.endswith("oops\n")


def test_journal_reader_drops_a_torn_last_line_but_not_a_bad_middle_one(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    log = journal.Journal(path, Redactor({"hunter2"}))
    log.write("start", file="rb.yaml", started_at="2026-01-01T00:00:00Z", note="password hunter2")
    log.write("note", text="fine")
    log.close()
    assert "hunter2" not in path.read_text()
    with path.open("a") as handle:
        handle.write('{"seq": 3, "type": "no')  # what kill -9 in the middle of a write leaves
    assert [e["type"] for e in journal.read(path)] == ["start", "note"]
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0], "garbage", lines[1]]) + "\n")
    with pytest.raises(ValueError, match=r"run\.jsonl:2: not a journal line"):
        journal.read(path)


def test_clock_counts_down_and_records_each_milestone_once() -> None:
    start = datetime(2026, 5, 1, 3, 0, tzinfo=UTC)
    now = [start + timedelta(minutes=3)]
    level = SeverityLevel("P1", "Critical", 0, respond=300, at=(), resolve=3600, update_every=1800, escalate_after=1200)
    clock = Clock(start, level, now=lambda: now[0])
    assert clock.header() == "P1 Critical | elapsed 3m | 2m to respond | 57m to resolve | update in 27m"
    assert clock.due_milestones() == []
    assert clock.respond() == {"name": "responded", "elapsed": 180.0, "target": "5m", "met": True,
                               "at": "2026-05-01T03:03:00.000Z"}
    assert clock.respond() is None
    now[0] = start + timedelta(minutes=31)
    names = [m["name"] for m in clock.due_milestones()]
    assert names == ["update_due", "escalation_due"]
    assert clock.due_milestones() == []
    assert "update OVERDUE 1m" in clock.header()
    assert ("update OVERDUE 1m", True) in clock.status()  # an alarm: coloured, and in capitals without colour
    clock.last_update = now[0]
    assert clock.header().endswith("update in 30m")
    now[0] = start + timedelta(hours=2)
    assert clock.resolved()["met"] is False


def test_templates_fill_known_placeholders_and_never_a_secret() -> None:
    template = Template("t", "{{severity}} {{inputs.region}} {{inputs.token}} {{nope}} {{ title }}", at=())
    facts = {"severity": "P1", "title": "Down"}
    subject, body = render.message(template, facts, {"region": "eu", "token": "s3cr3t"}, {"token"})
    assert body == "P1 eu [REDACTED] {{nope}} Down" and subject == ""


@pytest.mark.parametrize(("spec", "raw", "value"), [
    (Input("n", (), type="int", min=1, max=5), "3", 3),
    (Input("b", (), type="bool"), "yes", True),
    (Input("e", (), type="enum", choices=["a", "b"]), "b", "b"),
    (Input("p", (), pattern=r"[a-z]+-\d"), "web-1", "web-1"),
])
def test_inputs_are_converted_to_their_type(spec: Input, raw: str, value: object) -> None:
    assert inputs.convert(spec, raw) == value


@pytest.mark.parametrize(("spec", "raw", "message"), [
    (Input("n", (), type="int", min=1, max=5), "9", "above the maximum 5"),
    (Input("n", (), type="int"), "many", "not a whole number"),
    (Input("b", (), type="bool"), "perhaps", "not yes or no"),
    (Input("e", (), type="enum", choices=["a", "b"]), "c", "not one of: a, b"),
    (Input("p", (), pattern=r"[a-z]+-\d"), "web-1; rm", "does not match"),
])
def test_bad_inputs_are_refused_with_a_reason(spec: Input, raw: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        inputs.convert(spec, raw)


def _state(root: Path) -> RunState:
    repo = load_repository([RUNBOOKS / "script.yaml"])
    return RunState(repo.runbook("script"), Clock(datetime.now(UTC), None), root)  # type: ignore[arg-type]


def test_script_arguments_are_single_argv_items(tmp_path: Path) -> None:
    state = _state(Path(__file__).resolve().parents[2])
    state.inputs["host"] = "a b; touch pwned"
    prepared = prepare(state.runbook.steps[0], state)
    assert prepared.argv[1:] == ["--host", "a b; touch pwned", "literal a b; touch pwned inside"]
    assert prepared.env == {"TARGET_HOST": "a b; touch pwned"}
    done = subprocess.run(prepared.argv, cwd=tmp_path, capture_output=True, text=True, check=True)
    assert done.stdout == "<--host>\n<a b; touch pwned>\n<literal a b; touch pwned inside>\n"
    assert not (tmp_path / "pwned").exists()


def test_a_script_outside_the_repository_is_refused(tmp_path: Path) -> None:
    state = _state(Path(__file__).resolve().parents[2])
    step = state.runbook.steps[0]
    step.script = "../../../../bin/sh"
    with pytest.raises(PrepareError, match="outside the repository"):
        prepare(step, state)


def test_kill_orphan_only_touches_a_session_leader() -> None:
    proc = subprocess.Popen(["sleep", "30"], start_new_session=True)
    try:
        assert executor.kill_orphan(proc.pid, **executor.identity(proc.pid)) == (True, "")
        proc.wait(timeout=10)
        assert executor.kill_orphan(proc.pid, **executor.identity(proc.pid))[0] is False
    finally:
        if proc.poll() is None:
            proc.kill()
    plain = subprocess.Popen(["sleep", "30"])  # shares our session: never ours to kill
    try:
        time.sleep(0.05)
        assert executor.kill_orphan(plain.pid, **executor.identity(plain.pid))[0] is False and plain.poll() is None
    finally:
        plain.kill()
        plain.wait()


def test_kill_orphan_refuses_a_recycled_pid_an_unknown_start_and_its_own_group() -> None:
    other = subprocess.Popen(["setsid", "sleep", "30"])  # an unrelated program leading its own session
    try:
        time.sleep(0.2)
        leader = executor.identity(other.pid)
        assert executor.kill_orphan(other.pid, int(leader["start"]) - 1, leader["boot"]) == (  # type: ignore[call-overload]
            False, f"process {other.pid} is now another program (it started at another time or leads another group)")
        assert executor.kill_orphan(other.pid)[1].startswith("the journal does not say when that process started")
        assert executor.kill_orphan(other.pid, leader["start"], "another-boot")[1].startswith("the machine restarted")
        for pgid in (0, 1, -1, os.getpid(), os.getpgrp(), "12", True):
            assert executor.kill_orphan(pgid, leader["start"], leader["boot"])[0] is False  # type: ignore[arg-type]
        assert other.poll() is None
    finally:
        other.kill()
        other.wait()


def test_live_output_is_redacted_even_when_a_credential_arrives_in_two_reads(capsys: pytest.CaptureFixture[str]) -> None:
    script = "printf 'db=postgres://admin:s3cr3t-'; sleep 0.5; printf 'pa55@db/app\\n'; printf 'partial'"
    console = Console(Redactor(), color=False)
    result = executor.execute(["bash", "-c", script], None, timeout=30, echo=console.stream)
    shown = capsys.readouterr().out
    assert result.output == "db=postgres://admin:s3cr3t-pa55@db/app\npartial"
    assert shown == "db=postgres://admin:[REDACTED]@db/app\npartial"


def test_a_background_child_holding_the_output_open_does_not_make_a_finished_command_time_out(tmp_path: Path) -> None:
    pidfile = tmp_path / "bg.pid"
    script = f"sleep 30 & echo $! > {pidfile}; echo started"
    try:
        result = executor.execute(["bash", "-c", script], None, timeout=10, grace=0.5)
        assert (result.exit_code, result.timed_out, result.stdout) == (0, False, "started\n")
        background = int(pidfile.read_text())
        assert executor.start_ticks(background) is not None  # left running: only the step's listening ended
    finally:
        if pidfile.exists():
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pidfile.read_text()), signal.SIGKILL)

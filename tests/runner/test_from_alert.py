"""``runbook run --alert NAME`` and ``--from-alert PAYLOAD``: the alert picks the runbook and fills its inputs."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.runner.conftest import RUNBOOK, RUNBOOKS, env, only_journal

# The alert fired 25 minutes before the suite started, whatever the day: the runner refuses an
# incident start more than a week old, so a fixed date here would fail a week after it was written.
FIRED = (datetime.now(UTC) - timedelta(minutes=25)).strftime("%Y-%m-%dT%H:%M:%S")
PAYLOAD = {
    "version": "4", "status": "firing", "receiver": "oncall",
    "commonLabels": {"alertname": "WebErrorsHigh", "service": "web"},
    "alerts": [
        {"status": "resolved", "labels": {"alertname": "DiskFull", "host": "db-1"}},
        {"status": "firing", "labels": {"alertname": "WebErrorsHigh", "instance": "web-7.eu", "region": "us-east-1"},
         "annotations": {"summary": "5xx above 2% for 5 minutes"}, "startsAt": f"{FIRED}.123456789Z"},
    ],
}


def _repo(work: Path) -> Path:
    (work / ".runbook.yaml").write_text(
        "per_path:\n  - paths: ['runbooks/**']\n    disable: [C115]\n    reason: test fixture; the contacts are invented\n",
        encoding="utf-8")
    folder = work / "runbooks"
    folder.mkdir()
    shutil.copy(RUNBOOKS / "policy.yaml", folder)
    text = (RUNBOOKS / "clean.yaml").read_text(encoding="utf-8")
    text = text.replace("severity: P2\n", "severity: P2\nalerts:\n  - {name: WebErrorsHigh, labels: {service: web}}\n")
    region = "    description: The affected region\n"
    text = text.replace(region, region + "    from_label: region\n")
    text = text.replace("    description: The host to check\n", "    description: The host to check\n    from_label: instance\n")
    (folder / "clean.yaml").write_text(text, encoding="utf-8")
    return folder


def _run(work: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([RUNBOOK, "run", *args], cwd=work, env=env(), input=stdin, capture_output=True, text=True,
                          timeout=60, check=False)


def test_payload_picks_the_runbook_fills_inputs_and_is_shown_before_the_first_step(work: Path) -> None:
    _repo(work)
    (work / "alert.json").write_text(json.dumps(PAYLOAD), encoding="utf-8")
    done = _run(work, "--from-alert", "alert.json", "--dry-run", "-i", f"workdir={work}")
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    shown = out.index("Started from alert WebErrorsHigh (instance=web-7.eu, region=us-east-1, service=web), "
                      f"firing since {FIRED}.123456789Z")
    assert "5xx above 2% for 5 minutes" in out
    assert "Inputs from the alert: region=us-east-1, host=web-7.eu" in out
    assert shown < out.index("Check the host answers")  # before the first step
    assert "web-7.eu" in out[out.index("Check the host answers"):]  # the command shows the filled value
    assert f"Incident started {FIRED}.123Z" in out  # the incident clock starts when the alert fired


def test_payload_on_stdin_runs_unattended_with_the_alert_values(work: Path) -> None:
    _repo(work)
    done = _run(work, "--from-alert", "-", "--yes", "-i", f"workdir={work}", stdin=json.dumps(PAYLOAD))
    assert "Started from alert WebErrorsHigh" in done.stdout, done.stdout + done.stderr
    _, evts = only_journal(work)
    given = next(e for e in evts if e["type"] == "inputs")
    assert given["values"]["host"] == "web-7.eu" and given["values"]["region"] == "us-east-1"
    assert (work / "version.txt").read_text(encoding="utf-8").strip() == "1.4.2"


def test_explicit_input_wins_over_the_alert(work: Path) -> None:
    _repo(work)
    (work / "alert.json").write_text(json.dumps(PAYLOAD), encoding="utf-8")
    done = _run(work, "--from-alert", "alert.json", "--dry-run", "-i", f"workdir={work}", "-i", "host=web-1.eu")
    assert "checking web-1.eu" in done.stdout or "web-1.eu" in done.stdout, done.stdout


def test_alert_name_alone_picks_the_runbook(work: Path) -> None:
    _repo(work)
    done = _run(work, "--alert", "WebErrorsHigh", "--dry-run", "-i", f"workdir={work}", "-i", "host=web-1")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Alert leads to runbook clean." in done.stdout


def test_unknown_alert_and_bad_payload_are_usage_errors(work: Path) -> None:
    _repo(work)
    unknown = _run(work, "--alert", "WebErorsHigh", "--dry-run")
    assert unknown.returncode == 2
    assert "runbooks answers alert WebErorsHigh (did you mean 'WebErrorsHigh'?)" in unknown.stderr
    (work / "bad.json").write_text('{"alerts": [', encoding="utf-8")
    bad = _run(work, "--from-alert", "bad.json", "--dry-run")
    assert bad.returncode == 2 and "--from-alert bad.json:1:" in bad.stderr and "not JSON" in bad.stderr
    (work / "empty.json").write_text('{"alerts": [{"status": "resolved", "labels": {"alertname": "X"}}]}', encoding="utf-8")
    empty = _run(work, "--from-alert", "empty.json", "--dry-run")
    assert empty.returncode == 2 and "no firing alert" in empty.stderr
    both = _run(work, "clean", "--alert", "WebErrorsHigh", "--dry-run")
    assert both.returncode == 2 and "give no RUNBOOK" in both.stderr
    for done in (unknown, bad, empty, both):
        assert "Traceback" not in done.stderr

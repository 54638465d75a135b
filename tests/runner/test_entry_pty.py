"""Getting into a run: the usage message, ``runbook list``, ids found from any subfolder of the
repository, "did you mean", which lint findings stop a run, and what a dry run shows."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.runner.conftest import FIXTURES, RUNBOOK, Run, env, journal_files

pytestmark = pytest.mark.pty


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A small repository (a .git marker, runbooks/ with a policy and two services' runbooks)."""
    root = tmp_path / "shop"
    shutil.copytree(FIXTURES / "repo", root)
    (root / ".git").mkdir()
    return root


def runbook(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([RUNBOOK, *args], cwd=cwd, env=env(), capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL)


def test_run_without_arguments_says_what_to_give(repo: Path) -> None:
    done = runbook(["run"], repo)
    assert done.returncode == 2
    assert "which runbook? Give its id or the path to its file" in done.stderr
    assert "`runbook list` shows them" in done.stderr and "runbook run --resume" in done.stderr
    assert "not both" not in done.stderr


def test_list_from_a_subfolder_with_filters_and_json(repo: Path) -> None:
    here = repo / "runbooks" / "web"
    done = runbook(["list"], here)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["ID", "SEVERITY", "SERVICE", "TITLE"]
    assert lines[1].split()[:3] == ["db-failover", "P1", "orders"] and lines[1].endswith("Fail the orders database over")
    assert lines[2].split()[:3] == ["web-cache-flush", "P2", "web"]
    def ids(*filters: str) -> list[str]:
        return [line.split()[0] for line in runbook(["list", *filters], here).stdout.splitlines()[1:]]

    assert ids("--service", "WEB") == ["web-cache-flush"]
    assert ids("--severity", "p1") == ["db-failover"]
    assert ids("--tag", "pricing", "--tag", "cache") == ["web-cache-flush"]
    assert "No runbook under" in runbook(["list", "--tag", "nope"], here).stdout
    rows = json.loads(runbook(["list", "--format", "json", "--tag", "database"], repo).stdout)
    assert rows == [{"id": "db-failover", "title": "Fail the orders database over", "service": "orders",
                     "severity": "P1", "tags": ["database"], "file": "runbooks/db/failover.yaml"}]
    elsewhere = runbook(["list"], repo.parent)
    assert elsewhere.returncode == 2 and "no runbooks folder" in elsewhere.stderr


def test_a_mistyped_id_gets_a_suggestion(repo: Path) -> None:
    done = runbook(["run", "web-cahce-flush", "--dry-run"], repo / "runbooks")
    assert done.returncode == 2
    assert "no runbook 'web-cahce-flush'" in done.stderr and "did you mean web-cache-flush?" in done.stderr
    assert "did you mean db-failover?" in runbook(["run", "failover", "--dry-run"], repo).stderr


def test_run_by_id_from_a_subfolder_is_not_blocked_by_findings_about_others(repo: Path, tmp_path: Path) -> None:
    """The policy's placeholder phone belongs to a vendor this runbook never calls: shown, not blocking."""
    run = Run(["run", "web-cache-flush", "--yes", "--ack-manual", "-i", "region=eu", "-i", f"workdir={tmp_path}"],
              repo / "runbooks" / "web")
    run.expect("Lint: 1 error(s), 2 other finding(s) for this runbook and its policy (they do not stop this run):")
    run.expect("error C101 contact 'db-vendor'")
    run.expect("warning D601 review was due on 2023-04-10")
    run.expect("Run completed.")
    assert run.finish() == 0
    assert (tmp_path / "flushes").read_text().startswith("flushed eu\n")
    assert journal_files(repo / "runbooks" / "web")


def test_a_real_run_is_refused_for_a_contact_it_pages_but_a_dry_run_never(repo: Path) -> None:
    refused = runbook(["run", "db-failover", "--yes"], repo)
    assert refused.returncode == 1
    assert "failover.yaml: 1 lint error(s) make this run unsafe (pass --force" in refused.stderr
    assert "C101 contact 'db-vendor'" in refused.stderr and "D601" not in refused.stderr
    dry = runbook(["run", "db-failover", "--dry-run"], repo)
    assert dry.returncode == 0, dry.stderr
    assert "A real run would be refused for 1 lint error(s) (--force overrides):" in dry.stdout
    assert "Step 2/3  promote" in dry.stdout and "Dry run finished" in dry.stdout
    forced = runbook(["run", "db-failover", "--yes", "--ack-manual", "--force"], repo)
    assert forced.returncode == 0, forced.stderr
    assert "Running despite 1 lint error(s) that make this run unsafe (--force):" in forced.stdout


def test_dry_run_shows_conditions_waits_rollback_and_post_incident_items(repo: Path) -> None:
    done = runbook(["run", "web-cache-flush", "--dry-run"], repo)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Step 2/5  us-only  Tell the US store team first\n" \
           "Runs only when: inputs.region == 'us'  (not evaluated: inputs.region unknown before the run)" in out
    assert "skipped" not in out
    assert "  undo: $ echo unflushed >> '<workdir>'/flushes" in out
    assert "Wait 1s: the cache to refill" in out
    assert "$ grep -q flushed '<workdir>'/flushes\n  (every 10s, gives up after 3m)" in out
    assert "then these 1 step(s):" in out and "Rollback step 1/1  restore  Put the old cache back" in out
    assert "  post-incident: Find out why the cache kept stale prices" in out
    given = runbook(["run", "web-cache-flush", "--dry-run", "-i", "region=eu"], repo).stdout
    assert "Runs only when: inputs.region == 'us'  (with the severity and inputs given: a real run skips it)" in given

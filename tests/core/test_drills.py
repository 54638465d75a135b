"""``runbook test`` for real: the installed command on runbook files on disk, with drills that
pass, drills that leave the expected path, coverage and its threshold, and the CI formats."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.core.core_helpers import Ran, run_script
from validator import drills
from validator.repository import load_repository

FIXTURE = Path(__file__).parent.parent / "fixtures" / "drills"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE, root)
    (root / "pyproject.toml").write_text('[project]\nname = "fixture"\n', encoding="utf-8")
    return root


def edit(root: Path, old: str, new: str) -> None:
    path = root / "replica-lag.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def runbook_test(root: Path, *args: str) -> Ran:
    return run_script("runbook", "test", ".", *args, cwd=root)


def test_every_drill_passes_with_every_branch_covered(repo: Path) -> None:
    ran = runbook_test(repo, "--min-coverage", "100")
    assert ran.code == 0, ran.both
    assert "  ok    network trouble is rerouted\n  ok    batch writer paused\n  ok    nothing helps\n" in ran.out
    assert ran.out.rstrip().endswith("1 runbook(s), 3 drill(s): 3 passed, 0 failed; coverage 100.0% (12 of 12 steps and answers)")


def test_a_wrong_expectation_names_the_step_where_paths_diverged(repo: Path) -> None:
    edit(repo, "answers: {cause: writes, watch: 'yes'}", "answers: {cause: network, watch: 'yes'}")
    ran = runbook_test(repo)
    assert ran.code == 1
    assert "  FAIL  batch writer paused  (replica-lag.yaml:55:11)" in ran.out
    assert "expected a visit to throttle-batch, which the run never carried out; paths diverged at cause" in ran.out
    assert "expected reroute to be skipped, but the run carried it out; paths diverged at cause" in ran.out
    assert "path: measure-lag → cause (network) → reroute → watch (yes) → lag-ok" in ran.out


def test_a_failing_command_follows_its_policy_in_the_drill(repo: Path) -> None:
    edit(repo, "answers: {cause: writes, watch: 'yes'}",
         "answers: {cause: writes, watch: 'yes'}\n    results: {throttle-batch: {exit_code: 1}}")
    ran = runbook_test(repo)
    assert ran.code == 1
    assert "expected outcome resolved, the run ended rolled-back after tell-storage" in ran.out
    assert "path: measure-lag → cause (writes) → throttle-batch (failed: rollback) → tell-storage" in ran.out


def test_an_unanswered_decision_stops_the_drill(repo: Path) -> None:
    edit(repo, "answers: {cause: writes, watch: 'yes'}", "answers: {cause: writes}")
    ran = runbook_test(repo)
    assert ran.code == 1
    assert "the drill gives no answer to the decision 'watch' (yes, no)" in ran.out


def test_coverage_names_what_no_drill_reaches(repo: Path) -> None:
    text = (repo / "replica-lag.yaml").read_text(encoding="utf-8")
    (repo / "replica-lag.yaml").write_text(text[:text.index("  - name: batch writer paused")], encoding="utf-8")
    ran = runbook_test(repo, "--min-coverage", "80")
    assert ran.code == 1
    assert ("coverage 58.3% (7 of 12); no drill reaches: step throttle-batch, step tell-storage, "
            "answer 'writes' of cause, answer 'both' of cause, answer 'no' of watch") in ran.out
    assert "below the minimum of 80%" in ran.out
    assert runbook_test(repo, "--min-coverage", "50").code == 0


def test_json_and_github_formats(repo: Path) -> None:
    edit(repo, "answers: {cause: writes, watch: 'yes'}", "answers: {cause: network, watch: 'yes'}")
    body = runbook_test(repo, "--format", "json").json()
    assert body["passed"] is False
    drill = body["runbooks"][0]["drills"][1]
    assert (drill["name"], drill["passed"], drill["diverged_at"], drill["line"]) == ("batch writer paused", False, "cause", 55)
    assert body["runbooks"][0]["coverage"]["missed_steps"] == ["throttle-batch"]
    assert body["runbooks"][0]["coverage"]["missed_answers"] == [{"step": "cause", "answer": "writes"}]
    gh = runbook_test(repo, "--format", "github")
    assert gh.code == 1
    assert "::error file=replica-lag.yaml,line=55,col=11,title=drill failed%3A batch writer paused::" in gh.out
    assert "::warning file=replica-lag.yaml,line=29,col=9,title=not covered::no drill reaches step throttle-batch" in gh.out


def test_a_runbook_that_does_not_validate_fails_the_test(repo: Path) -> None:
    edit(repo, "goto: throttle-batch}", "goto: throttle}")
    ran = runbook_test(repo)
    assert ran.code == 1
    assert ("replica-lag.yaml:23:34: error: answer 'writes' of step 'cause' goes to 'throttle', "
            "which is not a step [R007]") in ran.err


def test_no_runbooks_is_a_usage_error(tmp_path: Path) -> None:
    ran = run_script("runbook", "test", str(tmp_path / "missing"))
    assert ran.code == 2
    assert "no such file or directory" in ran.err


def test_raised_severity_is_seen_by_later_conditions(repo: Path) -> None:
    edit(repo, "    when: steps.watch.answer == 'yes'\n", "    when: severity == SEV1\n")
    repo_model = load_repository([repo])
    rb = repo_model.runbooks[0]
    results = {d.name: drills.run_drill(rb, d) for d in rb.drills}
    assert "lag-ok" not in results["network trouble is rerouted"].carried_out
    both = results["nothing helps"]
    assert [v.step for v in both.path] == ["measure-lag", "cause", "reroute", "watch", "tell-storage"]


def test_a_failure_goto_loop_ends_at_its_max() -> None:
    rb = _runbook("""\
steps:
  - id: poke
    manual: Poke the service.
  - id: check
    run: curl -fsS http://localhost/healthz
    on_failure: {goto: poke, max: 2}
drills:
  - name: never recovers
    results: {check: {exit_code: 7}}
    expect: {outcome: failed, visits: [poke, check, poke, check, poke, check]}
""")
    result = drills.run_drill(rb, rb.drills[0])
    assert result.passed, result.problems
    assert [v.label for v in result.path if v.step == "check"] == ["failed: goto"] * 3


def test_on_failure_ask_takes_the_drills_answer() -> None:
    rb = _runbook("""\
steps:
  - id: check
    run: curl -fsS http://localhost/healthz
    on_failure: ask
  - id: after
    manual: Carry on.
drills:
  - name: responder carries on
    answers: {check: continue}
    results: {check: {exit_code: 7}}
    expect: {outcome: resolved, visits: [check, after]}
  - name: responder aborts
    answers: {check: abort}
    results: {check: {exit_code: 7}}
    expect: {outcome: aborted, skips: [after]}
""")
    assert [drills.run_drill(rb, d).problems for d in rb.drills] == [[], []]


def test_a_manual_step_reported_failed_follows_on_failure() -> None:
    rb = _runbook("""\
steps:
  - id: failover
    manual: Promote the replica.
    on_failure: {goto: page-vendor, max: 1}
  - id: confirm
    manual: Confirm writes succeed.
    next: done
  - id: page-vendor
    manual: Open a P1 ticket with the database vendor.
  - id: done
    manual: Close the incident.
drills:
  - name: promotion fails
    results: {failover: {status: failed}}
    expect: {outcome: resolved, visits: [failover, page-vendor, done], skips: [confirm]}
""")
    assert drills.run_drill(rb, rb.drills[0]).problems == []


def _runbook(body: str) -> drills.Runbook:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rb.yaml"
        path.write_text("version: 1\nkind: runbook\nid: t\ntitle: T\nservice: s\n" + body, encoding="utf-8")
        repo = load_repository([path], root=Path(folder))
        assert [f.message for f in repo.findings if f.severity.name == "ERROR"] == []
        return repo.runbooks[0]

"""Alert rules in, every alert checked against the runbooks that answer it (A001, A101-A104)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.core_helpers import RUNBOOK, assert_clean_failure, make_repo, rules_at, run_script, validate
from validator import alert_check
from validator.alert_rules import load_rule_file
from validator.repository import load_repository

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "alerts"
REPO = Path(__file__).resolve().parents[2]


def test_prometheus_rule_manifest_with_several_documents_is_read_with_positions() -> None:
    rules = load_rule_file(FIXTURES / "kube-prometheusrule.yaml", "kube.yaml")
    assert rules.findings == []
    assert [(a.name, a.line, a.col) for a in rules.alerts] == [
        ("ApiErrorRateHigh", 11, 18), ("KubePodCrashLooping", 35, 18), ("KubePodCrashLooping", 42, 18),
        ("NodeDiskFilling", 46, 18)]  # the recording rule and the ConfigMap are not alerts
    assert rules.alerts[0].labels == {"severity": "critical"}
    assert rules.alerts[0].runbook_url == "https://runbooks.example.org/runbooks/high-error-rate/"
    assert rules.alerts[0].url_position == (16, 26)


@pytest.mark.parametrize(("name", "position", "words"), [
    ("syntax-error.yaml", (6, 8), "YAML syntax"),
    ("not-rules.yaml", (1, 1), "no alerting rules here"),
    ("missing.yaml", (0, 0), "cannot read the rule file"),
])
def test_unreadable_rule_files_are_located_findings(name: str, position: tuple[int, int], words: str) -> None:
    [finding] = load_rule_file(FIXTURES / name, name).findings
    assert (finding.rule, finding.line, finding.col) == ("A001", *position)
    assert words in finding.message


@pytest.mark.parametrize(("pattern", "url", "expected"), [
    (None, "https://runbooks.example.org/runbooks/high-error-rate/", "high-error-rate"),
    (None, "https://wiki.example.org/Ops/high-error-rate.html#steps", "high-error-rate"),
    ("https://rb.example.org/runbooks/{id}/", "https://rb.example.org/runbooks/db-down/", "db-down"),
    ("https://rb.example.org/runbooks/{id}/", "https://rb.example.org/runbooks/db-down", "db-down"),
    ("https://rb.example.org/runbooks/{id}.html", "https://rb.example.org/runbooks/db-down.html?x=1", "db-down"),
    ("https://rb.example.org/runbooks/{id}/", "https://elsewhere.example.org/runbooks/db-down/", None),
    ("https://rb.example.org/runbooks/{id}/", "https://rb.example.org/other/db-down/", None),
])
def test_runbook_url_resolution_follows_the_site_pattern(pattern: str | None, url: str, expected: str | None) -> None:
    assert alert_check.url_resolver(pattern)(url) == expected


CRASHLOOP = RUNBOOK.replace("id: db-down", "id: pod-crashloop").replace(
    "severity: P1\n", "severity: P1\nalerts:\n  - {name: KubePodCrashLooping, labels: {severity: critical}}\n  - KubeJobFailed\n")
ERRORS = RUNBOOK.replace("id: db-down", "id: high-error-rate").replace(
    "severity: P1\n", "severity: P1\nalerts: [ApiErrorRateHigh]\n")


def _repo(tmp_path: Path) -> Path:
    make_repo(tmp_path)
    (tmp_path / "runbooks" / "pod-crashloop.yaml").write_text(CRASHLOOP, encoding="utf-8")
    (tmp_path / "runbooks" / "high-error-rate.yaml").write_text(ERRORS, encoding="utf-8")
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "kube.yaml").write_text((FIXTURES / "kube-prometheusrule.yaml").read_text(), encoding="utf-8")
    return tmp_path


def test_every_gap_between_rules_and_runbooks_is_reported_where_the_fix_goes(tmp_path: Path) -> None:
    _repo(tmp_path)
    ran = validate("--format", "json", "--no-lint", "runbooks", "--alert-rules", "rules", cwd=tmp_path)
    assert_clean_failure(ran, codes=(1,))
    found = {(f["path"], f["rule"], f["line"], f["column"]) for f in ran.findings()}
    assert found == {
        # the warning-level crash loop (severity: warning) is not the one the runbook answers
        ("rules/kube.yaml", "A101", 35, 18),
        # a templated runbook_url cannot be resolved, so it is not called wrong
        ("rules/kube.yaml", "A102", 49, 26), ("rules/kube.yaml", "A101", 46, 18),
        ("runbooks/pod-crashloop.yaml", "A103", 9, 5),  # KubeJobFailed: no rule defines it
    }
    messages = {f["rule"]: f for f in ran.findings()}
    assert messages["A102"]["message"].startswith("runbook_url of alert 'NodeDiskFilling' points at no runbook")
    assert messages["A103"]["severity"] == "warning"


def test_a_runbook_naming_the_alert_covers_it_without_an_annotation(tmp_path: Path) -> None:
    _repo(tmp_path)
    rules = tmp_path / "rules" / "kube.yaml"
    rules.write_text(rules.read_text().replace("severity: warning", "severity: critical")
                     .replace("https://wiki.example.org/ops/node-disk-full", "https://wiki.example.org/ops/db-down"),
                     encoding="utf-8")
    ran = validate("--format", "json", "--no-lint", "runbooks", "--alert-rules", "rules/*.yaml", cwd=tmp_path)
    assert rules_at(ran.findings()) == [("A103", 9, 5)], ran.out
    assert ran.code == 0  # A103 is a warning


def test_a_url_that_disagrees_with_the_runbook_listing_the_alert_is_a_warning(tmp_path: Path) -> None:
    _repo(tmp_path)
    rules = tmp_path / "rules" / "kube.yaml"
    rules.write_text(rules.read_text().replace("runbooks/high-error-rate/", "runbooks/db-down/"), encoding="utf-8")
    ran = validate("--format", "json", "--no-lint", "runbooks", "--alert-rules", "rules", cwd=tmp_path)
    a104 = [f for f in ran.findings() if f["rule"] == "A104"]
    assert [(f["line"], f["column"]) for f in a104] == [(16, 26)]
    assert "points at 'db-down', but runbook 'high-error-rate' names this alert" in a104[0]["message"]


def test_a_rule_path_that_names_nothing_is_a_usage_error(tmp_path: Path) -> None:
    _repo(tmp_path)
    ran = validate("runbooks", "--alert-rules", "monitoring/*.yaml", cwd=tmp_path)
    assert_clean_failure(ran, codes=(2,))
    assert "no file matches 'monitoring/*.yaml'" in ran.err


def test_bundled_runbooks_answer_every_bundled_alert() -> None:
    ran = validate("--format", "json", "runbooks", "--alert-rules", "examples/alert-rules", cwd=REPO)
    assert [f for f in ran.findings() if f["rule"].startswith("A")] == []
    repo = load_repository([REPO / "runbooks"])
    rows = alert_check.coverage([load_rule_file(REPO / "examples/alert-rules/api.rules.yaml")], repo.runbooks, None)
    assert {r.alert.name: r.how for r in rows}["ApiHealthCheckFlapping"] == "url"
    assert all(r.runbook for r in rows)


def test_alerts_command_prints_the_table_and_json(tmp_path: Path) -> None:
    _repo(tmp_path)
    pattern = "https://rb.example.org/runbooks/{id}/"
    text = run_script("runbook", "alerts", "runbooks", "--alert-rules", "rules", "--url-pattern", pattern, cwd=tmp_path)
    assert text.code == 1, text.both  # some alerts have no runbook
    lines = text.out.splitlines()
    assert lines[0].split() == ["ALERT", "RUNBOOK", "URL"]
    assert any(line.split() == ["ApiErrorRateHigh{severity=critical}", "high-error-rate", "https://rb.example.org/runbooks/high-error-rate/"]
               for line in lines)
    assert any(line.split() == ["KubePodCrashLooping{severity=warning}", "(none)"] for line in lines)
    assert any(line.split()[:2] == ["KubeJobFailed", "pod-crashloop"] for line in lines)  # named, though no rule defines it
    assert lines[-1] == "5 alerts, 2 without a runbook"
    data = run_script("runbook", "alerts", "runbooks", "--format", "json", cwd=tmp_path).json()
    assert {(r["alert"], r["runbook"]) for r in data["alerts"]} == {
        ("ApiErrorRateHigh", "high-error-rate"), ("KubePodCrashLooping", "pod-crashloop"), ("KubeJobFailed", "pod-crashloop")}


def test_alert_rules_and_url_pattern_come_from_the_configuration(tmp_path: Path) -> None:
    _repo(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        "[project]\nname = 'fixture'\n\n[tool.runbook]\nalert_rules = ['rules/*.yaml']\n"
        "runbook_url = 'https://runbooks.example.org/runbooks/{id}/'\n", encoding="utf-8")
    ran = validate("--format", "json", "--no-lint", "runbooks", cwd=tmp_path)
    found = rules_at(ran.findings())
    assert ("A101", 35, 18) in found and ("A102", 49, 26) in found
    a102 = next(f["message"] for f in ran.findings() if f["rule"] == "A102")
    assert "expected https://runbooks.example.org/runbooks/{id}/" in a102


@pytest.mark.parametrize(("setting", "words"), [
    ("alert_rules = 'rules'", "'alert_rules' is a list of paths or globs"),
    ("runbook_url = 'https://runbooks.example.org/runbooks/'", "'runbook_url' is an http(s) address with {id}"),
])
def test_bad_alert_settings_are_usage_errors(tmp_path: Path, setting: str, words: str) -> None:
    _repo(tmp_path)
    (tmp_path / "pyproject.toml").write_text(f"[project]\nname = 'fixture'\n\n[tool.runbook]\n{setting}\n", encoding="utf-8")
    ran = validate("runbooks", cwd=tmp_path)
    assert_clean_failure(ran, codes=(2,))
    assert "pyproject.toml:5" in ran.err and words in ran.err


def test_a_runbook_checked_alone_answers_alerts_with_its_folder_as_context(tmp_path: Path) -> None:
    _repo(tmp_path)
    alone = validate("--format", "json", "--no-lint", "runbooks/high-error-rate.yaml", "--alert-rules", "rules", cwd=tmp_path)
    found = {(f["path"], f["rule"]) for f in alone.findings()}
    # the crash-loop runbook (not given) still covers its alert, and its unknown alert is not reported here
    assert ("runbooks/pod-crashloop.yaml", "A103") not in found
    assert ("rules/kube.yaml", "A101") in found  # the rule file's own gaps are reported: it was given
    located = {(f["rule"], f["line"]) for f in alone.findings() if f["path"] == "rules/kube.yaml"}
    assert ("A101", 35) in located and ("A101", 42) not in located  # the critical crash loop is answered by context

"""Other YAML beside runbooks, through the real ``validate_runbook``: read what the tool knows, skip the rest.

``tests/fixtures/other-yaml`` is a runbook repository as teams keep them: a policy and a runbook
next to a Prometheus rule file, a PrometheusRule manifest, Kubernetes manifests (one file holds
two), an Ansible inventory (YAML and INI) and playbook, ``mkdocs.yml``, a GitHub workflow, a
compose file, a pre-commit configuration, and one runbook that lost its ``kind:``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from core_helpers import assert_clean_failure, validate

REPO = Path(__file__).resolve().parent.parent / "fixtures" / "other-yaml"
TODAY = "2026-11-23"

# file -> words the info line says about it
OTHERS = {
    "docker-compose.yml": "a Docker Compose file",
    "mkdocs.yml": "an MkDocs configuration",
    "mkdocs-no-nav.yml": "an MkDocs configuration",
    "mkdocs-nav-kept.yml": "an MkDocs configuration",
    "runbooks/alerts/api.rules.yaml": "a Prometheus rule file: read for its alerts",
    "runbooks/alerts/prometheusrule.yaml": "a PrometheusRule manifest: read for its alerts",
    "runbooks/deploy/deployment.yaml": "a Kubernetes manifest (kind: Deployment)",
    "runbooks/deploy/manifests.yaml": "2 Kubernetes manifests (kind: ConfigMap, Service)",
    "runbooks/deploy/playbook.yml": "an Ansible playbook",
    "runbooks/inventory/hosts.yml": "an Ansible inventory: not a runbook",
}
HIDDEN = {  # never found in a folder (dotfiles and hidden folders), but the pre-commit hook passes them by name
    ".github/workflows/ci.yml": "a GitHub Actions workflow",
    ".pre-commit-config.yaml": "a pre-commit configuration",
}


def _json(*args: str, cwd: Path = REPO) -> tuple[int, list[dict[str, object]]]:
    ran = validate("--format", "json", "--today", TODAY, *args, cwd=cwd)
    assert_clean_failure(ran, codes=(0, 1))
    return ran.code, ran.json()["findings"]


def _infos(findings: list[dict[str, object]]) -> dict[object, object]:
    assert all((f["line"], f["column"]) == (1, 1) for f in findings if f["rule"] == "Y016")
    return {f["path"]: f["message"] for f in findings if f["rule"] == "Y016"}


def test_a_folder_reads_what_it_knows_and_skips_the_rest_but_a_broken_runbook_is_an_error() -> None:
    code, findings = _json(".")
    assert code == 1
    assert [(f["path"], f["rule"], f["severity"]) for f in findings if f["severity"] != "info"] == [
        ("broken/no-kind.yaml", "F007", "error")
    ]
    infos = _infos(findings)
    assert sorted(infos) == sorted(OTHERS)  # one line per file, and none for the runbook, policy or INI inventory
    for path, words in OTHERS.items():
        assert words in str(infos[path]), infos[path]
    assert all(f["severity"] == "info" for f in findings if f["rule"] == "Y016")


def test_files_named_on_the_command_line_as_the_hook_passes_them() -> None:
    named = {**OTHERS, **HIDDEN}
    code, findings = _json(*named)
    assert code == 0, findings
    assert [f["rule"] for f in findings] == ["Y016"] * len(named)
    infos = _infos(findings)
    for path, words in named.items():
        assert words in str(infos[path]), infos[path]
    assert "narrow its `files:`" in str(findings[0]["hint"])


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("text", "docker-compose.yml:1:1: info: skipped: a Docker Compose file, not a runbook or policy [Y016]"),
        ("github", "::notice file=docker-compose.yml,line=1,endLine=1,col=1,"),
    ],
)
def test_the_info_line_in_text_and_github_formats_does_not_fail_the_run(fmt: str, expected: str) -> None:
    ran = validate("--format", fmt, "--today", TODAY, "docker-compose.yml", cwd=REPO)
    assert ran.code == 0, ran.both
    assert expected in ran.out, ran.out


def test_the_info_line_in_sarif_is_a_note() -> None:
    ran = validate("--format", "sarif", "--today", TODAY, "runbooks/deploy/deployment.yaml", cwd=REPO)
    assert ran.code == 0, ran.both
    results = json.loads(ran.out)["runs"][0]["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [("Y016", "note")]


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(REPO, target)
    return target


def test_a_rule_file_found_in_the_folder_is_checked_as_an_alert_source(tmp_path: Path) -> None:
    repo = _copy(tmp_path)
    rules = repo / "runbooks" / "alerts" / "api.rules.yaml"
    rules.write_text(
        rules.read_text(encoding="utf-8") + "      - alert: ApiSlow\n        expr: api_latency_seconds > 1\n", encoding="utf-8"
    )
    for args in (["runbooks"], ["runbooks/alerts/api.rules.yaml"]):
        code, findings = _json(*args, cwd=repo)
        assert code == 1
        assert [(f["path"], f["rule"], f["line"], f["message"]) for f in findings if f["severity"] == "error"] == [
            ("runbooks/alerts/api.rules.yaml", "A101", 13, "alert 'ApiSlow' has no runbook")
        ]


def test_an_alert_a_found_rule_file_defines_is_known(tmp_path: Path) -> None:
    """With --alert-rules naming another file, the runbook's alerts defined by the found ones are no A103."""
    repo = _copy(tmp_path)
    other = tmp_path / "edge.rules.yaml"
    other.write_text(
        "groups:\n  - name: edge\n    rules:\n      - alert: EdgeDown\n        expr: up == 0\n"
        "        annotations: {runbook_url: https://runbooks.example.org/runbooks/api-down.html}\n",
        encoding="utf-8",
    )
    code, findings = _json("--alert-rules", str(other), "runbooks", cwd=repo)
    assert code == 0, findings
    assert [f["rule"] for f in findings if f["rule"] != "Y016"] == []
    (repo / "runbooks" / "alerts" / "prometheusrule.yaml").unlink()  # ApiPodsCrashLooping is defined nowhere now
    code, findings = _json("--alert-rules", str(other), "runbooks", cwd=repo)
    assert [(f["rule"], f["message"]) for f in findings if f["rule"] != "Y016"] == [
        ("A103", "no alerting rule defines alert 'ApiPodsCrashLooping'")
    ]


# name -> content, and what the file must be: the words of its info line, or the error a runbook gets
CASES: dict[str, tuple[str, str]] = {
    ".gitlab-ci.yml": (
        "stages: [test]\nverify:\n  stage: test\n  script: [validate_runbook runbooks]\n",
        "a GitLab CI configuration",
    ),
    "azure-pipelines.yml": (
        "trigger: [main]\npool: {vmImage: ubuntu-latest}\nsteps:\n  - script: make\n",
        "an Azure Pipelines definition",
    ),
    "action.yml": (
        "name: validate\ninputs: {path: {description: where}}\nruns: {using: composite, steps: []}\n",
        "a GitHub Actions action",
    ),
    "dependabot.yml": ("version: 2\nupdates:\n  - package-ecosystem: pip\n    directory: /\n", "a Dependabot configuration"),
    "Chart.yaml": ("apiVersion: v2\nname: api\nversion: 1.4.2\n", "a Helm chart definition"),
    "audit-policy.yaml": (
        "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: Metadata}]\n",
        "a Kubernetes manifest (kind: Policy)",
    ),
    "aws_ec2.yml": ("plugin: amazon.aws.aws_ec2\nregions: [eu-west-1]\n", "an Ansible inventory plugin configuration"),
    "settings.yaml": ("log_level: info\nretries: 3\n", "YAML with no `kind:` and none of the runbook keys"),
    "hooks.yaml": ("- id: validate-runbook\n  entry: validate_runbook\n", "a pre-commit hooks definition"),
    "capital-kind.yaml": ("version: 1\nkind: Runbook\nid: x\n", "F007"),
    "typo-kind.yaml": ("kind: runbok\nid: x\n", "F007"),
    "other-kind.yaml": ("version: 1\nkind: playbook\nid: x\n", "F007"),
    "steps-only.yaml": ("steps:\n  - id: a\n    manual: look\n", "F007"),
    "policy-no-kind.yaml": ("version: 1\nid: p\nseverities: []\n", "F007"),
    "syntax-error.yaml": ("name: [unclosed\n", "Y001"),
    "scalar.yaml": ("just some text\n", "Y011"),
    "empty.yaml": ("", "Y011"),
    "runbook-list.yaml": ("- version: 1\n- kind: runbook\n", "Y011"),
    "runbooks-in-one.yaml": ("version: 1\nkind: runbook\n---\nversion: 1\nkind: policy\n", "Y001"),
}


def test_classification_is_by_content_and_leans_towards_runbook(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (tmp_path / ".git").mkdir()
    for name, (content, _) in CASES.items():
        (folder / name).write_text(content, encoding="utf-8")
    ran = validate("--format", "json", "--no-lint", *(f"mixed/{n}" for n in CASES), cwd=tmp_path)
    assert_clean_failure(ran, codes=(1,))
    by_file: dict[str, list[dict[str, object]]] = {}
    for f in ran.json()["findings"]:
        by_file.setdefault(str(f["path"]).removeprefix("mixed/"), []).append(f)
    for name, (_, expected) in CASES.items():
        got = by_file.get(name, [])
        if expected[:1] in "FY" and expected[1:].isdigit():
            assert expected in [f["rule"] for f in got], (name, got)
            assert "Y016" not in [f["rule"] for f in got], (name, got)
        else:
            assert [f["rule"] for f in got] == ["Y016"], (name, got)
            assert expected in str(got[0]["message"]), (name, got)

"""Lint configuration through the real CLI: [tool.runbook], .runbook.yaml, --config, and bad configs (exit 2)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.rules.conftest import STANDARD_POLICY, write_repo

# ana's name is a placeholder (C101, error, line 31) and the policy has no owner (C109, warning, line 3)
POLICY = STANDARD_POLICY.replace("    name: Ana Lima\n", '    name: "[Name]"\n')


def validate(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "validator", "validate", "--today", "2026-06-01", *args],
                          cwd=root, capture_output=True, text=True, check=False)


def rules_in(output: str) -> list[tuple[str, str]]:
    return sorted((f["rule"], f["severity"]) for f in json.loads(output)["findings"])


def test_defaults_without_configuration(tmp_path: Path) -> None:
    write_repo(tmp_path, None, POLICY)
    run = validate(tmp_path, "--format", "json", ".")
    assert run.returncode == 1
    assert [r for r in rules_in(run.stdout) if r[0].startswith("C")] == [("C101", "error"), ("C109", "warning")]


def test_pyproject_disables_and_downgrades(tmp_path: Path) -> None:
    write_repo(tmp_path, None, POLICY, config='disable = ["C109"]\nseverity = { C101 = "warning" }\n')
    run = validate(tmp_path, "--format", "json", ".")
    assert run.returncode == 0, run.stderr
    assert [r for r in rules_in(run.stdout) if r[0].startswith("C")] == [("C101", "warning")]
    assert validate(tmp_path, "--strict", ".").returncode == 1


def test_ignored_paths_drop_lint_findings_but_not_core_findings(tmp_path: Path) -> None:
    write_repo(tmp_path, None, None, config='ignore = ["legacy/**"]\n',
               files={"legacy/policy.yaml": POLICY, "legacy/broken.yaml": "kind: runbook\nid: [\n"})
    run = validate(tmp_path, "--format", "json", ".")
    found = json.loads(run.stdout)["findings"]
    assert [(f["rule"], f["path"]) for f in found] == [("Y001", "legacy/broken.yaml")]


def test_docs_url_names_the_site_whose_rule_reference_every_link_opens(tmp_path: Path) -> None:
    write_repo(tmp_path, None, POLICY, config='docs_url = "https://runbooks.acme.test/ops"\n')
    text = validate(tmp_path, ".").stdout
    assert "  docs: https://runbooks.acme.test/ops/rules/#c101\n" in text
    assert "runbook rules" not in text
    sarif = json.loads(validate(tmp_path, "--format", "sarif", ".").stdout)
    driver = sarif["runs"][0]["tool"]["driver"]
    assert "https://runbooks.acme.test/ops/rules/#c101" in {r["helpUri"] for r in driver["rules"]}
    assert driver["informationUri"] == "https://runbooks.acme.test/ops/"


def test_without_a_site_links_name_the_offline_explanation_and_sarif_no_uri(tmp_path: Path) -> None:
    write_repo(tmp_path, None, POLICY)
    text = validate(tmp_path, ".").stdout
    assert "  docs: runbook rules C101\n" in text
    assert "http" not in "".join(line for line in text.splitlines() if line.startswith("  docs:"))
    driver = json.loads(validate(tmp_path, "--format", "sarif", ".").stdout)["runs"][0]["tool"]["driver"]
    assert "informationUri" not in driver
    assert not [r for r in driver["rules"] if "helpUri" in r]
    c101 = next(r for r in driver["rules"] if r["id"] == "C101")
    explained = subprocess.run([str(Path(sys.executable).parent / "runbook"), "rules", "C101"], capture_output=True,
                               text=True, check=True, cwd=tmp_path).stdout
    assert c101["help"]["text"] == explained  # the same words as `runbook rules C101`
    assert "`runbook rules C101`" in c101["help"]["markdown"]


def test_runbook_yaml_is_read_when_pyproject_has_no_table(tmp_path: Path) -> None:
    write_repo(tmp_path, None, POLICY, files={".runbook.yaml": "disable:\n  - C101\n  - C109\n  - C115\n"})
    run = validate(tmp_path, ".")
    assert run.returncode == 0, run.stdout


@pytest.mark.parametrize("name", ["lint.yaml", "lint.toml"])
def test_explicit_config_file(tmp_path: Path, name: str) -> None:
    body = "disable: [C101, C109, C115]\n" if name.endswith(".yaml") else '[tool.runbook]\ndisable = ["C101", "C109", "C115"]\n'
    write_repo(tmp_path, None, POLICY, files={f"conf/{name}": body})
    assert validate(tmp_path, "policy.yaml").returncode == 1
    assert validate(tmp_path, "--config", f"conf/{name}", "policy.yaml").returncode == 0


@pytest.mark.parametrize(("config", "message"), [
    ('disabled = ["C101"]\n', "pyproject.toml:5: unknown setting 'disabled' (did you mean 'disable'?)"),
    ('disable = ["C101", "C1O9"]\n', "pyproject.toml:5: unknown rule id 'C1O9' (did you mean 'C109'?)"),
    ('disable = ["R002"]\n', "pyproject.toml:5: R002 is a core validation check, not a lint rule"),
    ('disable = "C101"\n', "pyproject.toml:5: 'disable' is a list of rule ids"),
    ('\n[tool.runbook.severity]\nC101 = "fatal"\n', "pyproject.toml:7: severity of C101 must be error, warning or info"),
    ('docs_url = "wiki/rules"\n', "pyproject.toml:5: 'docs_url' is the address the runbook site is published at"),
    ('ignore = "legacy"\n', "pyproject.toml:5: 'ignore' is a list of glob paths"),
    ("disable = [\n", "pyproject.toml:5: TOML syntax: Invalid value at the end of the file"),
    ("disable = ]\n", "pyproject.toml:5:11: TOML syntax: Invalid value"),
])
def test_bad_pyproject_is_a_located_usage_error(tmp_path: Path, config: str, message: str) -> None:
    write_repo(tmp_path, None, POLICY, config=config)
    run = validate(tmp_path, ".")
    assert run.returncode == 2
    assert message in run.stderr
    assert "Traceback" not in run.stderr
    assert run.stdout == ""


@pytest.mark.parametrize(("body", "message"), [
    ("disable: [C101]\nseverity:\n  C102: loud\n", ".runbook.yaml:3:9: severity of C102 must be error, warning or info"),
    ("disable:\n  - C101\n  - X999\n", ".runbook.yaml:3:5: unknown rule id 'X999'"),
    ("disable: [C101\n", ".runbook.yaml:1:10: YAML syntax"),
    ("ignores: []\n", ".runbook.yaml:1:1: unknown setting 'ignores' (did you mean 'ignore'?)"),
])
def test_bad_runbook_yaml_is_a_located_usage_error(tmp_path: Path, body: str, message: str) -> None:
    write_repo(tmp_path, None, POLICY, files={".runbook.yaml": body})
    run = validate(tmp_path, ".")
    assert run.returncode == 2
    assert message in run.stderr


def test_explicit_toml_without_table_is_an_error(tmp_path: Path) -> None:
    write_repo(tmp_path, None, POLICY, files={"other.toml": "[tool.black]\nline-length = 100\n"})
    run = validate(tmp_path, "--config", "other.toml", ".")
    assert run.returncode == 2
    assert "other.toml:1: no [tool.runbook] table" in run.stderr


def test_per_path_switches_rules_off_under_some_paths_only(tmp_path: Path) -> None:
    config = ('[[tool.runbook.per_path]]\npaths = ["demo/**"]\ndisable = ["C115"]\n'
              'reason = "the demo contacts are invented on purpose"\n')
    files = {"demo/policy.yaml": POLICY, "prod/policy.yaml": POLICY.replace("id: standard", "id: prod")}
    write_repo(tmp_path, None, None, files=files, config=config)
    run = validate(tmp_path, "--format", "json", ".")
    found = {(f["path"], f["rule"]) for f in json.loads(run.stdout)["findings"]}
    assert ("prod/policy.yaml", "C115") in found
    assert not [f for f in found if f[0].startswith("demo/") and f[1] == "C115"]


@pytest.mark.parametrize(("entry", "message"), [
    ('paths = ["demo/**"]\ndisable = ["C115"]\n', "pyproject.toml:6: a per_path entry needs a reason"),
    ('paths = ["demo/**"]\ndisable = ["C11"]\nreason = "x"\n', "unknown rule id 'C11'"),
    ('paths = "demo"\ndisable = ["C115"]\nreason = "x"\n', "per_path 'paths' is a list of glob paths"),
    ('paths = ["demo/**"]\ndisable = ["C115"]\nreason = "x"\nwhy = "y"\n', "unknown per_path setting 'why'"),
])
def test_bad_per_path_is_a_located_usage_error(tmp_path: Path, entry: str, message: str) -> None:
    write_repo(tmp_path, None, POLICY, config=f"\n[[tool.runbook.per_path]]\n{entry}")
    run = validate(tmp_path, ".")
    assert run.returncode == 2
    assert message in run.stderr, run.stderr

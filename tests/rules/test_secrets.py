"""Secrets rules (K5xx) on real fixture files; a credential never reaches any output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.rules.case_helpers import CORE, check_golden, copy_case, run_in
from tests.rules.conftest import STANDARD_RUNBOOK, LintCheck
from validator import secrets

RULES = ["K501", "K502", "K503"]
PLANTED = ["AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "ghp_Zx81Kd0PqLmN3vB7tR2sW9yC4hJ6fA5eG1uT",
           "Sup3rS3cretPw"]


@pytest.mark.parametrize("rule", RULES)
def test_failing_fixture_matches_golden(rule: str, tmp_path: Path) -> None:
    found = check_golden(rule, run_in(copy_case("secrets", f"{rule}-bad", tmp_path)))
    assert found and {f.rule for f in found} == {rule}


@pytest.mark.parametrize("rule", RULES)
def test_passing_fixture_is_clean(rule: str, tmp_path: Path) -> None:
    result = run_in(copy_case("secrets", f"{rule}-good", tmp_path))
    assert [(f.rule, f.message) for f in result.findings if f.rule.startswith(("K", *CORE))] == []


def test_every_planted_credential_is_found(tmp_path: Path) -> None:
    found = [f for f in run_in(copy_case("secrets", "K501-bad", tmp_path)).findings if f.rule == "K501"]
    assert [(f.line, f.message.split(" written")[0]) for f in found] == [
        (13, "AWS access key id"), (14, "AWS secret access key"), (17, "GitHub token"), (18, "password in URL")]


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_no_output_format_repeats_a_credential(fmt: str, tmp_path: Path) -> None:
    root = copy_case("secrets", "K501-bad", tmp_path)
    report = tmp_path / f"report.{fmt}"
    shown = subprocess.run([sys.executable, "-m", "validator", "validate", "--format", fmt, "."],
                           cwd=root, capture_output=True, text=True, check=False)
    written = subprocess.run([sys.executable, "-m", "validator", "validate", "--format", fmt, "-o", str(report), "."],
                             cwd=root, capture_output=True, text=True, check=False)
    assert shown.returncode == 1, shown.stderr
    assert "K501" in shown.stdout and "K501" in report.read_text(encoding="utf-8")
    everything = shown.stdout + shown.stderr + written.stdout + written.stderr + report.read_text(encoding="utf-8")
    for secret in PLANTED:
        assert secret not in everything
    assert secrets.MASK in shown.stdout or fmt != "text"


def test_private_key_block_in_policy_is_reported_once(lint_check: LintCheck) -> None:
    from tests.rules.conftest import STANDARD_POLICY
    policy = STANDARD_POLICY + ("  - id: key-rotation\n    body: |\n      -----BEGIN OPENSSH PRIVATE KEY-----\n"
                                "      b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
                                "      -----END OPENSSH PRIVATE KEY-----\n")
    found = lint_check(STANDARD_RUNBOOK, [("policy.yaml", "K501", 60, 7)], select="K5", policy=policy)
    assert found[0].message == "private key written inline (value not shown)"


@pytest.mark.parametrize("name", ["password", "db_password", "api_token", "STRIPE_API_KEY", "aws_secret_key", "credentials"])
def test_credential_like_input_names(name: str, lint_check: LintCheck) -> None:
    runbook = STANDARD_RUNBOOK.replace("steps:\n", f"inputs:\n  - name: {name}\nsteps:\n").replace(
        "run: df -h /var/lib/postgresql", f"run: df -h /var/lib/postgresql\n    env:\n      V: ${{{name}}}")
    lint_check(runbook, [("K503", 9, 11)], select="K503")


@pytest.mark.parametrize("name", ["token_count", "passenger", "keyspace", "secretary_desk"])
def test_ordinary_input_names_are_not_credentials(name: str, lint_check: LintCheck) -> None:
    runbook = STANDARD_RUNBOOK.replace("steps:\n", f"inputs:\n  - name: {name}\nsteps:\n").replace(
        "run: df -h /var/lib/postgresql", f"run: df -h /var/lib/postgresql\n    env:\n      V: ${{{name}}}")
    lint_check(runbook, [], select="K503")

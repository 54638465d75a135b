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
PLANTED = ["AKIA2E0A8F3B244C9986", "q8Vt3LmZ0pR7sK2nX5yB9cW1dF4gH6jT0aE3uI8o", "ghp_Zx81Kd0PqLmN3vB7tR2sW9yC4hJ6fA5eG1uT",
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


def test_an_empty_default_only_makes_a_secret_optional(lint_check: LintCheck) -> None:
    declared = "inputs:\n  - {name: api_token, secret: true, required: false, default: ''}\nsteps:\n"
    runbook = STANDARD_RUNBOOK.replace("steps:\n", declared)
    runbook = runbook.replace("run: df -h /var/lib/postgresql", "run: df -h /var/lib/postgresql\n    env:\n      T: ${api_token}")
    lint_check(runbook, [], select="K5")


@pytest.mark.parametrize(("text", "kind"), [
    ("AKIAIOSFODNN7EXAMPLE", "AWS access key id"),
    ("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AWS secret access key"),
    ("ghp_Zx81Kd0PqLmN3vB7tR2sW9yC4hJ6fA5eG1uT", "GitHub token"),
    ("glpat-Ab3dEf6hIj9kLm2nOp5q", "GitLab token"),
    ("xoxb-1234567890-abcdefghij", "Slack token"),
    ("https://hooks.slack.com/services/T000/B000/XXXXXXXX", "Slack webhook"),
    ("sk_live_4eC39HqLyjWDarjtT1zdp7dc", "Stripe key"),
    ("AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q", "Google API key"),
    ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "JSON web token"),
    ("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBk\n-----END EC PRIVATE KEY-----", "private key"),
    ("mysql://admin:Sup3rS3cretPw@db.internal/orders", "password in URL"),
    ("Authorization: Bearer abcdefghijklmnop1234", "bearer token"),
    ("DB_PASSWORD=Correct-Horse-Battery-9 ./migrate", "assigned secret"),
    ("client_secret: 8f14e45fceea167a5a36", "assigned secret"),
])
def test_each_credential_format_is_recognised_and_redacted(text: str, kind: str) -> None:
    assert [m.name for m in secrets.find(text)] == [kind]
    assert secrets.MASK in secrets.redact(text)


@pytest.mark.parametrize("text", [
    "password: ${db_password}", "token=<TOKEN>", "api_key: [REDACTED]", "secret: true", "PGPASSWORD=$PGPASSWORD psql",
    "https://grafana.example.com/d/api?orgId=1", "see https://wiki.example.com/@team/runbooks", "token_count: 12345678",
    "Reset the password in the admin console", "AKIA-style keys start with AKIA",
])
def test_ordinary_runbook_text_is_not_a_credential(text: str) -> None:
    assert list(secrets.find(text)) == []



def test_vendor_documentation_values_are_not_inline_credentials(lint_check: LintCheck) -> None:
    runbook = STANDARD_RUNBOOK.replace("steps:\n", "inputs:\n  - {name: key_id, example: AKIAIOSFODNN7EXAMPLE}\nsteps:\n")
    runbook = runbook.replace("run: df -h /var/lib/postgresql", "run: aws iam get-access-key-last-used --access-key-id ${key_id}")
    lint_check(runbook, [], select="K5")
    lint_check(runbook.replace("AKIAIOSFODNN7EXAMPLE", "AKIA2E0A8F3B244C9986"), [("K501", 9, 29)], select="K5")

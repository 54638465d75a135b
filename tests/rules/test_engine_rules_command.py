"""``runbook rules`` and ``runbook rules ID`` through the real entry point."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from validator.catalog import CORE_RULES
from validator.rules import registry


def runbook(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "validator", *args], capture_output=True, text=True, check=False, cwd=cwd)


def test_lists_every_core_and_lint_rule_with_severity_and_summary() -> None:
    run = runbook("rules")
    assert run.returncode == 0, run.stderr
    listed = {line.split()[0]: line.split()[1] for line in run.stdout.splitlines() if line[:1].isupper() and line[1:2].isdigit()}
    lint = {r.info.id: r.info.severity.value for r in registry.rules()}
    assert listed == {**{k: v.severity.value for k, v in CORE_RULES.items()}, **lint}
    assert "C101  error    placeholder-contact" in run.stdout
    assert "T201  error    severity-order" in run.stdout


def test_every_lint_rule_documents_why_and_how_to_fix() -> None:
    """A docstring is the rule's documentation: a rationale paragraph, then how to fix it."""
    for r in registry.rules():
        assert r.info.summary and r.info.hint, r.info.id
        assert len(r.doc.split("\n\n")) >= 2, f"{r.info.id} docstring needs a rationale and a fix paragraph"
        if r.info.id.startswith(("C1", "T2", "L0")):
            assert "\n\nFix: " in r.doc, r.info.id


def test_explains_one_rule_from_its_docstring() -> None:
    run = runbook("rules", "t202")
    assert run.returncode == 0
    assert run.stdout.startswith("T202 resolve-before-respond (error, lint rule)\n")
    assert "an incident cannot be resolved before\nanyone has responded to it" in run.stdout
    assert "Docs:" not in run.stdout and "http" not in run.stdout  # offline: no site configured, no address


def test_explains_a_rule_by_name_and_a_core_check() -> None:
    assert runbook("rules", "backup-cycle").stdout.startswith("C108 backup-cycle")
    core = runbook("rules", "R002").stdout
    assert "core check, always on" in core


def test_docs_link_follows_the_configured_docs_url(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.runbook]\ndocs_url = "https://runbooks.acme.test/"\n')
    assert "Docs: https://runbooks.acme.test/rules/#c104" in runbook("rules", "C104", cwd=tmp_path).stdout


def test_unknown_rule_is_a_usage_error_with_a_suggestion() -> None:
    run = runbook("rules", "C1O1")
    assert run.returncode == 2
    assert "unknown rule 'C1O1': did you mean 'C101'?" in run.stderr

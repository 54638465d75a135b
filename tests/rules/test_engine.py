"""The lint engine end to end: the standard fixtures are clean, findings carry lint metadata."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from tests.rules.conftest import STANDARD_POLICY, STANDARD_RUNBOOK, LintCheck, lint_repo, write_repo
from validator.findings import Finding

REVIEW = 'review:\n  last_reviewed: "2026-05-01"\n  every: 90d\n'
OWNED_POLICY = STANDARD_POLICY.replace("title: Standard test policy\n", "title: Standard test policy\nowner: ops-team\n" + REVIEW)
REVIEWED_RUNBOOK = STANDARD_RUNBOOK.replace("severity: SEV2\n", "severity: SEV2\n" + REVIEW)


def test_standard_policy_and_runbook_are_clean(tmp_path: Path) -> None:
    """With an owner and review dates added, the standard fixtures pass every rule of every family."""
    write_repo(tmp_path, REVIEWED_RUNBOOK, OWNED_POLICY)
    assert [(f.rule, f.line, f.message) for f in lint_repo(tmp_path)] == []


def test_lint_check_reports_core_findings(lint_check: LintCheck) -> None:
    broken = STANDARD_RUNBOOK.replace("owner: incident-commander", "owner: nobody-here")
    found = lint_check(broken, [("R002", 6, 8)], select="C1", policy=OWNED_POLICY)
    assert "nobody-here" in found[0].message


def test_ignore_globs_match_paths_from_the_repository_root() -> None:
    from validator.rules.config import Config

    config = Config(ignore=("legacy/**", "old/", "*.draft.yaml"))
    assert config.ignored("legacy/a/b.yaml")
    assert config.ignored("old/x.yaml")
    assert config.ignored("drafts/x.draft.yaml")
    assert not config.ignored("runbooks/legacy.yaml")


def test_a_crashing_rule_is_named_in_the_error(tmp_path: Path) -> None:
    import pytest

    from validator.findings import Severity
    from validator.rules import base

    def broken(ctx: base.Context) -> Iterator[Finding]:
        """Fails on purpose.\n\nFix: none."""
        raise KeyError("boom")
        yield  # pragma: no cover

    base.rule("C199", "broken-on-purpose", Severity.ERROR, "test only", "none")(broken)
    try:
        write_repo(tmp_path, REVIEWED_RUNBOOK, OWNED_POLICY)
        with pytest.raises(RuntimeError, match=r"lint rule C199 \(broken-on-purpose\) failed: 'boom'"):
            lint_repo(tmp_path)
    finally:
        base._RULES[:] = [r for r in base._RULES if r.info.id != "C199"]

"""Warnings a careful author would not dispute: zero escalation delay, outside deadlines,
steps that cannot be undone by nature, diagnosis-only runbooks."""

from __future__ import annotations

from tests.rules.conftest import STANDARD_POLICY, STANDARD_RUNBOOK, LintCheck


def test_escalate_at_once_is_a_target_but_a_zero_response_is_not(lint_check: LintCheck) -> None:
    policy = STANDARD_POLICY.replace("    escalate_after: 15m\n", "    escalate_after: 0s\n")
    lint_check(None, [], select="T212", policy=policy)
    lint_check(None, [("policy.yaml", "T212", 8, 14)], select="T212", policy=policy.replace("respond: 5m", "respond: 0s", 1))


REGULATOR = STANDARD_RUNBOOK.replace("    timeout: 30s\n", """\
    timeout: 30s
    within: 1h
  - id: tell-regulator
    title: Notify the data protection authority
    manual: File the breach notification on the authority's portal.
    within: 72h
    deadline_kind: regulatory
  - id: contain
    title: Contain
    run: df -h /
    within: 2h
""")


def test_a_regulatory_deadline_may_run_past_the_resolve_target(lint_check: LintCheck) -> None:
    lint_check(REGULATOR, [], select="T205")
    lint_check(REGULATOR.replace("    deadline_kind: regulatory\n", ""), [("T205", 17, 13), ("T205", 21, 13)], select="T205")


IRREVERSIBLE = STANDARD_RUNBOOK.replace("    timeout: 30s\n", """\
    timeout: 30s
  - id: revoke
    title: Revoke the leaked key
    risk: destructive
    run: vault lease revoke -prefix aws/creds/deploy
    irreversible: revoked leases cannot be restored; new credentials are issued instead
""")


def test_an_irreversible_step_is_not_asked_for_an_undo(lint_check: LintCheck) -> None:
    lint_check(IRREVERSIBLE, [], select=("S405", "S408", "S409"))
    plain = IRREVERSIBLE.replace("    irreversible: revoked leases cannot be restored; new credentials are issued instead\n", "")
    lint_check(plain, [("S409", 15, 11)], select=("S405", "S408", "S409"))


def test_an_irreversible_step_still_wants_a_check_after_it(lint_check: LintCheck) -> None:
    runbook = IRREVERSIBLE.split("verify:")[0] + "rollback:\n  - {id: back, manual: Ask security to re-issue the key}\n"
    (finding,) = lint_check(runbook, [("S408", 13, 9)], select="S408")
    assert finding.message == "irreversible step 'revoke' has no verification that runs a check after it"


DIAGNOSIS = STANDARD_RUNBOOK.split("verify:")[0] + """\
  - id: connections
    title: Who holds connections?
    run: psql -c 'SELECT state, count(*) FROM pg_stat_activity GROUP BY state'
"""


def test_a_diagnosis_only_runbook_needs_no_verification(lint_check: LintCheck) -> None:
    lint_check(DIAGNOSIS, [], select="S407")
    changing = DIAGNOSIS + "  - {id: fix, title: Restart the pooler, risk: mutating, run: systemctl restart pgbouncer}\n"
    lint_check(changing, [("S407", 8, 1)], select="S407")
    looking = DIAGNOSIS + "  - {id: graph, title: Graph, manual: Check the connection graph on the database dashboard}\n"
    lint_check(looking, [], select="S407")
    acting = DIAGNOSIS + "  - {id: block, title: Block, manual: Block the offending client IPs at the load balancer}\n"
    lint_check(acting, [("S407", 8, 1)], select="S407")
    scripted = DIAGNOSIS + "  - {id: fix, title: Repair, script: scripts/repair.sh}\n"
    lint_check(scripted, [("S407", 8, 1)], select="S407", files={"scripts/repair.sh": "#!/bin/sh\ntrue\n"})

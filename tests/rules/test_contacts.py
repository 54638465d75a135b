"""Contact rules (C1xx) on real fixture files, and edge cases through ``lint_check``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.case_helpers import CORE, FIXTURES, check_golden, copy_case, run_in
from tests.rules.conftest import STANDARD_POLICY, LintCheck

RULES = sorted(p.name.removesuffix("-bad") for p in (FIXTURES / "contacts").glob("C1*-bad"))
POLICY = STANDARD_POLICY.replace("title: Standard test policy\n", "title: Standard test policy\nowner: ops-team\n")


def test_every_contact_rule_has_fixtures() -> None:
    from validator.rules import registry

    ids = sorted(r.info.id for r in registry.rules() if r.info.id.startswith("C1"))
    assert ids == RULES
    assert all((FIXTURES / "contacts" / f"{rule}-good").is_dir() for rule in RULES)


@pytest.mark.parametrize("rule", RULES)
def test_failing_fixture_matches_golden(rule: str, tmp_path: Path) -> None:
    found = check_golden(rule, run_in(copy_case("contacts", f"{rule}-bad", tmp_path)))
    assert found
    assert {f.rule for f in found} == {rule}


@pytest.mark.parametrize("rule", RULES)
def test_passing_fixture_is_clean(rule: str, tmp_path: Path) -> None:
    result = run_in(copy_case("contacts", f"{rule}-good", tmp_path))
    assert [(f.rule, f.line, f.message) for f in result.findings if f.rule.startswith(("C1", "T2", *CORE))] == []


def _policy_with(field: str, value: str) -> str:
    """The standard policy with one of contact ana's fields replaced (see ANA_LINE)."""
    lines = {"name": "    name: Ana Lima", "phone": '    phone: "+44 20 7946 0958"',
             "email": "    email: ana.lima@acme-payments.io", "chat": '    chat: "@ana"'}
    return POLICY.replace(lines[field] + "\n", f"    {field}: {value}\n")


ANA_LINE = {"name": 31, "phone": 32, "email": 33, "chat": 34}


@pytest.mark.parametrize(("field", "value", "col"), [
    ("name", '"[REDACTED]"', 12),
    ("name", "Lorem Ipsum", 11),
    ("name", "TODO", 11),
    ("name", '"<on-call engineer>"', 12),
    ("phone", '"+44 XXXX XXXXXX"', 17),
    ("phone", '"+1 555 000 0000"', 13),
    ("phone", '"+1 (123) 456-7890"', 13),
    ("email", "changeme@acme-payments.io", 12),
    ("email", "user@yourcompany.com", 12),
    ("chat", '"#channel-name"', 12),
])
def test_placeholder_values(lint_check: LintCheck, field: str, value: str, col: int) -> None:
    found = lint_check(None, [("C101", ANA_LINE[field], col)], select="C1", policy=_policy_with(field, value))
    assert "placeholder" in found[0].message


@pytest.mark.parametrize("value", ['"+44 20 7946 0958"', '"0044 20 7946 0958"', '"tel:+442079460958"', '"+1-202-555-0143"'])
def test_international_numbers_in_their_usual_spellings_pass(lint_check: LintCheck, value: str) -> None:
    lint_check(None, [], select="C1", policy=_policy_with("phone", value))


@pytest.mark.parametrize(("value", "reason"), [
    ('"+999 20 7946 0958"', "unknown country code"),
    ('"+44 20 7946 09588"', "wrong number of digits"),
    ('"+1 415 155 2671"', "numbering plan"),
    ('"(415) 555-2671"', "international format"),
])
def test_phone_problems_say_why(lint_check: LintCheck, value: str, reason: str) -> None:
    found = lint_check(None, [("C102", 32, 12)], select="C1", policy=_policy_with("phone", value))
    assert reason in found[0].message


def test_a_placeholder_phone_is_reported_once_as_a_placeholder(lint_check: LintCheck) -> None:
    lint_check(None, [("C101", 32, 16)], select="C1", policy=_policy_with("phone", '"+1-XXX-XXX-XXXX"'))


def test_top_severity_paging_nobody(lint_check: LintCheck) -> None:
    policy = POLICY.replace("    page: [incident-commander]\n", "")
    found = lint_check(None, [("C105", 7, 9)], select="C1", policy=policy)
    assert found[0].message == "SEV1 (Critical) pages nobody"


def test_paging_a_team_rota_alone_is_enough(lint_check: LintCheck) -> None:
    lint_check(None, [], select="C1", policy=POLICY.replace("page: [incident-commander]", "page: [ops-team]"))


def test_a_person_whose_backup_chain_reaches_a_rota_is_enough(lint_check: LintCheck) -> None:
    lint_check(None, [], select="C1", policy=POLICY.replace("page: [incident-commander]", "page: [bo]"))


def test_three_person_backup_loop_is_reported_once(lint_check: LintCheck) -> None:
    policy = POLICY.replace("    backup: ops-team\n", "    backup: cy\n").replace(
        "roles:\n", '  - id: cy\n    name: Cy Diaz\n    phone: "+33 1 42 68 53 00"\n    backup: ana\nroles:\n')
    found = lint_check(None, [("C108", 49, 13)], select="C1", policy=policy)
    assert found[0].message == "backup chain loops: ana → bo → cy → ana"


def test_core_reference_errors_are_not_repeated(lint_check: LintCheck) -> None:
    """An unknown backup is R002's; the contact rules do not add a second finding about it."""
    lint_check(None, [("R002", 35, 13)], select="C1", policy=POLICY.replace("    backup: bo\n", "    backup: bob\n"))


def test_a_paging_integration_alone_is_a_single_point(lint_check: LintCheck) -> None:
    policy = POLICY.replace("    type: team\n", "    type: service\n").replace("page: [incident-commander]", "page: [ops-team]")
    found = lint_check(None, [("C105", 13, 11)], select="C1", policy=policy)
    assert found[0].message == "SEV1 (Critical) pages only 'ops-team' (a service), with no backup"


@pytest.mark.parametrize("pager", ["pagerduty:P7Q2L9K", "opsgenie:payments-primary", "Payments primary schedule"])
def test_pager_targets_pass(lint_check: LintCheck, pager: str) -> None:
    lint_check(None, [], select="C1", policy=POLICY.replace("pagerduty:P7Q2L9K", pager))


@pytest.mark.parametrize("pager", ["routing key in vault", "see pagerduty.yaml", "ask the team lead for the current schedule"])
def test_pager_pointers_and_sentences_fail(lint_check: LintCheck, pager: str) -> None:
    lint_check(None, [("C113", 44, 12)], select="C1", policy=POLICY.replace("pagerduty:P7Q2L9K", pager))


def test_an_address_with_a_display_name_is_an_email_problem_not_a_placeholder(lint_check: LintCheck) -> None:
    policy = _policy_with("email", '"Ana Lima <ana.lima@acme-payments.io>"')
    found = lint_check(None, [("C103", 33, 12)], select="C1", policy=policy)
    assert "is not valid" in found[0].message


@pytest.mark.parametrize(("field", "value"), [
    ("email", "oncall@example.com"), ("email", "ops@status.example.org"), ("email", "a@example.net"),
    ("email", "pager@acme.test"), ("email", "x@acme.invalid"), ("email", "root@localhost"), ("email", "mailto:dba@corp.example"),
    ("phone", "+44 20 7946 0958"), ("phone", "+44 7700 900461"), ("phone", "+44 161 496 0123"), ("phone", "+1 415 555 0142"),
    ("phone", "+1 (212) 555-0199"), ("phone", "+61 2 5550 1234"), ("phone", "+61 491 570 156"), ("phone", "0044 20 7946 0000"),
])
def test_values_reserved_for_fiction_are_recognised(field: str, value: str) -> None:
    from validator.rules import contact_values

    assert contact_values.fictional(value, field) is not None


@pytest.mark.parametrize(("field", "value"), [
    ("email", "oncall@examples.com"), ("email", "ops@example.co.uk"), ("email", "sre@testing.io"), ("email", "dba@acme.com"),
    ("phone", "+44 20 7946 1958"), ("phone", "+1 415 555 2671"), ("phone", "+1 415 555 0200"), ("phone", "+44 20 3885 0958"),
    ("phone", "+61 2 9374 4000"),
])
def test_real_looking_values_are_not_fictional(field: str, value: str) -> None:
    from validator.rules import contact_values

    assert contact_values.fictional(value, field) is None


@pytest.mark.parametrize("name", ["On-call engineer (replace with a real person)", "TBD", "Team lead - to be confirmed",
                                  "changeme"])
def test_names_left_for_someone_to_fill_in_are_placeholders(name: str) -> None:
    from validator.rules import contact_values

    assert contact_values.placeholder(name, "name") is not None

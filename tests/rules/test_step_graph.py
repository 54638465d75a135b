"""The graph rules (S420 unreachable-step, S421 pointless-decision, S422 loop-without-exit) on
inline runbooks, each both firing and staying quiet on the fixed version."""

from __future__ import annotations

from tests.rules.conftest import LintCheck

HEAD = """\
version: 1
kind: runbook
id: api-errors
title: API error rate high
service: api
owner: incident-commander
severity: SEV2
steps:
"""

SKIPPED_OVER = HEAD + """\
  - id: scope
    decide:
      question: Read path or write path?
      choices:
        - {answer: read, goto: cache}
        - {answer: write, goto: queue}
  - id: orphan
    manual: Nobody ever gets here.
  - id: cache
    manual: Flush the read cache.
    next: confirm
  - id: queue
    manual: Drain the write queue.
  - id: confirm
    manual: Watch the error rate for five minutes.
"""


def test_a_step_every_path_jumps_past(lint_check: LintCheck) -> None:
    found = lint_check(SKIPPED_OVER, [("S420", 15, 9)], select="S420")
    assert found[0].message == "step 'orphan' is never reached: every path jumps past it"


def test_a_step_behind_a_condition_or_a_failure_goto_is_reachable(lint_check: LintCheck) -> None:
    lint_check(SKIPPED_OVER.replace("goto: cache}", "goto: orphan}"), [], select="S420")
    lint_check(SKIPPED_OVER.replace("    manual: Nobody ever gets here.\n", "    manual: Nobody ever gets here.\n")
               .replace("  - id: scope\n", "  - id: probe\n    run: curl -fsS https://api.example.org/healthz\n"
                        "    on_failure: {goto: orphan, max: 1}\n  - id: scope\n"), [], select="S420")


SAME_PLACE = HEAD + """\
  - id: customer-facing
    decide:
      question: Are customers affected?
      choices:
        - {answer: 'yes'}
        - {answer: 'no'}
  - id: post-status
    manual: Post on the status page.
"""


def test_a_decision_whose_answers_change_nothing(lint_check: LintCheck) -> None:
    found = lint_check(SAME_PLACE, [("S421", 10, 5)], select="S421")
    assert "decides nothing" in found[0].message


def test_a_decision_that_matters_is_quiet(lint_check: LintCheck) -> None:
    lint_check(SAME_PLACE.replace("{answer: 'yes'}", "{answer: 'yes', severity: SEV1}"), [], select="S421")
    lint_check(SAME_PLACE.replace("{answer: 'no'}", "{answer: 'no', goto: post-status}")
               .replace("  - id: post-status\n", "  - id: tell-support\n    manual: Tell support.\n  - id: post-status\n"),
               [], select="S421")
    lint_check(SAME_PLACE.replace("    manual: Post on the status page.\n", "    manual: Post on the status page.\n"
                                  "    when: steps.customer-facing.answer == 'yes'\n"), [], select="S421")


TRAPPED = HEAD + """\
  - id: restart
    manual: Restart the worker pool.
  - id: fixed
    decide:
      question: Is the error rate back under 1%?
      choices:
        - {answer: 'no', goto: restart}
        - {answer: 'still no', goto: restart}
  - id: confirm
    manual: Close the incident.
"""


def test_a_loop_no_answer_leaves(lint_check: LintCheck) -> None:
    found = lint_check(TRAPPED, [("S422", 16, 38)], select="S422")
    assert found[0].message == "steps restart, fixed loop with no way out: no answer leads past them"


def test_a_loop_with_an_answer_that_goes_on_is_fine(lint_check: LintCheck) -> None:
    lint_check(TRAPPED.replace("{answer: 'still no', goto: restart}", "{answer: 'yes'}"), [], select="S422")


def test_a_next_that_goes_back_for_ever(lint_check: LintCheck) -> None:
    text = HEAD + "  - id: a\n    manual: A.\n  - id: b\n    manual: B.\n    next: a\n  - id: c\n    manual: C.\n"
    lint_check(text, [("S420", 14, 9), ("S422", 13, 11)], select=("S420", "S422"))

"""S405, S413 and S414 read a step's command as shell: text that is only shown or searched for
is not run, and the destructive verbs of the tools teams use are caught behind any wrapper."""

from __future__ import annotations

import pytest

from tests.rules.conftest import LintCheck

RUNBOOK = """\
version: 1
kind: runbook
id: disk-full
title: Disk full on a database host
service: orders-db
owner: incident-commander
severity: SEV2
steps:
  - id: act
    title: Act
    run: {command}
    timeout: 30s
verify:
  - id: confirm
    run: df -h /
"""


def runbook(command: str) -> str:
    return RUNBOOK.format(command=command)


@pytest.mark.parametrize("command", [
    "echo \"Run: gcloud compute disks delete my-disk\"",
    "grep -c \"DROP TABLE\" /var/log/app.log",
    "echo 'next: kubectl delete pod web-1'",
    "kubectl get events -A | grep -ci 'delete'",
])
def test_a_destructive_command_that_is_only_text_is_not_flagged(lint_check: LintCheck, command: str) -> None:
    lint_check(runbook(repr(command) if "'" not in command else f'"{command.replace(chr(34), chr(92) + chr(34))}"'), [],
               select="S405")


@pytest.mark.parametrize("command", [
    "oc adm drain worker-2 --ignore-daemonsets",
    "knife node delete web-3 -y",
    "terraform apply -auto-approve",
    "aws ec2 stop-instances --instance-ids i-0abc",
    "psql -c 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE state = $$idle$$'",
    "etcdctl del --prefix /registry/events",
    "crictl rmi --prune",
    "journalctl --vacuum-time=2d",
    "helm -n web uninstall frontend",
    "az vm deallocate -g rg -n vm1",
    "gcloud compute instances stop web-1",
    "docker system prune -af",
    "redis-cli -h cache-1 FLUSHALL",
])
def test_destructive_verbs_of_common_tools_are_flagged(lint_check: LintCheck, command: str) -> None:
    column = 11 + (command.index("pg_terminate") if command.startswith("psql") else 0)  # SQL: the statement
    (finding,) = lint_check(runbook(f'"{command}"'), [("S405", 11, column)], select="S405")
    assert "without asking first" in finding.message


def test_a_placeholder_inside_an_echo_string_is_not_flagged(lint_check: LintCheck) -> None:
    lint_check(runbook("'echo \"then ssh <bastion-host> and check\"'"), [], select="S414")
    lint_check(runbook("'ssh <bastion-host> uptime  # reach <host> first'"), [("S414", 11, 15)], select="S414")


def test_top_in_batch_mode_exits(lint_check: LintCheck) -> None:
    lint_check(runbook("'top -bn1 | head -20'"), [], select="S413")


def test_the_hang_is_worded_with_the_step_timeout(lint_check: LintCheck) -> None:
    (finding,) = lint_check(runbook("'tail -f /var/log/syslog'"), [("S413", 11, 11)], select="S413")
    assert finding.message == "'tail -f' in step 'act' never exits: the step hangs until its timeout (30s)"

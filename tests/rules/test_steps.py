"""Steps rules (S4xx) on real fixture files, plus edge cases written inline."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.case_helpers import CORE, check_golden, copy_case, run_in
from tests.rules.conftest import STANDARD_RUNBOOK, LintCheck
from validator import commands, placeholders

RULES = ["S401", "S402", "S403", "S404", "S405", "S406", "S407", "S408", "S409", "S410", "S411", "S412"]


@pytest.mark.parametrize("rule", RULES)
def test_failing_fixture_matches_golden(rule: str, tmp_path: Path) -> None:
    found = check_golden(rule, run_in(copy_case("steps", f"{rule}-bad", tmp_path)))
    assert found and {f.rule for f in found} == {rule}


@pytest.mark.parametrize("rule", RULES)
def test_passing_fixture_is_clean(rule: str, tmp_path: Path) -> None:
    result = run_in(copy_case("steps", f"{rule}-good", tmp_path))
    assert [(f.rule, f.line, f.message) for f in result.findings if f.rule.startswith(("S", *CORE))] == []


@pytest.mark.parametrize(("command", "what"), [
    ("rm -rf /var/lib/app/cache", "rm -r"),
    ("rm -f -r build", "rm -r"),
    ("psql -c 'DROP TABLE sessions'", "DROP TABLE/DATABASE"),
    ("mysql -e 'drop database staging'", "DROP TABLE/DATABASE"),
    ("psql -c 'TRUNCATE audit_log'", "TRUNCATE"),
    ("psql -c 'DELETE FROM sessions'", "DELETE FROM without WHERE"),
    ("psql -c \"UPDATE users SET active = false\"", "UPDATE without WHERE"),
    ("kubectl -n payments delete pod api-0", "kubectl delete"),
    ("kubectl drain node-7 --ignore-daemonsets", "kubectl delete"),
    ("terraform destroy -auto-approve", "terraform destroy"),
    ("sudo systemctl stop nginx", "systemctl stop"),
    ("git push -f origin main", "git push --force"),
    ("git push origin main --force-with-lease", "git push --force"),
    ("mkfs.ext4 /dev/nvme1n1", "mkfs"),
    ("dd if=/dev/zero of=/dev/sdb bs=1M", "dd of="),
    ("docker rm -f api", "docker rm -f"),
    ("redis-cli -n 0 FLUSHDB", "FLUSHALL/FLUSHDB"),
    ("aws rds delete-db-instance --db-instance-identifier old", "cloud resource delete"),
    ("helm uninstall payments", "helm uninstall"),
])
def test_destructive_commands_are_recognised(command: str, what: str) -> None:
    assert [d.what for d in commands.destructive(command)] == [what]


@pytest.mark.parametrize("command", [
    "rm -f /tmp/lock", "kubectl get pods -n payments", "kubectl rollout restart deploy/api", "psql -c 'SELECT 1'",
    "psql -c 'DELETE FROM sessions WHERE expires < now()'", "psql -c \"UPDATE users SET active = false WHERE id = 7\"",
    "systemctl status nginx", "git push origin main", "terraform plan", "docker ps", "echo update the status page",
    "curl -X DELETE https://api.example.com/cache/key", "dd if=/dev/sda bs=512 count=1 | xxd",
])
def test_ordinary_commands_are_not_destructive(command: str) -> None:
    assert commands.destructive(command) == []


def test_undo_may_use_the_value_its_own_step_captured(lint_check: LintCheck) -> None:
    runbook = STANDARD_RUNBOOK.replace("    timeout: 30s\n", "    timeout: 30s\n    capture:\n      - name: before\n"
                                       "    risk: mutating\n    undo: echo ${before}\n    run: echo ${nothing}\n")
    runbook = runbook.replace("    run: df -h /var/lib/postgresql\n", "")
    lint_check(runbook, [("S402", 16, 15)], select="S402")


def test_a_secret_input_cannot_fill_a_template(lint_check: LintCheck) -> None:
    from tests.rules.conftest import STANDARD_POLICY
    policy = STANDARD_POLICY.replace('body: "{{title}} is {{status}}', 'body: "{{inputs.password}} {{title}} is {{status}}')
    runbook = STANDARD_RUNBOOK.replace("steps:\n", "inputs:\n  - {name: password, secret: true}\nsteps:\n"
                                       "  - id: tell\n    notify: [ops-team]\n    template: status-update\n"
                                       "  - id: use\n    run: echo ok\n    env: {P: '${password}'}\n")
    found = lint_check(runbook, [("S406", 13, 15)], select="S406", policy=policy)
    assert "is a secret" in found[0].message


def test_the_placeholder_list_is_the_one_the_runner_fills() -> None:
    assert {"severity", "title", "elapsed", "next_update", "status"} <= placeholders.KNOWN
    assert placeholders.used("{{ title }} / {{inputs.region}}") == [("title", 0), ("inputs.region", 14)]
    assert placeholders.input_name("inputs.region") == "region"

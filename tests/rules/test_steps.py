"""Steps rules (S4xx) on real fixture files, plus edge cases written inline."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.case_helpers import CORE, check_golden, copy_case, run_in
from tests.rules.conftest import STANDARD_RUNBOOK, LintCheck
from validator import command_flaws, commands, placeholders

RULES = ["S401", "S402", "S403", "S404", "S405", "S406", "S407", "S408", "S409", "S410", "S411", "S412", "S413", "S414", "S415"]


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
    ("kubectl -n payments delete pod api-0", "kubectl delete/drain"),
    ("kubectl drain node-7 --ignore-daemonsets", "kubectl delete/drain"),
    ("terraform destroy -auto-approve", "terraform destroy"),
    ("sudo systemctl stop nginx", "service stop"),
    ("docker-compose stop backend", "service stop"),
    ("pm2 stop tachi-monitoring", "service stop"),
    ("sudo systemctl restart postgresql", "database restart"),
    ("scripts/backup_database.py restore --backup-path /backups/latest.dump", "restore from backup"),
    ("pg_restore --clean -d orders latest.dump", "restore from backup"),
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
    "sudo systemctl restart api-workers", "docker-compose start backend", "scripts/backup_database.py list",
])
def test_ordinary_commands_are_not_destructive(command: str) -> None:
    assert commands.destructive(command) == ()


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


@pytest.mark.parametrize(("command", "endless"), [
    ("tail -f /var/log/app.log | grep ERROR", ["tail -f"]), ("tail -n 200 /var/log/app.log", []),
    ("journalctl -u api -f", ["journalctl -f"]), ("journalctl -u api --since '1 hour ago'", []),
    ("kubectl logs -f deploy/api", ["kubectl logs -f"]), ("kubectl logs deploy/api --tail=100", []),
    ("kubectl get pods -w", ["kubectl -w"]), ("watch -n1 df -h", ["watch"]), ("top", ["top"]), ("top -b -n 1", []),
    ("ping 10.0.0.1", ["ping"]), ("ping -c 3 10.0.0.1", []), ("less /var/log/syslog", ["less"]),
])
def test_commands_that_never_exit(command: str, endless: list[str]) -> None:
    assert [f.what for f in command_flaws.endless(command)] == endless


@pytest.mark.parametrize(("command", "found"), [
    ("git revert <commit-hash>", ["<commit-hash>"]), ("./block --ip <IP>", ["<IP>"]),
    ("curl -H 'X-Api-Key: YOUR_API_KEY' https://x", ["YOUR_API_KEY"]), ("psql <<SQL\nselect 1\nSQL", []),
    ("cmd 2>&1 | tee /tmp/out", []), ("diff <(sort a) <(sort b)", []), ("wc -l < input.txt", []),
    ("curl -d '<html>hi</html>' https://x", []),
])
def test_placeholders_left_in_commands(command: str, found: list[str]) -> None:
    assert [f.what for f in command_flaws.placeholders(command)] == found


@pytest.mark.parametrize(("command", "what"), [
    ("git revert abc123", ["git change"]), ("docker-compose up -d --build", ["container rebuild"]),
    ("kubectl scale deploy/api --replicas=6", ["kubernetes change"]), ("npm run deploy:prod", ["release"]),
    ("mkdir -p /backup/x\ncp -r /data /backup/x", ["file change", "file change"]),
    ("psql -c \"INSERT INTO audit VALUES (1)\"", ["SQL change"]),
    ("sudo systemctl restart api", []), ("kubectl rollout restart deploy/api", []), ("npm run monitoring:start", []),
    ("kubectl get deploy/api -o yaml", []), ("cmd | tee /dev/stderr", []),
])
def test_commands_that_change_state(command: str, what: list[str]) -> None:
    assert [d.what for d in commands.mutating(command)] == what

"""Defects found by hand in unseen runbooks that lint used to miss: a step due before anyone need
answer the page, templates in another placeholder syntax, commands naming files that are not there."""

from __future__ import annotations

import pytest

from tests.rules.conftest import STANDARD_POLICY, STANDARD_RUNBOOK, LintCheck

RUN = STANDARD_RUNBOOK.replace("    run: df -h /var/lib/postgresql\n", "    run: {command}\n")
FILES = {"scripts/rotate-keys.sh": "#!/bin/sh\necho rotated\n", "app/ts/manualBurn.ts": "console.log('burn')\n",
         "tools/replay.py": "print('replay')\n"}


def test_a_working_step_due_before_the_respond_target(lint_check: LintCheck) -> None:
    runbook = STANDARD_RUNBOOK.replace("    timeout: 30s\n", "    timeout: 30s\n    phase: contain\n    within: 10m\n")
    (finding,) = lint_check(runbook, [("T205", 14, 13)], select="T205")
    assert "before SEV2 (High)'s respond target of 15m" in finding.message
    lint_check(runbook.replace("phase: contain", "phase: triage"), [], select="T205")
    lint_check(runbook.replace("within: 10m", "within: 15m"), [], select="T205")


@pytest.mark.parametrize(("body", "written"), [
    ("'[${incident.severity}] {{title}}'", "${incident.severity}"),
    ("'{title} is {{status}}'", "{title}"),
    ("'%(severity)s: {{title}}'", "%(severity)s"),
    ("'<%= severity %> {{title}}'", "<%= severity %>"),
])
def test_placeholders_of_another_template_syntax(lint_check: LintCheck, body: str, written: str) -> None:
    policy = STANDARD_POLICY.replace('body: "{{title}} is {{status}}; next update in {{next_update}}."', f"body: {body}")
    (finding,) = lint_check(None, [("policy.yaml", "S406", 57, 11 + body.index(written[0]))], select="S406", policy=policy)
    assert written in finding.message
    assert finding.hint in ("write {{severity}} instead", "write {{title}} instead")


def test_json_and_known_placeholders_in_a_template_are_not_foreign(lint_check: LintCheck) -> None:
    policy = STANDARD_POLICY.replace('body: "{{title}} is {{status}}; next update in {{next_update}}."',
                                     """body: '{"text": "{{title}} is {{ status }}", "cost": "${{amount}} per {period}s"}'""")
    found = lint_check(None, [("policy.yaml", "S406", 57, 60), ("policy.yaml", "S406", 57, 75)], select="S406", policy=policy)
    assert sorted(f.message.split(" uses ")[1].split(",")[0] for f in found) == ["{period}", "{{amount}}"]


@pytest.mark.parametrize(("command", "named", "near"), [
    ("ts-node app/ts/manual_burn.ts --dry-run", "app/ts/manual_burn.ts", "app/ts/manualBurn.ts"),
    ("./scripts/rotate-key.sh", "./scripts/rotate-key.sh", "scripts/rotate-keys.sh"),
    ("bash scripts/rotate_keys.sh", "scripts/rotate_keys.sh", "scripts/rotate-keys.sh"),
    ("sudo python3 tools/replay_events.py --since 1h", "tools/replay_events.py", "tools/replay.py"),
])
def test_a_command_naming_a_missing_repository_file(lint_check: LintCheck, command: str, named: str, near: str) -> None:
    (finding,) = lint_check(RUN.replace("{command}", command), [("P309", 11, 10 + command.index(named))], select="P3",
                            files=FILES)
    assert f"runs '{named}'" in finding.message
    assert finding.hint == f"did you mean '{near}'?"


@pytest.mark.parametrize("command", [
    "./scripts/rotate-keys.sh", "bash scripts/rotate-keys.sh", "ts-node app/ts/manualBurn.ts",
    "cd /srv/app && ./scripts/migrate.sh", "/opt/app/bin/drain", "python3 -m tools.replay", "ssh db-1 ./bin/check.sh",
    "echo 'run ./scripts/missing.sh next'", "kubectl apply -f k8s/missing.yaml", "node server/index.js",
])
def test_commands_whose_files_exist_or_are_not_the_repository_s(lint_check: LintCheck, command: str) -> None:
    lint_check(RUN.replace("{command}", f'"{command}"'), [], select="P3", files=FILES)


def test_a_missing_script_gets_a_did_you_mean(lint_check: LintCheck) -> None:
    runbook = RUN.replace("    run: {command}\n", "    script: scripts/rotate_keys.sh\n    risk: read-only\n")
    (finding,) = lint_check(runbook, [("P301", 11, 13)], select="P3", files=FILES)
    assert finding.hint == "did you mean 'scripts/rotate-keys.sh'?"

"""Steps of the benchmark runbooks: every step kind, in the shapes people really write.

Each step is about ten lines, mixing block and flow style.  Commands are ShellCheck-clean,
destructive steps ask for confirmation and carry an undo, and every ``${name}`` refers to
a declared input or an output captured by an earlier step.
"""

from __future__ import annotations

import random

from bench.text import q

_PHASES = ("detect", "triage", "triage", "investigate", "investigate", "contain", "recover", "recover", "verify", "communicate")
_READS = (
    ("Check the health endpoint", "curl -fsS --max-time 10 'https://{svc}.acme-ops.net/healthz'", '"status": ?"ok"'),
    ("List the pods", "kubectl get pods -n ${{namespace}} -l app={svc} -o wide", "Running"),
    ("Show recent errors", "kubectl logs -n ${{namespace}} deploy/{svc} --since=15m | grep -c ERROR || true", ""),
    ("Check replication lag", "psql -h db.{svc}.acme-ops.net -Atc 'select now() - pg_last_xact_replay_timestamp()'", ""),
    ("Check the load balancer",
     "aws elbv2 describe-target-health --region ${{region}} --target-group-arn arn:aws:tg/{svc}", "healthy"),
)
_WRITES = (
    ("Scale out", "kubectl scale deploy/{svc} -n ${{namespace}} --replicas=${{replicas}}",
     "kubectl scale deploy/{svc} -n ${{namespace}} --replicas=3", "mutating"),
    ("Drain the region", "aws route53 change-resource-record-sets --region ${{region}} --change-batch file://drain-{svc}.json",
     "aws route53 change-resource-record-sets --region ${{region}} --change-batch file://restore-{svc}.json", "mutating"),
    ("Restart the deployment", "kubectl rollout restart deploy/{svc} -n ${{namespace}}",
     "kubectl rollout undo deploy/{svc} -n ${{namespace}}", "destructive"),
)
_SCRIPTS = ("collect-diagnostics", "restart-service", "scale-service", "flush-cache")


def within(i: int) -> str:
    """Time targets grow with the step's position (5m per step), staying inside the P1 resolve target."""
    hours, minutes = divmod(5 * (i + 1), 60)
    return (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes or not hours else "")


def _head(i: int, n: int, sid: str, title: str, owner: str) -> list[str]:
    return [f"  - id: {sid}", f"    title: {q(title)}", f"    phase: {_PHASES[i * len(_PHASES) // n]}", f"    owner: {owner}"]


def _run(rng: random.Random, i: int, n: int, svc: str, ids: list[str]) -> list[str]:
    reads = bool(i % 3) or i == 0
    sid = f"s{i:02d}-{'read' if reads else 'write'}"
    if reads:
        title, cmd, pattern = _READS[rng.randrange(len(_READS))]
        lines = _head(i, n, sid, f"{title} ({i})", "sre-oncall")[:3]
        timeout = rng.choice(["30s", "45s", "1m", "2m"])
        lines += [f"    run: {q(cmd.format(svc=svc))}", f"    timeout: {timeout}", "    risk: read-only"]
        if rng.random() < 0.5:
            lines.append(f"    expect: {{exit_code: 0, output: {q(pattern)}}}" if pattern else "    expect: {exit_code: [0, 1]}")
        if rng.random() < 0.3:
            lines += ["    retries: 2", "    retry_delay: 15s"]
        if rng.random() < 0.7:
            lines.append(f"    on_failure: {rng.choice(['continue', 'ask'])}")
        lines.append(f"    capture: [{{name: out_{i:02d}, from: stdout, pattern: '(\\d+)'}}]")
        if rng.random() < 0.3:
            lines.append("    simulate: {exit_code: 0, output: '42 ok', duration: 2s}")
        return lines
    title, cmd, undo, risk = _WRITES[rng.randrange(len(_WRITES))]
    lines = _head(i, n, sid, f"{title} ({i})", "technical-lead")
    lines += ["    description: |", "      Changes production. Announce it in the incident channel first.",
              f"    run: {q(cmd.format(svc=svc))}", f"    undo: {q(undo.format(svc=svc))}", f"    risk: {risk}",
              "    confirm: true", "    timeout: 2m", f"    within: {within(i)}"]
    if risk == "mutating":
        lines += ["    idempotent: true", "    retries: 1", "    retry_delay: 10s"]
    recheck = _last_read(ids)
    lines.append(f"    on_failure: {{goto: {recheck}, max: 2}}" if rng.random() < 0.3 else "    on_failure: rollback")
    if rng.random() < 0.5:
        lines.append(f"    when: {q(f'severity in [P1, P2] and outputs.out_{recheck[1:3]} != 0')}")
    return lines


def _last_read(ids: list[str]) -> str:
    """The latest read-only step so far (step 0 always is one): a write that fails goes back to re-check."""
    return next(s for s in reversed(ids) if s.endswith("-read"))


def _script(rng: random.Random, i: int, n: int, svc: str) -> list[str]:
    name = _SCRIPTS[rng.randrange(len(_SCRIPTS))]
    lines = _head(i, n, f"s{i:02d}-script", f"Run {name.replace('-', ' ')}", "sre-oncall")
    args = f"[--service, {svc}, --region, '${{region}}', --replicas, '${{replicas}}', --drain, '${{drain}}']"
    lines += [f"    script: scripts/{name}.sh", f"    args: {args}",
              "    env: {API_TOKEN: '${api_token}', NAMESPACE: '${namespace}'}",
              "    timeout: 3m", "    risk: mutating", "    undo: kubectl rollout undo deploy/" + svc, "    on_failure: continue"]
    return lines


def _manual(i: int, n: int, svc: str) -> list[str]:
    lines = _head(i, n, f"s{i:02d}-manual", "Look at the dashboard", "incident-commander")
    lines += ["    manual: |", f"      Open the {svc} dashboard and compare error rate and latency with the same hour last week.",
              "      If both are normal, the alert was noise: note it and stop here.",
              f"    within: {within(i)}", f"    links: [{{title: Dashboard, url: 'https://grafana.acme-ops.net/d/{svc}'}}]"]
    return lines


def _checklist(i: int, n: int) -> list[str]:
    lines = _head(i, n, f"s{i:02d}-checklist", "Confirm the scope", "incident-commander")
    lines += ["    checklist:", "      - Which regions are affected", "      - Which customers reported it",
              "      - Whether a deploy happened in the last hour", "      - Whether a dependency reports an incident",
              "    when: drill or severity in [P1, P2]"]
    return lines


def _notify(i: int, n: int) -> list[str]:
    lines = _head(i, n, f"s{i:02d}-notify", "Post a status update", "comms-lead")
    lines += ["    description: Keep stakeholders informed on the policy's cadence.",
              "    notify: [incident-commander, eng-manager]", "    template: status-update", f"    within: {within(i)}"]
    return lines


def _wait(rng: random.Random, i: int, n: int, svc: str) -> list[str]:
    lines = _head(i, n, f"s{i:02d}-wait", "Watch the error rate", "sre-oncall")
    if rng.random() < 0.5:
        lines += ["    wait:", "      duration: 5m", "      reason: Let the new pods take traffic before the next change"]
    else:
        lines += ["    wait:", f"      until: curl -fsS 'https://{svc}.acme-ops.net/healthz'", "      every: 15s",
                  "      timeout: 10m", "      reason: Wait for the health check to pass", "    expect: {exit_code: 0}"]
    return lines


def step(rng: random.Random, i: int, n: int, svc: str, ids: list[str]) -> list[str]:
    """Step ``i`` of ``n``: the kind is chosen by position so every runbook has every kind."""
    slot = i % 10
    if slot in (0, 1, 2, 4, 7):
        lines = _run(rng, i, n, svc, ids)
    elif slot == 3:
        lines = _script(rng, i, n, svc)
    elif slot == 5:
        lines = _wait(rng, i, n, svc)
    elif slot == 6:
        lines = _manual(i, n, svc)
    elif slot == 8:
        lines = _checklist(i, n)
    else:
        lines = _notify(i, n)
    ids.append(lines[0].split(": ", 1)[1])
    return lines


def verify(svc: str) -> list[str]:
    return ["  - id: verify-health", "    title: The health endpoint answers", f"    run: curl -fsS 'https://{svc}.acme-ops.net/healthz'",
            "    expect: {exit_code: 0, output: ok}", "    timeout: 30s",
            "  - {id: verify-errors, title: Error rate is back to normal, manual: Check the error-rate panel is below 0.5%.}"]


def rollback(svc: str) -> list[str]:
    return ["  - id: rollback-deploy", "    title: Roll back the last deploy",
            f"    run: kubectl rollout undo deploy/{svc}", "    risk: mutating", "    confirm: true", "    timeout: 5m",
            "  - {id: rollback-announce, notify: [comms-lead], template: status-update}"]

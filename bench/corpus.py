"""A deterministic corpus of realistic runbooks for the benchmarks.

The same seed always yields the same files (review dates are relative to ``today``, which
callers may pin), so figures from two runs compare like with like.  Every runbook has
about 40 steps and 400 lines and uses every step kind and most optional fields, so the
benchmark exercises the same code paths as a real catalogue; all of them validate clean.
With ``broken`` set, a share of the files carries one typical authoring mistake each, so
the benchmark can check that every finding is still located.  With ``related`` set, every
runbook names the next one in ``related:``, correctly (``"valid"``) or with a typo that
leaves the reference dangling (``"dangling"``), the worst case of "did you mean" hints.
"""

from __future__ import annotations

import os
import random
import shutil
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from bench import steps
from bench.text import PYPROJECT, SCRIPTS, SERVICES, policy, q
from validator.today import today as calendar_today

MISTAKES = ("unknown-key", "bad-duration", "dangling-owner", "duplicate-key", "bad-enum")
RELATED = ("", "valid", "dangling")


@dataclass
class Corpus:
    """Where a generated corpus lives and what is in it."""

    root: Path
    policy: Path
    runbooks: list[Path] = field(default_factory=list)
    broken: dict[str, str] = field(default_factory=dict)  # absolute path -> mistake

    @property
    def folder(self) -> Path:
        """The folder to hand to ``validate_runbook``."""
        return self.root / "runbooks"

    @property
    def files(self) -> list[Path]:
        return [self.policy, *self.runbooks]


def _header(rng: random.Random, index: int, service: str, today: date) -> tuple[str, list[str]]:
    rid = runbook_id(index)
    severity = rng.choice(["P1", "P2", "P2", "P3"])
    reviewed = today - timedelta(days=rng.randint(1, 60))
    lines = [
        "# yaml-language-server: $schema=../../schema/runbook.schema.json",
        "version: 1",
        "kind: runbook",
        f"id: {rid}",
        f"title: {q(f'{service.capitalize()} incident {index}: degraded responses')}",
        f"summary: {q(f'{service} answers slowly or with errors; find the cause, contain it and recover.')}",
        "description: |",
        f"  Use this runbook when the {service} service breaches its latency or error budget.",
        "  Work through triage before touching anything; every mutating step can be undone.",
        f"service: {service}",
        f"severity: {severity}",
        f"owner: {rng.choice(['sre-oncall', 'technical-lead'])}",
        f"tags: [{service}, generated, {rng.choice(['database', 'network', 'queue', 'cache'])}]",
        f"review: {{last_reviewed: '{reviewed.isoformat()}', every: 90d, by: technical-lead}}",
        "symptoms:",
        f"  - Error rate of {service} above 2% for five minutes",
        "  - p99 latency above one second",
        "detection:",
        f"  - {{signal: {service} error budget burn, source: alertmanager, threshold: 'burn rate > 14 for 5m',"
        f" url: 'https://grafana.acme-ops.net/d/{service}'}}",
        "  - A customer report through the support desk",
        f"impact: Customers of {service} see failed requests.",
        "inputs:",
        "  - {name: region, type: enum, choices: [eu-west-1, us-east-1, ap-south-1], default: eu-west-1,"
        " description: Affected region}",
        "  - name: namespace",
        "    type: string",
        f"    default: {service}",
        "    pattern: '^[a-z][a-z0-9-]*$'",
        "    description: Kubernetes namespace of the service",
        "  - {name: replicas, type: int, default: 3, min: 1, max: 20, description: Target replica count}",
        "  - {name: drain, type: bool, default: false, description: Drain traffic away from the region first}",
        "  - {name: api_token, type: string, secret: true, required: false, description: Read-only API token}",
    ]
    return rid, lines


def runbook_text(rng: random.Random, index: int, today: date, n_steps: int = 40) -> str:
    """One runbook of ``n_steps`` steps (about ten lines each) plus verification, rollback and follow-up."""
    service = SERVICES[index % len(SERVICES)]
    _, lines = _header(rng, index, service, today)
    ids: list[str] = []
    lines.append("steps:")
    for i in range(n_steps):
        lines += steps.step(rng, i, n_steps, service, ids)
    lines.append("verify:")
    lines += steps.verify(service)
    lines.append("rollback:")
    lines += steps.rollback(service)
    lines += [
        "post_incident:",
        "  - Write the timeline from the run journal",
        "  - {task: Hold the post-mortem, owner: incident-commander, within: 2d}",
        "  - {task: File follow-up tickets for every contributing factor, owner: technical-lead, within: 5d}",
        "escalation:",
        "  - {name: Service team lead, after: 5m, notify: [technical-lead]}",
        "  - {name: Engineering manager, after: 1h, notify: [eng-manager]}",
        "links:",
        f"  - {{title: Service dashboard, url: 'https://grafana.acme-ops.net/d/{service}'}}",
        f"  - {{title: Architecture notes, url: 'https://wiki.acme-ops.net/{service}/architecture'}}",
    ]
    return "\n".join(lines) + "\n"


def break_text(text: str, mistake: str) -> str:
    """Introduce one typical mistake into a valid runbook's text."""
    if mistake == "unknown-key":
        return text.replace("    timeout: ", "    tiemout: ", 1)
    if mistake == "bad-duration":
        text = text.replace("    timeout: 2m\n", "    timeout: 2 minutes\n", 1)
        return text.replace("    timeout: 45s\n", "    timeout: 45 secs\n", 1)
    if mistake == "dangling-owner":
        return text.replace("    owner: sre-oncall\n", "    owner: sre-on-call\n", 1)
    if mistake == "duplicate-key":
        return text.replace("    phase: triage\n", "    phase: triage\n    phase: triage\n", 1)
    return text.replace("    risk: read-only\n", "    risk: readonly\n", 1)


def runbook_id(index: int) -> str:
    """The id :func:`runbook_text` gives runbook number ``index``."""
    return f"{SERVICES[index % len(SERVICES)]}-incident-{index:04d}"


def related_line(index: int, n: int, related: str) -> str:
    """``related:`` naming the next runbook (the first, after the last); ``dangling`` misspells it."""
    other = runbook_id(index % n + 1)
    return f"related: [{other.replace('incident', 'incidnet') if related == 'dangling' else other}]\n"


def generate(dest: Path, n: int = 1000, seed: int = 2026, broken: float = 0.0, today: date | None = None,
             related: str = "") -> Corpus:
    """Write a policy, the scripts the runbooks call and ``n`` runbooks under ``dest`` (replaced if it exists)."""
    if related not in RELATED:
        raise ValueError(f"related is one of {RELATED}, not {related!r}")
    today = calendar_today(today)
    rng = random.Random(seed)
    if dest.exists():
        shutil.rmtree(dest)
    folder = dest / "runbooks"
    folder.mkdir(parents=True)
    (dest / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (dest / "scripts").mkdir()
    for name, body in SCRIPTS.items():
        script = dest / "scripts" / name
        script.write_text(body, encoding="utf-8")
        os.chmod(script, 0o755)
    corpus = Corpus(dest, folder / "policy.yaml")
    corpus.policy.write_text(policy(today), encoding="utf-8")
    every = max(1, min(round(1 / broken), n)) if broken > 0 else 0  # at least one broken file, however small n
    for index in range(1, n + 1):
        service = SERVICES[index % len(SERVICES)]
        path = folder / service / f"incident-{index:04d}.yaml"
        path.parent.mkdir(exist_ok=True)
        text = runbook_text(rng, index, today)
        if related:
            text += related_line(index, n, related)
        if every and index % every == 0:
            mistake = MISTAKES[(index // every) % len(MISTAKES)]
            text = break_text(text, mistake)
            corpus.broken[str(path)] = mistake
        path.write_text(text, encoding="utf-8")
        corpus.runbooks.append(path)
    return corpus

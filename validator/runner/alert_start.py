"""Start a run from an alert: ``runbook run --alert NAME`` or ``--from-alert FILE`` (``-`` for stdin).

The payload is what Alertmanager posts to a webhook (``{"alerts": [{"labels": …,
"annotations": …, "startsAt": …}]}``); a single alert object or a list of them is accepted
too.  The runbook is the one whose ``alerts:`` match the alert's name and labels; its
inputs with ``from_label``/``from_annotation`` are filled from the alert, and the alert's
``startsAt`` becomes the incident's start unless ``--started-at`` says otherwise.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from validator import pipeline
from validator.findings import ConfigError
from validator.model import Runbook
from validator.references import suggest
from validator.runner import preflight


@dataclass
class FiredAlert:
    name: str
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)
    starts_at: str | None = None


@dataclass
class Chosen:
    """The runbook an alert leads to, the inputs it fills and what to tell the responder."""

    runbook: Runbook
    pairs: list[str]
    started_at: str | None
    alert: FiredAlert | None


def _texts(raw: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in raw.items()} if isinstance(raw, dict) else {}


def read_payload(source: str) -> list[FiredAlert]:
    """The firing alerts of an Alertmanager webhook payload; a malformed one is a usage error."""
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"--from-alert {source}: cannot read it ({err})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise ConfigError(f"--from-alert {source}:{err.lineno}:{err.colno}: not JSON ({err.msg})") from None
    items = data.get("alerts", [data]) if isinstance(data, dict) else data
    common = _texts(data.get("commonLabels")) if isinstance(data, dict) else {}
    fired: list[FiredAlert] = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict) or item.get("status", "firing") != "firing":
            continue
        labels = {**common, **_texts(item.get("labels"))}
        if "alertname" in labels:
            fired.append(FiredAlert(labels["alertname"], labels, _texts(item.get("annotations")),
                                    item.get("startsAt") if isinstance(item.get("startsAt"), str) else None))
    if not fired:
        raise ConfigError(f"--from-alert {source}: no firing alert with an alertname label in it "
                          "(expected an Alertmanager webhook payload)")
    return fired


def _answering(name: str, labels: dict[str, str] | None, runbooks: list[Runbook]) -> list[Runbook]:
    """Runbooks naming the alert; with ``labels`` None (``--alert NAME`` alone) label matchers are not asked."""
    return [rb for rb in runbooks
            if any(a.name == name if labels is None else a.matches(name, labels) for a in rb.alerts)]


def choose(alert: str | None, payload: str | None, search: Path | None) -> Chosen:
    """The runbook for ``--alert NAME`` or for the first alert of the payload that some runbook answers."""
    folder = preflight.folder_for_ids(search)
    runbooks = pipeline.run([folder], pipeline.Options(lint=False)).repository.runbooks
    fired = read_payload(payload) if payload is not None else [FiredAlert(alert or "")]
    if alert is not None:
        fired = [f for f in fired if f.name == alert] or [FiredAlert(alert)]
    for candidate in fired:
        found = _answering(candidate.name, candidate.labels if payload is not None else None, runbooks)
        if len(found) > 1:
            raise ConfigError(f"alert {candidate.name} is answered by several runbooks: "
                              f"{', '.join(rb.id for rb in found)}; name one of them instead")
        if found:
            rb = found[0]
            pairs = [f"{i.name}={value}" for i in rb.inputs
                     if (value := candidate.labels.get(i.from_label or "") if i.from_label
                         else candidate.annotations.get(i.from_annotation or "") if i.from_annotation else None) is not None]
            return Chosen(rb, pairs, candidate.starts_at, candidate if payload is not None else None)
    names = sorted({a.name for rb in runbooks for a in rb.alerts})
    wanted = ", ".join(sorted({f.name for f in fired}))
    raise ConfigError(f"no runbook under {folder} answers alert {wanted} ({suggest(fired[0].name, names)})")


def describe(chosen: Chosen) -> list[str]:
    """What the responder is told before the first step: the alert, its labels and the inputs it filled."""
    if chosen.alert is None:
        return [f"Alert leads to runbook {chosen.runbook.id}."]
    alert = chosen.alert
    labels = ", ".join(f"{k}={v}" for k, v in sorted(alert.labels.items()) if k != "alertname")
    lines = [f"Started from alert {alert.name}" + (f" ({labels})" if labels else "")
             + (f", firing since {alert.starts_at}" if alert.starts_at else "")]
    if summary := alert.annotations.get("summary") or alert.annotations.get("description"):
        lines.append(f"  {summary}")
    if chosen.pairs:
        shown = [pair if not ((i := chosen.runbook.input(pair.split("=", 1)[0])) and i.secret)
                 else pair.split("=", 1)[0] + "=(secret)" for pair in chosen.pairs]
        lines.append("Inputs from the alert: " + ", ".join(shown))
    return lines

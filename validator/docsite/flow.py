"""Mermaid diagrams: a runbook's step flow and a policy's escalation path.

Node ids are generated (``s0``, ``s1`` …) so no author-chosen id can clash with Mermaid
keywords; labels go through :func:`label`, which turns every character Mermaid or HTML could
read as syntax into a Mermaid entity code.
"""

from __future__ import annotations

import itertools

from validator.docsite.text import redact
from validator.durations import format_duration
from validator.model import EscalationLevel, Runbook, Step

_ENTITIES = {
    "#": "#35;",
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "&": "#amp;",
    "`": "#96;",
    "{": "#123;",
    "}": "#125;",
    "[": "#91;",
    "]": "#93;",
    "|": "#124;",
    ";": "#59;",
}
MAX_LABEL = 60


def label(text: str) -> str:
    """A quoted Mermaid label that shows ``text`` literally (shortened, on one line)."""
    one_line = " ".join(redact(text).split())
    if len(one_line) > MAX_LABEL:
        one_line = one_line[: MAX_LABEL - 1] + "…"
    return '"' + "".join(_ENTITIES.get(ch, ch) for ch in one_line) + '"'


def _node(step: Step, number: str) -> str:
    shape = ("{{", "}}") if step.kind == "wait" else ("([", "])") if step.kind in ("manual", "checklist") else ("[", "]")
    return f"{shape[0]}{label(f'{number} {step.name}')}{shape[1]}"


def runbook_flow(rb: Runbook) -> str:
    """The steps in order, verification after them, rollback apart; failure edges dashed."""
    ids: dict[str, str] = {}
    lines = ["flowchart TD", '  start(("start"))']
    for n, step in enumerate(rb.all_steps()):
        ids[step.id] = f"s{n}"

    def numbered(steps: list[Step], prefix: str) -> None:
        for i, step in enumerate(steps, 1):
            lines.append(f"    {ids[step.id]}{_node(step, f'{prefix}{i}.')}")

    lines.append('  subgraph main["Steps"]')
    numbered(rb.steps, "")
    lines.append("  end")
    if rb.verify:
        lines.append('  subgraph check["Verify"]')
        numbered(rb.verify, "V")
        lines.append("  end")
    if rb.rollback:
        lines.append('  subgraph back["Rollback"]')
        numbered(rb.rollback, "R")
        lines.append("  end")
    lines.append('  done(("resolved"))')
    forward = [*rb.steps, *rb.verify]
    chain = ["start", *(ids[s.id] for s in forward), "done"]
    for a, b in itertools.pairwise(chain):
        lines.append(f"  {a} --> {b}")
    for prev, nxt in zip(rb.rollback, rb.rollback[1:], strict=False):
        lines.append(f"  {ids[prev.id]} --> {ids[nxt.id]}")
    rollback_target = ids[rb.rollback[0].id] if rb.rollback else "undo"
    needs_undo_node = False
    for step in forward:
        action = step.on_failure.action
        if step.on_failure.goto and step.on_failure.goto in ids:
            lines.append(
                f"  {ids[step.id]} -. {label('on failure, max ' + str(step.on_failure.max))} .-> {ids[step.on_failure.goto]}"
            )
        elif action == "rollback":
            needs_undo_node = needs_undo_node or not rb.rollback
            lines.append(f"  {ids[step.id]} -. {label('on failure: roll back')} .-> {rollback_target}")
    if needs_undo_node:
        lines.append(f"  undo[{label('undo completed steps')}]")
    return "\n".join(lines)


def escalation_flow(levels: list[EscalationLevel], names: dict[str, str]) -> str:
    """Each escalation level after the previous one, with who is notified."""
    lines = ["flowchart TD", '  e0(("incident"))']
    for i, level in enumerate(levels, 1):
        who = ", ".join(names.get(n, n) for n in level.notify)
        head = level.name or f"Level {i}"
        lines.append(f"  e{i}[{label(f'{head}: {who}')}]")
        when = f"after {format_duration(level.after)}" if level.after else "at once"
        lines.append(f"  e{i - 1} -- {label(when)} --> e{i}")
    return "\n".join(lines)

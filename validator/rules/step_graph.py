"""The runbook as a graph (S420-S422): steps no path reaches, decisions whose answers change
nothing, and loops a run cannot leave.

Jumps to steps that do not exist and conditions on steps that cannot have run yet are
validation errors (R007, R009), not lint.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from validator.findings import Finding, Severity
from validator.graph import graph
from validator.rules.base import Context, rule


@rule("S420", "unreachable-step", Severity.WARNING, "No path through the runbook reaches this step.",
      "make an answer or a goto lead to it, or remove it")
def unreachable_step(ctx: Context) -> Iterator[Finding]:
    """Every step a responder can never get to is a step nobody has tested and a page of the
    runbook that misleads whoever reads it: usually a jump or a decision's ``goto`` that skips over
    it on every path, after an edit that reordered steps.

    Follow the arrows from the first step (done, skipped by ``when:``, each answer, each failure
    policy): a step none of them reaches is reported.  Point an answer or a ``goto`` at it, drop the
    ``next:`` that jumps over it, or delete it.
    """
    for rb in ctx.runbooks:
        if not any(s.decide or s.next or s.on_failure.goto for s in rb.all_steps()):
            continue  # a straight line reaches every step
        for step in graph(rb).unreachable():
            yield ctx.report(rb.source, (*step.at, "id"), f"step '{step.id}' is never reached: every path jumps past it")


@rule("S421", "pointless-decision", Severity.WARNING,
      "A decision whose answers all lead to the same place and that no later condition reads.",
      "give the answers different gotos, a severity or rollback, or test steps.ID.answer in a later when:")
def pointless_decision(ctx: Context) -> Iterator[Finding]:
    """A question under pressure costs the responder time; one whose answer changes nothing (every
    answer carries on to the same step, none raises the severity or rolls back, and no later
    ``when:`` looks at ``steps.ID.answer``) only costs.  It usually means a ``goto`` was forgotten.

    Make the answers lead somewhere different, or read the answer in a later step's condition; if
    the question is only a reminder, write it as a manual step.
    """
    for rb in ctx.runbooks:
        for step in rb.all_steps():
            if step.decide is None:
                continue
            g = graph(rb)
            targets = {e.target for e in g.out.get(step.id, ()) if e.kind == "answer"}
            acts = any(c.severity or c.rollback for c in step.decide.choices)
            read = re.compile(rf"\bsteps\.{re.escape(step.id)}\.answer\b")
            if len(targets) > 1 or acts or any(s.when and read.search(s.when) for s in rb.all_steps()):
                continue
            yield ctx.report(rb.source, (*step.at, "decide"), key=True,
                             message=f"every answer to '{step.id}' leads to the same place and nothing reads it: "
                             "the question decides nothing")


@rule("S422", "loop-without-exit", Severity.ERROR, "Steps that jump to each other with no way on to the end of the run.",
      "let one answer (or the step after the loop) lead past it")
def loop_without_exit(ctx: Context) -> Iterator[Finding]:
    """A ``goto``, ``next:`` or decision that leads back, where no answer and no step in the loop
    leads on, traps the responder: the run can only end by a failure or an abort, and the runbook
    never reaches its verification.  (A failure's ``goto`` is bounded by ``max`` and is not such a
    loop.)

    Give the loop a way out: an answer that goes on (``"fixed"``, ``"give up"``), or a step in it
    whose ``next:`` leads past it.
    """
    for rb in ctx.runbooks:
        if not any(s.decide or s.next for s in rb.all_steps()):
            continue
        stuck = graph(rb).stuck()
        if not stuck:
            continue
        ids = {s.id for s in stuck}
        jumps = [at for s in stuck for at in ([(*s.at, "next")] if s.next in ids else []) +
                 [(*c.at, "goto") for c in (s.decide.choices if s.decide else ()) if c.goto in ids]]
        at = jumps[-1] if jumps else (*stuck[0].at, "id")  # the last jump in the loop is the one that goes back
        yield ctx.report(rb.source, at, f"steps {', '.join(s.id for s in stuck)} loop with no way out: "
                         "no answer leads past them")

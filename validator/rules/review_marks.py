"""Review marks (I5xx): steps that a person still has to look at, usually after ``runbook import``."""

from __future__ import annotations

from collections.abc import Iterator

from validator.findings import Finding, Severity
from validator.rules.base import Context, rule


@rule("I501", "needs-review", Severity.WARNING, "A step is marked `needs_review`: a person has not checked it yet.",
      "check what the mark says (usually: set `risk:`), then delete the `needs_review:` line")
def needs_review(ctx: Context) -> Iterator[Finding]:
    """``runbook import`` cannot tell whether a command only reads or changes something, nor
    which prose is a decision, so it marks such steps ``needs_review`` instead of guessing.
    Until the mark is removed the runner treats the step as state-changing (never run
    unattended under ``--yes``) and this warning stays, so an imported runbook cannot pass
    ``--strict`` unreviewed.

    Read the step, set ``risk:`` (read-only, mutating or destructive) and anything else the
    mark names, then delete the ``needs_review:`` line.
    """
    for rb in ctx.runbooks:
        for step in rb.all_steps():
            if step.needs_review:
                yield ctx.report(rb.source, (*step.at, "needs_review"), f"step '{step.id}' needs review: {step.needs_review}",
                                 key=True)

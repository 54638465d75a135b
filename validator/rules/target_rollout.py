"""Steps (S4xx), rollouts: a destructive step on many hosts goes out in batches."""

from __future__ import annotations

from collections.abc import Iterator

from validator.findings import Finding, Severity
from validator.rules.base import Context, rule
from validator.rules.step_safety import hazards, is_destructive
from validator.rules.step_text import steps_of


@rule("S431", "destructive-rollout-unbatched", Severity.ERROR,
      "A destructive targeted step runs on all its hosts at once: it has no `serial:`.",
      "add `serial: [1, \"25%\"]` (a canary host first, then batches) and a `max_fail_percentage:`")
def destructive_unbatched(ctx: Context) -> Iterator[Finding]:
    """A destructive command sent to every host of a pattern at once turns one mistake into a
    fleet-wide outage: a wrong flag, a disk that was not the one meant, a restart that never comes
    back. ``serial:`` rolls it out in batches, as Ansible does (``[1, "25%"]``: one canary host
    first, then a quarter of the hosts at a time), and the rollout stops when a batch fails
    (every host of it, or more than ``max_fail_percentage`` of it).

    A step counts as destructive when it says ``risk: destructive`` or runs a command whose
    damage lasts (``rm -rf``, ``DROP TABLE``, ``mkfs`` and the rest of S401's list). Add
    ``serial:``; ``serial: 1`` goes one host at a time.
    """
    found = hazards(ctx)
    for rb in ctx.runbooks:
        for step in steps_of(rb):
            if step.is_targeted and not step.serial and is_destructive(found, step):
                yield ctx.report(rb.source, (*step.at, "targets"),
                                 f"step '{step.id}' is destructive and runs on every host of '{step.targets}' at once")

"""Steps (S4xx), hosts: a targeted step (``targets:``) must name hosts the inventory has."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from validator import inventory
from validator.findings import Finding, Severity
from validator.model import Runbook
from validator.rules.base import Context, rule
from validator.rules.memo import per_run
from validator.rules.step_text import steps_of

Read = inventory.Inventory | inventory.Unreadable


def _inventories(ctx: Context) -> dict[Path, Read]:
    return per_run(ctx, "inventories", dict)


def _read(ctx: Context, path: Path) -> Read:
    """Each inventory read once per lint run; what went wrong is kept as the result."""
    known = _inventories(ctx)
    if path not in known:
        try:
            known[path] = inventory.read_inside(ctx.root, path)
        except inventory.Unreadable as err:
            known[path] = err
    return known[path]


def _chosen(ctx: Context, rb: Runbook) -> tuple[Path, str] | None:
    return inventory.chosen(ctx.root, ctx.inventory, rb.policy)


@rule("S430", "targets-no-host", Severity.ERROR, "A targeted step's host pattern matches no host of the inventory.",
      "correct the pattern (a group or host name of the inventory, `all`, `web*`, `web:&eu`), or add the hosts")
def targets_no_host(ctx: Context) -> Iterator[Finding]:
    """A step with ``targets:`` runs its command on every host the pattern names, through
    Ansible. A pattern that names none (a typo in a group name, a group renamed in the
    inventory) would make the step fail in the middle of an incident, or worse, look as if
    nothing needed doing. The pattern is matched as Ansible matches it (groups and their
    children, hosts, ``*`` wildcards, ``~regex``, ``a:b`` unions, ``&`` intersections and
    ``!`` exclusions) against the inventory the run uses: the lint configuration's
    ``inventory`` setting, else the policy's ``inventory:``. An inventory that is missing or
    not valid is reported at the first targeted step of each runbook.

    An inventory script or plugin configuration (``plugin: aws_ec2``) knows its hosts only
    when it runs, and lint runs nothing: such steps are not checked here; ``runbook run
    --dry-run`` shows the hosts Ansible resolves. Without any inventory named, there is
    nothing to check against either (the run then needs ``--inventory``).  A run given
    ``--inventory`` works on that inventory instead, so this finding does not refuse it: the
    runner resolves each targeted step's hosts there, and a pattern naming none fails the step.
    """
    for rb in ctx.runbooks:
        where = _chosen(ctx, rb)
        if where is None:
            continue
        path, origin = where
        read = _read(ctx, path)
        told = False
        for step in steps_of(rb):
            if not step.is_targeted or step.targets is None:
                continue
            at = (*step.at, "targets")
            if isinstance(read, inventory.Unreadable):
                if not read.dynamic and not told:
                    told = True
                    yield ctx.report(rb.source, at, f"the inventory ({origin}) cannot be read: {read}",
                                     "fix the inventory path or file", cause=f"inventory {path}")
                continue
            if not inventory.match(read, step.targets):
                yield ctx.report(rb.source, at, f"step '{step.id}' targets '{step.targets}', which matches no host "
                                 f"of the inventory {path.relative_to(ctx.root) if path.is_relative_to(ctx.root) else path} "
                                 f"({origin})")

"""A targeted step in a drill (``runbook test``): which hosts it runs on, which of them fail, and
whether the rollout reaches them all.

The hosts come from the inventory the runbook's policy names (read as lint reads it, nothing is
run); when it cannot be read (none named, an inventory script), the hosts are the ones the drill
names. Each host takes the drill's result for it (``results: {step: {hosts: {web3: …}}}``), else
the step's; with ``serial:`` the rollout stops at a failed batch as Ansible's does
(:mod:`validator.rollout`), so a drill can rehearse a partial failure and what the runbook does
next.
"""

from __future__ import annotations

from pathlib import Path

from validator import inventory, rollout
from validator.discovery import find_root
from validator.model import Runbook, Step, StepResult
from validator.walk import check_result


def hosts(rb: Runbook, step: Step, result: StepResult) -> list[str]:
    """The hosts ``step`` targets: the inventory's, else the ones the drill names."""
    chosen = inventory.chosen(Path("."), None, rb.policy)
    if chosen is not None and step.targets:
        root = find_root(Path(rb.source.file))
        try:
            return inventory.match(inventory.read_inside(root, chosen[0]), step.targets)
        except inventory.Unreadable:
            pass
    return sorted(result.hosts)


def outcome(rb: Runbook, step: Step, result: StepResult) -> tuple[bool, str]:
    """Whether the step succeeded on every host, and if not, where it failed and what did not run."""
    every = hosts(rb, step, result)
    if not every:
        ok, why = check_result(step, result.exit_code, result.output)
        return ok, why

    def fails(host: str) -> bool:
        mine = result.on(host)
        return not check_result(step, mine.exit_code, mine.output)[0]

    ran = rollout.reached(every, step.serial, step.max_fail_percentage, fails)
    failed = [h for h in ran if fails(h)]
    left = len(every) - len(ran)
    if not failed and not left:
        return True, ""
    return False, f"failed on {', '.join(failed)} of {len(every)} host(s)" + (f"; {left} not run" if left else "")

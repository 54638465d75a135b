"""How a rollout in batches goes, as Ansible runs one: which batches ``serial:`` makes of the
hosts, and which hosts a rollout reaches before a failed batch stops it.

Shared by the runner (to show the batches, and to pretend in a drill) and by ``runbook test``
(to walk a drill in which some hosts fail), so both follow Ansible's rules: each size in turn,
the last one repeated; a percentage of all the hosts, at least one; the rollout stops after a
batch whose every host failed, or in which more than ``max_fail_percentage`` of the hosts failed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence


def size(value: int | str, total: int) -> int:
    if isinstance(value, str) and value.endswith("%"):
        return int(int(value[:-1]) / 100.0 * total) or 1
    return int(value)


def batches(hosts: Sequence[str], serial: Sequence[int | str]) -> list[list[str]]:
    """The batches Ansible makes of ``hosts`` for ``serial``."""
    if not serial:
        return [list(hosts)] if hosts else []
    out, left, index = [], list(hosts), 0
    while left:
        count = size(serial[index], len(hosts))
        out.append(left[:count])
        left = left[count:]
        index = min(index + 1, len(serial) - 1)
    return out


def stops(batch: Sequence[str], failed: int, max_fail_percentage: int | None) -> bool:
    """Whether the rollout stops after ``batch``, ``failed`` of whose hosts failed."""
    if not batch or failed == 0:
        return False
    if failed == len(batch):
        return True
    return max_fail_percentage is not None and failed / len(batch) > max_fail_percentage / 100.0


def reached(hosts: Sequence[str], serial: Sequence[int | str], max_fail_percentage: int | None,
            fails: Callable[[str], bool]) -> list[str]:
    """The hosts a rollout runs on before it stops, given which hosts fail."""
    out: list[str] = []
    for batch in batches(hosts, serial):
        out += batch
        if stops(batch, sum(1 for h in batch if fails(h)), max_fail_percentage):
            break
    return out

"""Facts several rules derive from the same repository (where each script is, which commands
are destructive), computed once per lint run instead of once per rule.

One slot per fact, tied to the repository object: the next run, with a new repository,
recomputes it, so files changed on disk between runs are read again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from validator.rules.base import Context

T = TypeVar("T")
_SLOTS: dict[str, tuple[object, Any]] = {}


def per_run(ctx: Context, name: str, compute: Callable[[], T]) -> T:
    """``compute()``, once per repository for ``name``."""
    hit = _SLOTS.get(name)
    if hit is not None and hit[0] is ctx.repo:
        value: T = hit[1]
        return value
    value = compute()
    _SLOTS[name] = (ctx.repo, value)
    return value

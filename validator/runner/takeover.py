"""``runbook run --resume JOURNAL [--take-over]``: hold the run's lock, and hand the run from one
responder to the next when its first responder has gone.

Resuming one's own run needs nothing more than ``--resume``.  A run someone else held needs
``--take-over``, and a confirmation naming who held it, since when and whether their runner
still runs; without a terminal (or with ``--yes``) the confirmation is ``--approve-take-over``.
A runner that still holds the lock is never taken over silently: on this host it is stopped
(SIGTERM: it stops its command and records the run as interrupted) only with
``--force-take-over``; on another host it cannot be checked, and ``--force-take-over`` sets its
lock aside, after which that runner stops at its next journal entry.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from validator.runner import journal as journal_mod
from validator.runner import lock as lock_mod
from validator.runner.handoff import GONE, LEFTOVER, RUNNING, UNKNOWN, Holder, describe, me, record
from validator.runner.prompts import Console

STOP_WAIT = 20.0  # seconds a signalled runner has to end its run and let go of the lock


class Refused(Exception):
    """No take-over: the message says why and what to do instead."""


@dataclass
class Request:
    journal: Path
    take_over: bool = False
    force: bool = False
    approved: bool = False  # --approve-take-over: no question asked
    reason: str | None = None
    interactive: bool = True  # a person at a terminal can answer


@dataclass
class Claim:
    lock: lock_mod.Lock
    handoff: dict[str, Any] | None = None  # the event to journal once the journal is open


def claim(req: Request, console: Console) -> Claim:
    """Hold ``req.journal``'s lock, taking the run over when asked; raises :class:`Refused`."""
    try:
        held = lock_mod.acquire(req.journal)
    except lock_mod.Held as err:
        return _held(req, console, err)
    try:
        return _free(req, console, held)
    except BaseException:
        held.release()
        raise


def _events(journal: Path) -> list[dict[str, Any]]:
    try:
        return journal_mod.read(journal)
    except (ValueError, OSError):
        return []  # the resume that follows reports it, located


def _last(events: list[dict[str, Any]]) -> str:
    return str(events[-1]["t"]) if events else ""


def _free(req: Request, console: Console, held: lock_mod.Lock) -> Claim:
    """Nobody holds the lock: whose run was it, and may this responder continue it?"""
    events = _events(req.journal)
    holder = Holder.from_lock(held.previous) if held.previous else Holder.from_journal(events)
    mine = not holder.known() or holder.user == me().user
    completed = any(e["type"] == "end" and e.get("outcome") == "completed" for e in events)
    if completed or (mine and not req.take_over):  # a completed run is refused by the resume itself
        return Claim(held)
    state = holder.state(locked=False)
    if state == RUNNING:  # its pid lives but the lock is free: it no longer holds the run
        state = UNKNOWN
    if not req.take_over:
        raise Refused("\n".join([
            *describe(holder, state, _last(events), locked=False),
            f"It is {holder.user}'s run: taking it over is recorded in the journal, with your name.",
            f"To take it over: runbook run --resume {req.journal} --take-over"]))
    lines = describe(holder, state, _last(events), locked=False)
    if state == UNKNOWN:
        lines.append("No runner holds the journal's lock now (on shared storage that honours locks, see the docs).")
    return Claim(held, _confirm(req, console, lines, holder, state, forced=False))


def _held(req: Request, console: Console, err: lock_mod.Held) -> Claim:
    """A runner holds the lock.  Refuse, or (forced) stop it or set its lock aside, then take over."""
    holder = Holder.from_lock(err.holder)
    if not req.take_over:
        raise Refused(f"{err}\nA responder taking it over from them: add --take-over (it says whether that runner "
                      "still runs).")
    events = _events(req.journal)
    state = holder.state(locked=True)
    lines = describe(holder, state, _last(events))
    again = f"runbook run --resume {req.journal} --take-over --force-take-over"
    if not req.force:
        if state == RUNNING:
            how = ["Two runners on one run would both answer the same step, so it is not taken over while it runs.",
                   f"End it first (Ctrl-C in its terminal, or: kill {holder.pid}) and run this again, or force it:",
                   f"  {again}",
                   "which stops that runner (SIGTERM: its command in flight is stopped, the run recorded as interrupted)."]
        elif state == LEFTOVER:
            how = [f"Find it with: fuser -v {lock_mod.lock_path(req.journal)}; stop it and run this again, or force it:",
                   f"  {again}", "which sets that lock aside."]
        else:
            how = [f"Stop it on {holder.host or 'its host'} (Ctrl-C in its terminal, or: kill {holder.pid} there) and run "
                   "this again. If that host is down, the shared storage frees its lock when the host's lease runs out "
                   "(NFSv4: about 90 seconds).",
                   f"If the lock is never freed, force it: {again}",
                   "which sets the lock aside; if that runner still lives, it stops at its next journal entry."]
        raise Refused("\n".join([*lines, *how]))
    if state == RUNNING:
        lines.append(f"Taking over STOPS that runner (pid {holder.pid}, SIGTERM): its command in flight is stopped.")
    else:
        lines.append("Taking over sets that lock aside.")
    handoff = _confirm(req, console, lines, holder, state, forced=True)
    if state == RUNNING:
        assert holder.pid is not None
        return Claim(_stop(req.journal, holder.pid), {**handoff, "holder": "running; stopped by this take-over"})
    lock_mod.break_lock(req.journal)
    try:
        return Claim(lock_mod.acquire(req.journal), handoff)
    except lock_mod.Held as again_held:
        raise Refused(f"{again_held}\nAnother runner took the lock while this one was setting it aside.") from None


def _confirm(req: Request, console: Console, lines: list[str], holder: Holder, state: str, forced: bool) -> dict[str, Any]:
    """Show who held the run; ask (or require --approve-take-over); the hand-off event to record."""
    if not req.approved and not req.interactive:
        raise Refused("\n".join([*lines, "A take-over without a terminal (or with --yes) must be approved explicitly: "
                                 "add --approve-take-over."]))
    for line in lines:
        console.say(line, bold="STILL" in line or "STOPS" in line)
    reason = req.reason
    if reason is None and req.interactive:
        reason = console.line("Reason for taking over (recorded; Enter for none)", default="")
    if not req.approved and not console.yes_no(f"Take over this run as user {me().user}?"):
        raise Refused("Not taken over: nothing was changed.")
    if state == GONE and holder.pid is not None:
        state = f"gone (no process {holder.pid} on {holder.host})"
    elif state == UNKNOWN:
        state = f"cannot be checked (host {holder.host or 'unknown'})"
    return record(holder, state, reason or "", forced)


def _stop(journal: Path, pid: int) -> lock_mod.Lock:
    """SIGTERM the runner holding ``journal`` and wait for it to let go of the lock."""
    try:
        os.kill(pid, signal.SIGTERM)
    except PermissionError:
        raise Refused(f"Cannot stop pid {pid}: it belongs to another user. Ask them or an administrator "
                      f"(sudo kill {pid}), then run this again.") from None
    except ProcessLookupError:
        pass  # it ended on its own meanwhile
    deadline = time.monotonic() + STOP_WAIT
    while True:
        with contextlib.suppress(lock_mod.Held):
            return lock_mod.acquire(journal)
        if time.monotonic() > deadline:
            raise Refused(f"The runner (pid {pid}) did not end within {STOP_WAIT:.0f} seconds of SIGTERM. "
                          f"Stop it with: kill -9 {pid}, then run this again.")
        time.sleep(0.1)

"""The ``p`` key at any prompt: page the next level of the escalation chain, now, through the
contacts' channels.

The chain is the one the runner names when an escalation falls due: the runbook's escalation
path, else the policy's; without a path, the severity's notify list is its only level.  Each
press pages the level after the last one paged in this run (the journal remembers it across a
resume or a hand-off).  The responder sees who will be paged, through what, and the text; adds
what is needed from them; then sends, edits, says it was paged by hand, or cancels.  Delivery
is the notify step's (:mod:`validator.runner.deliver`): each channel tried three times, every
attempt journalled, the text printed to page by hand when a channel fails.  Drills page only
channels marked ``drills: true``; a dry run or a ``--yes`` run asks nothing, so it has no key and
pages nobody.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from validator.durations import format_duration
from validator.model import Contact
from validator.runner import deliver, render
from validator.runner import journal as journal_mod
from validator.runner.lock import user

if TYPE_CHECKING:
    from validator.runner.session import Session

CHOICES = [("s", "send"), ("e", "edit the text"), ("m", "paged by hand"), ("c", "cancel")]


@dataclass
class Level:
    index: int  # 1-based position in the chain
    name: str
    notify: list[str]  # contact and role ids


def chain(s: Session) -> list[Level]:
    rb = s.state.runbook
    path = rb.escalation or (rb.policy.escalation if rb.policy else [])
    if path:
        return [Level(i, lvl.name or f"level {i}", list(lvl.notify)) for i, lvl in enumerate(path, 1)]
    level = s.state.clock.level
    return [Level(1, f"severity {level.id}", list(level.notify))] if level is not None and level.notify else []


def paged_before(path: Path) -> int:
    """How many levels this run's journal says were paged already (a resumed or taken-over run); a page
    cancelled, or delivered to nobody and not paged by hand, leaves its level to page again."""
    with contextlib.suppress(ValueError, OSError):
        return max((int(e.get("level_index") or 0) for e in journal_mod.read(path) if e["type"] == "page"
                    and not e.get("cancelled") and not e.get("failed")), default=0)
    return 0


class Pager:
    """Bound to a run; :meth:`page` is what the ``p`` key calls."""

    def __init__(self, session: Session) -> None:
        self.s = session
        self.paged = paged_before(Path(session.journal.path))

    def page(self) -> None:
        s = self.s
        levels = chain(s)
        if not levels:
            s.console.say("The policy names no escalation level to page: call your incident commander.", bold=True)
            return
        if self.paged >= len(levels):
            s.console.say(f"Every level of the escalation chain has been paged (the last: {levels[-1].name}). "
                          "Call your incident commander.", bold=True)
            return
        level = levels[self.paged]
        hook, s.console.pager = s.console.pager, None  # no paging from inside the paging questions
        try:
            if self.ask_and_send(level, len(levels)):
                self.paged = level.index
        finally:
            s.console.pager = hook

    def ask_and_send(self, level: Level, total: int) -> bool:
        """True once the level counts as paged (delivered, or paged by hand); False when cancelled or undelivered."""
        s = self.s
        policy = s.state.runbook.policy
        contacts = deliver.recipients(policy, level.notify)
        reachable = [c for c in contacts if deliver.channels_for(c, s.mode.drill)]
        s.console.say(f"Page escalation level {level.index} of {total}: {level.name}", bold=True)
        for contact in contacts:
            ways = deliver.channels_for(contact, s.mode.drill)
            drill = "drill " if s.mode.drill else ""
            s.console.say(f"  {contact.name}: " + (f"via {', '.join(deliver.shown(ch) for ch in ways)}" if ways else
                                                    f"no {drill}channel, page by hand: {render.recipient(policy, contact.id)}"))
        need = s.console.line("What do you need from them? (one line, Enter for none)", default="")
        subject, body = self.text(level, need)
        names = [c.name for c in contacts]
        while True:
            s.console.say((f"Subject: {subject}\n" if subject else "") + body)
            answer = s.console.choose("Page them?", CHOICES)
            if answer == "e":
                edited = click.edit(body)
                body = edited.rstrip("\n") if edited is not None else body
                continue
            break
        if answer == "c":
            s.journal.write("page", level=level.name, level_index=level.index, to=names, cancelled=True, step=self.current())
            s.console.say("Not paged.")
            return False
        page = {"level": level.name, "level_index": level.index, "to": names, "subject": subject, "body": body,
                "step": self.current(), "drill": s.mode.drill or None}
        if answer == "m":
            s.journal.write("page", **page, delivered=0, by_hand=names)
            s.console.say(f"Recorded: escalation level {level.index} ({level.name}) paged by hand.")
            return True
        results = deliver.send(reachable, subject, body, s.mode.drill)
        delivered = self.report(level, contacts, results)
        sent_to = {r.recipient for r in results if r.ok}
        left = [c.name for c in contacts if c.id not in sent_to]
        if left:
            s.console.say(f"Page by hand: {'; '.join(left)}" + (" (drill: practice only)" if s.mode.drill else ""), bold=True)
            s.console.say((f"Subject: {subject}\n" if subject else "") + body)
        if not delivered:
            by_hand = s.console.yes_no("Nothing was delivered. Did you page them by hand?")
            s.journal.write("page", **page, delivered=0, deliveries=len(results), by_hand=left if by_hand else [],
                            failed=not by_hand)
            return by_hand
        s.journal.write("page", **page, delivered=delivered, deliveries=len(results), by_hand=left)
        s.console.say(f"Escalation level {level.index} ({level.name}) paged: {delivered} of {len(results)} "
                      "deliveries accepted.")
        return True

    def report(self, level: Level, contacts: list[Contact], results: list[deliver.Delivery]) -> int:
        """Journal and show each delivery; how many were accepted."""
        for r in results:
            self.s.journal.write("delivery", step=self.current(), recipient=r.recipient, channel=r.channel, ok=r.ok,
                                 attempts=r.attempts, error=r.error, page=level.name)
            mark = "paged" if r.ok else f"FAILED after {r.attempts} attempt(s): {r.error}"
            self.s.console.say(f"  {r.recipient} via {r.channel}: {mark}", bold=not r.ok)
        return sum(1 for r in results if r.ok)

    def current(self) -> str | None:
        plan, position = self.s.state.plan, self.s.state.position
        return plan[position].id if position < len(plan) else None

    def text(self, level: Level, need: str) -> tuple[str, str]:
        """The page: what is going on, how long, where the run is, and what is asked of them."""
        state, drill = self.s.state, self.s.mode.drill
        rb, clock = state.runbook, state.clock
        sev = f"{clock.level.id} {clock.level.name}" if clock.level else "no severity"
        step = next((st for st in state.plan if st.id == self.current()), None)
        lines = [f"Escalation {level.name} (level {level.index}): {rb.title} ({rb.id}, service {rb.service}).",
                 f"Severity {sev}; {format_duration(clock.elapsed())} since the incident started "
                 f"({journal_mod.iso(clock.started_at)}).",
                 *([f"The responder is at: {step.name} ({step.id})."] if step is not None else []),
                 *([f"Needed: {need}"] if need else []),
                 f"Paged by {user()} from runbook run{' (DRILL: practice only)' if drill else ''}."]
        return f"{'[DRILL] ' if drill else ''}[{state.severity or '-'}] Escalation: {rb.title}", "\n".join(lines)


def timeline_text(e: dict[str, Any]) -> str:
    """A ``page`` event for the timeline: which level, to whom, what was delivered, what went by hand."""
    level = f"escalation level {e.get('level_index')} ({e.get('level')})"
    if e.get("cancelled"):
        return f"Page of {level} cancelled"
    to = "; ".join(e.get("to") or [])
    drill = " (drill)" if e.get("drill") else ""
    by_hand = e.get("by_hand") or []
    if e.get("failed"):
        return f"Paging {level} FAILED: nothing was delivered to {to}{drill}"
    if not e.get("deliveries"):
        return f"Paged {level} by hand: {to}{drill}"
    result = f"{e.get('delivered')} of {e.get('deliveries')} deliveries accepted"
    return f"Paged {level}: {to} ({result}{'; by hand: ' + '; '.join(by_hand) if by_hand else ''}){drill}"

"""Freshness (D6xx): a runbook nobody has read since the last reorganisation names people who
left and commands for hosts that are gone.  "Last updated: [Date]" is the seeds' version.

Dates are compared with ``ctx.today`` (``--today`` pins it, so tests do not age).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from validator.findings import Finding, Severity
from validator.model import Policy, Review, Runbook, Source
from validator.rules.base import Context, rule

DAY = 86400


def _reviewed(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _reviews(ctx: Context) -> Iterator[tuple[Source, Review]]:
    """Review metadata of every runbook and policy that has some."""
    docs: list[Policy | Runbook] = [*ctx.policies, *ctx.runbooks]
    for doc in docs:
        if doc.review is not None:
            yield doc.source, doc.review


def _days(seconds: int) -> str:
    days = seconds // DAY
    return f"{days} day{'s' * (days != 1)}"


@rule("D601", "review-overdue", Severity.WARNING, "A runbook or policy review is overdue (last_reviewed + every is past).",
      "review the runbook against the current system, then update review.last_reviewed")
def review_overdue(ctx: Context) -> Iterator[Finding]:
    """Systems, people and phone numbers change; a runbook past its review date is likely to send the
    responder to a dashboard that moved or a colleague who left.

    Walk through the runbook (a drill is ideal), fix what changed, and set ``review.last_reviewed`` to today.
    """
    for source, review in _reviews(ctx):
        reviewed = _reviewed(review.last_reviewed)
        if reviewed is None:
            continue
        due = reviewed + timedelta(seconds=review.every)
        if due < ctx.today:
            late = (ctx.today - due).days
            yield ctx.report(source, ("review", "last_reviewed"),
                             f"review was due on {due.isoformat()} ({late} day{'s' * (late != 1)} ago; last reviewed "
                             f"{reviewed.isoformat()}, every {_days(review.every)})")


@rule("D602", "no-review", Severity.WARNING, "A runbook (or a policy none of whose runbooks is reviewed) has no review metadata.",
      "add review: {last_reviewed: YYYY-MM-DD, every: 90d, by: OWNER}")
def no_review(ctx: Context) -> Iterator[Finding]:
    """Without a review date nobody can tell a runbook checked last week from one written for a
    system that no longer exists, and nobody is reminded to look.  A policy's contacts and
    escalation path go stale first; they are checked whenever a runbook that relies on them is
    reviewed, so a policy is reported when nothing that uses it carries a review date: neither
    the policy nor any of its runbooks.

    Add a ``review:`` block with ``last_reviewed``, ``every`` (e.g. ``90d``) and ``by``.
    """
    for policy in ctx.policies:
        governed = [rb for rb in ctx.repo.runbooks if rb.policy is policy]
        if policy.review is None and governed and not any(rb.review for rb in governed):
            yield ctx.report(policy.source, ("id",), f"policy '{policy.id}' has no review: block, and none of its "
                             f"{len(governed)} runbook{'s' * (len(governed) != 1)} has one either", key=True)
    for rb in ctx.runbooks:
        if rb.review is None:
            yield ctx.report(rb.source, ("id",), f"runbook '{rb.id}' has no review: block (last_reviewed, every)", key=True)


@rule("D603", "review-in-future", Severity.WARNING, "The review date is in the future.",
      "set review.last_reviewed to the date the review actually happened")
def review_in_future(ctx: Context) -> Iterator[Finding]:
    """A review dated in the future is a typo or a promise; either way it postpones the next real
    review and hides the runbook from the overdue list.

    Use the date on which the review took place.
    """
    for source, review in _reviews(ctx):
        reviewed = _reviewed(review.last_reviewed)
        if reviewed is not None and reviewed > ctx.today:
            yield ctx.report(source, ("review", "last_reviewed"),
                             f"last review date {reviewed.isoformat()} is after today ({ctx.today.isoformat()})")


@rule("D604", "review-bad-date", Severity.ERROR, "The review date is not a real calendar date.",
      "write a real date, YYYY-MM-DD")
def review_bad_date(ctx: Context) -> Iterator[Finding]:
    """The format only checks the YYYY-MM-DD shape, so ``2024-02-30`` passes it; freshness cannot be
    judged from a date that does not exist.

    Write the real date of the review.
    """
    for source, review in _reviews(ctx):
        if _reviewed(review.last_reviewed) is None:
            yield ctx.report(source, ("review", "last_reviewed"), f"'{review.last_reviewed}' is not a calendar date")

"""Contacts, continued: who is behind each page, role and backup, and does the chain hold?

A page to a role lands on its primary, then its secondary; a page to a person falls back
along ``backup``.  These rules follow those chains the way a paging service would.
"""

from __future__ import annotations

from collections.abc import Iterator

from validator.findings import Finding, Severity
from validator.model import Contact, Policy
from validator.rules.base import Context, rule
from validator.rules.step_text import steps_of


def _people(policy: Policy, target: str) -> list[Contact]:
    """The contacts a page to ``target`` can reach: a role's primary and secondary, then backups."""
    role = policy.role(target)
    first = [c for c in (policy.contact(p) for p in ((role.primary, role.secondary) if role else (target,)) if p) if c]
    reached: list[Contact] = []
    for contact in first:
        current: Contact | None = contact
        while current is not None and current not in reached:
            reached.append(current)
            current = policy.contact(current.backup) if current.backup else None
    return reached


@rule("C105", "single-pager", Severity.WARNING,
      "The most severe level pages nobody, or a single person with no backup.",
      "page a role with a primary and a secondary, a team rota, or give the person a backup")
def single_pager(ctx: Context) -> Iterator[Finding]:
    """When the top severity pages one person and that person is asleep, in the air or ill, the
    worst incident of the year waits until someone notices.  A second human (a role's secondary,
    a contact's ``backup``) or a team contact (a rota behind a pager) removes the single point
    of failure.  A lone ``type: service`` target (a paging integration) is a single point too:
    when the integration breaks, nobody is paged.

    Fix: page a role with ``primary`` and ``secondary``, add ``backup`` to the contact (or to
    the service: a phone tree that works when the integration does not), or page a
    ``type: team`` contact whose pager is a rotation.
    """
    for policy in ctx.policies:
        if not policy.severities:
            continue
        top = policy.severities[0]
        if not top.page:
            yield ctx.report(policy.source, (*top.at, "id"), f"{top.id} ({top.name}) pages nobody",
                             "list who is paged at once under `page:`")
            continue
        reached = [c for target in top.page for c in _people(policy, target)]
        if any(c.type == "team" for c in reached) or len({c.id for c in reached}) != 1:
            continue
        what = " (a service)" if reached[0].type == "service" else ""
        yield ctx.report(policy.source, (*top.at, "page"),
                         f"{top.id} ({top.name}) pages only '{reached[0].id}'{what}, with no backup")


@rule("C106", "role-without-primary", Severity.WARNING,
      "A role names no primary contact, so nobody fills it by default.",
      "set `primary:` to the contact who takes the role first")
def role_without_primary(ctx: Context) -> Iterator[Finding]:
    """An incident role that nobody fills is decided during the incident, which is when nobody has
    time to decide it.  Pages and notifications sent to the role go to its primary first.

    Fix: name the contact (or team rota) that takes the role by default with ``primary:``.
    """
    for policy in ctx.policies:
        for role in policy.roles:
            if not role.primary:
                extra = f" (secondary '{role.secondary}' is set)" if role.secondary else ""
                yield ctx.report(policy.source, (*role.at, "id"), f"role '{role.id}' has no primary contact{extra}")


@rule("C107", "backup-is-self", Severity.ERROR,
      "A contact is its own backup, or a role's secondary is its primary.",
      "name a different person as the backup or secondary")
def backup_is_self(ctx: Context) -> Iterator[Finding]:
    """A backup exists for when the first person does not answer; paging them again does not help.
    This is usually a copy-paste slip that leaves the schedule with a silent gap.

    Fix: name someone else, or remove the field so the gap is visible.
    """
    for policy in ctx.policies:
        for contact in policy.contacts:
            if contact.backup == contact.id:
                yield ctx.report(policy.source, (*contact.at, "backup"), f"contact '{contact.id}' is its own backup")
        for role in policy.roles:
            if role.primary and role.primary == role.secondary:
                yield ctx.report(policy.source, (*role.at, "secondary"),
                                 f"role '{role.id}': secondary '{role.secondary}' is also the primary")


@rule("C108", "backup-cycle", Severity.WARNING,
      "Backups form a circle, so the chain never reaches anyone new.",
      "end the chain with a team rota or a manager instead of looping back")
def backup_cycle(ctx: Context) -> Iterator[Finding]:
    """``ana`` backs up to ``bo`` and ``bo`` back to ``ana``: when both miss the page the
    paging service keeps ringing the same two phones.  A chain should end somewhere that is
    always staffed, such as a team rota.

    Fix: point the last backup at a team contact (``type: team``) or a manager.
    """
    for policy in ctx.policies:
        reported: set[str] = set()
        for start in policy.contacts:
            chain: list[str] = []
            current: Contact | None = start
            while current is not None and current.id not in chain:
                chain.append(current.id)
                current = policy.contact(current.backup) if current.backup else None
            if current is None or current.id != start.id or len(chain) < 2 or reported & set(chain):
                continue
            reported.update(chain)
            loop = " → ".join([*chain, start.id])
            yield ctx.report(policy.source, (*_last(policy, chain).at, "backup"), f"backup chain loops: {loop}")


def _last(policy: Policy, chain: list[str]) -> Contact:
    contact = policy.contact(chain[-1])
    assert contact is not None
    return contact


@rule("C109", "no-owner", Severity.WARNING,
      "A runbook or policy has no owner.",
      "set `owner:` to the role or team that keeps it up to date")
def no_owner(ctx: Context) -> Iterator[Finding]:
    """A document nobody owns is a document nobody updates: the contact list drifts, commands
    stop working, and the review date passes without anyone being asked.

    Fix: add ``owner:`` naming the role or team contact responsible for keeping it true.
    """
    for rb in ctx.runbooks:
        if not rb.owner:
            yield ctx.report(rb.source, ("id",), f"runbook '{rb.id}' has no owner")
    for policy in ctx.policies:
        if not policy.owner:
            yield ctx.report(policy.source, ("id",), f"policy '{policy.id}' has no owner")


@rule("C110", "page-cannot-page", Severity.WARNING,
      "A severity pages a contact that has neither a phone nor a pager.",
      "add a phone or pager to the contact, or move it from `page:` to `notify:`")
def page_cannot_page(ctx: Context) -> Iterator[Finding]:
    """A page has to wake someone up; e-mail and chat do not.  Listing a contact under ``page``
    when it can only be e-mailed promises an alert that never rings.

    Fix: give the contact a ``phone`` or ``pager``, or move it to ``notify``.
    """
    for policy in ctx.policies:
        for sev in policy.severities:
            for i, target in enumerate(sev.page):
                role = policy.role(target)
                first = policy.contact(role.primary) if role and role.primary else policy.contact(target)
                if first is not None and not (first.phone or first.pager):
                    via = f" (primary of '{target}')" if role else ""
                    yield ctx.report(policy.source, (*sev.at, "page", i),
                                     f"{sev.id} pages '{first.id}'{via}, which has no phone or pager")


@rule("C114", "message-to-empty-role", Severity.WARNING,
      "A page or a notify step goes to a role that nobody fills.",
      "name a primary for the role, or send to a contact or team instead")
def message_to_empty_role(ctx: Context) -> Iterator[Finding]:
    """A role with no primary and no secondary is a name, not a person: a page or message sent
    to it reaches nobody, and the runner has no address to send it to.  Reported where the
    message is sent (severity ``page`` lists and ``notify`` steps), so the step that would fail
    is the one that is marked.

    Fix: fill the role (``primary:``), or address the message to a contact or a team.
    """
    for policy in ctx.policies:
        for sev in policy.severities:
            for i, target in enumerate(sev.page):
                role = policy.role(target)
                if role is not None and not (role.primary or role.secondary):
                    yield ctx.report(policy.source, (*sev.at, "page", i), f"{sev.id} pages role '{target}', which nobody fills",
                                     cause=f"role {policy.source.path} {target}")
    for rb in ctx.runbooks:
        if rb.policy is None:
            continue
        for step in steps_of(rb):
            for i, target in enumerate(step.notify) if step.notify else ():
                role = rb.policy.role(target)
                if role is not None and not (role.primary or role.secondary):
                    yield ctx.report(rb.source, (*step.at, "notify", i),
                                     f"step '{step.id}' sends to role '{target}', which nobody fills",
                                     cause=f"role {rb.policy.source.path} {target}")

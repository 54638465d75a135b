"""Contacts: can the people in the policy actually be reached when the pager goes off?

References to contacts and roles that do not exist are core check R002; these rules look at
what the references lead to: placeholder values, numbers nobody can dial, addresses no
server accepts, contacts with no channel, and paging chains that end at one person.
"""

from __future__ import annotations

from collections.abc import Iterator

from validator.findings import Finding, Severity
from validator.model import At, Contact, Policy, Source
from validator.rules import contact_values as values
from validator.rules.base import Context, rule

CHANNELS = ("phone", "email", "chat", "pager")
TEXT_FIELDS = ("name", "role", *CHANNELS)


def _report_text(ctx: Context, source: Source, at: At, needle: str, message: str) -> Finding:
    """Point the caret at ``needle`` inside the value, not at the start of the value."""
    line, col = source.position(at)
    found = source.locator.line_text(line).find(needle, col - 1)
    return ctx.report_line(source, line, found + 1 if found >= 0 else col, message)


def _fields(policy: Policy) -> Iterator[tuple[Contact, str, str]]:
    for contact in policy.contacts:
        for field in TEXT_FIELDS:
            value = getattr(contact, field)
            if isinstance(value, str) and value.strip():
                yield contact, field, value


@rule("C101", "placeholder-contact", Severity.ERROR,
      "A contact's name, phone, e-mail, chat or pager is a placeholder such as [Name], TBD or +1-XXX-XXX-XXXX.",
      "replace it with the real value, or remove the contact until it is known")
def placeholder_contact(ctx: Context) -> Iterator[Finding]:
    """A contact table copied from a template still says ``[Name]``, ``+1-XXX-XXX-XXXX`` or
    ``email@domain.com``.  It looks complete in review and fails at 3 a.m., when the responder
    needs the number.  Brackets, X runs, TBD/TODO, ``changeme``, ``[REDACTED]``, lorem ipsum,
    dummy numbers (000 0000, 1234567) and template addresses (``user@company.com``) are caught.

    Fix: fill in the real value.  If it cannot be published in the repository, point to where it
    is kept (``pager: pagerduty:P1AB2CD``) rather than leaving a placeholder.
    """
    for policy in ctx.policies:
        for contact, field, value in _fields(policy):
            found = values.placeholder(value, field)
            if found is not None:
                yield _report_text(ctx, policy.source, (*contact.at, field), found.text,
                                   f"contact '{contact.id}': {field} '{value.strip()}' is a placeholder ({found.why})")


@rule("C115", "fictional-contact", Severity.ERROR,
      "A contact's e-mail is at a domain reserved for examples, or its phone is a number set aside for fiction.",
      "replace it with the real value; a demo or test repository says its contacts are fictional in its configuration")
def fictional_contact(ctx: Context) -> Iterator[Finding]:
    """``oncall@example.com`` and ``+44 20 7946 0958`` are well formed, so they pass every syntax
    check, and they reach nobody: the domains ``example.com``/``.org``/``.net`` and the ``.test``,
    ``.invalid``, ``.example`` and ``.localhost`` names are reserved (RFC 2606, RFC 6761), and
    regulators keep number ranges for drama and documentation (UK 020 7946 0xxx and the other
    Ofcom ranges, North American 555-0100 to 555-0199, Australian and Irish drama ranges).  A
    starter policy or a copied example keeps them until someone replaces them.

    Fix: put the real address or number.  A repository whose contacts are fictional on purpose (a
    demo, test fixtures) says so in its configuration, with the reason, instead of each value::

        [[tool.runbook.per_path]]
        paths = ["examples/**"]
        disable = ["C115"]
        reason = "demo repository: every person, number and address is invented"
    """
    for policy in ctx.policies:
        for contact, field, value in _fields(policy):
            if field not in ("email", "phone") or values.placeholder(value, field) is not None:
                continue
            found = values.fictional(value, field)
            if found is not None:
                yield _report_text(ctx, policy.source, (*contact.at, field), found.text,
                                   f"contact '{contact.id}': {field} '{value.strip()}' reaches nobody ({found.why})")


@rule("C102", "invalid-phone", Severity.ERROR,
      "A phone number is not a valid international number.",
      "write it as + country code and number, e.g. +44 20 7946 0958")
def invalid_phone(ctx: Context) -> Iterator[Finding]:
    """A responder dialling from another country, or a paging service sending an SMS, needs the
    number in international form, and the number must exist in its country's numbering plan.
    Numbers are checked with libphonenumber's metadata (the ``phonenumbers`` package), which knows
    each country's lengths and ranges, rather than a pattern that accepts anything digit-shaped.

    Fix: write ``+``, the country code and the number (spaces allowed): ``+1 415 555 2671``.
    """
    for policy in ctx.policies:
        for contact in policy.contacts:
            if contact.phone and values.placeholder(contact.phone, "phone") is None:
                problem = values.phone_problem(contact.phone)
                if problem:
                    yield ctx.report(policy.source, (*contact.at, "phone"),
                                     f"contact '{contact.id}': phone '{contact.phone.strip()}' {problem}")


@rule("C103", "invalid-email", Severity.ERROR,
      "An e-mail address is not syntactically valid.",
      "write a full address such as oncall@yourteam.org")
def invalid_email(ctx: Context) -> Iterator[Finding]:
    """An address with a typo bounces during the incident, when nobody reads bounces.  The syntax
    is checked with ``email-validator`` (RFC 5322, internationalised addresses) without any
    network lookup, so linting stays offline and deterministic.

    Fix: correct the address; a team address (``payments-oncall@…``) outlives a person's.
    """
    for policy in ctx.policies:
        for contact in policy.contacts:
            if contact.email and values.placeholder(contact.email, "email") is None:
                problem = values.email_problem(contact.email)
                if problem:
                    yield ctx.report(policy.source, (*contact.at, "email"),
                                     f"contact '{contact.id}': e-mail '{contact.email.strip()}' is not valid: {problem}")


@rule("C104", "unreachable-contact", Severity.ERROR,
      "A contact has no phone, e-mail, chat or pager: nobody can reach it.",
      "add at least one channel: phone, email, chat or pager")
def unreachable_contact(ctx: Context) -> Iterator[Finding]:
    """A contact with only a name tells the responder who to call but not how.

    Fix: add the channel people really use to reach them during an incident, ideally a pager
    or phone for anyone who is paged.
    """
    for policy in ctx.policies:
        for contact in policy.contacts:
            if not any((getattr(contact, ch) or "").strip() for ch in CHANNELS):
                yield ctx.report(policy.source, (*contact.at, "id"),
                                 f"contact '{contact.id}' has no phone, e-mail, chat or pager")


@rule("C113", "pager-not-a-target", Severity.ERROR,
      "A pager value says where a key is kept instead of naming a paging target.",
      "write the service and the target, e.g. pagerduty:P1AB2CD or opsgenie:payments-primary")
def pager_not_a_target(ctx: Context) -> Iterator[Finding]:
    """``pager: Integration Key in .env.production`` tells a human where a secret lives; it does
    not tell anyone (or any tool) whom to page.  During an incident nobody has time to find the
    file, and the integration key is a credential that does not belong in a contact list anyway.

    Fix: name the paging service and the schedule, team or user to page
    (``pagerduty:P1AB2CD``, ``opsgenie:payments-primary``).
    """
    for policy in ctx.policies:
        for contact in policy.contacts:
            if contact.pager and values.placeholder(contact.pager, "pager") is None:
                problem = values.pager_problem(contact.pager)
                if problem:
                    yield ctx.report(policy.source, (*contact.at, "pager"),
                                     f"contact '{contact.id}': pager '{contact.pager.strip()}' {problem}")


@rule("C111", "unknown-timezone", Severity.WARNING,
      "A contact's time zone is not an IANA time zone name.",
      "use a name such as Europe/Berlin or America/New_York")
def unknown_timezone(ctx: Context) -> Iterator[Finding]:
    """The time zone tells the responder whether calling now wakes someone up; an abbreviation
    such as EST or a typo cannot be converted (and EST is not even daylight-saving aware).

    Fix: use the IANA name of the place, e.g. ``Europe/Lisbon``.
    """
    from zoneinfo import available_timezones

    known = available_timezones()
    for policy in ctx.policies:
        for contact in policy.contacts:
            if contact.timezone and contact.timezone.strip() not in known:
                yield ctx.report(policy.source, (*contact.at, "timezone"),
                                 f"contact '{contact.id}': time zone '{contact.timezone}' is not an IANA time zone")


@rule("C112", "shared-contact-channel", Severity.WARNING,
      "Two contacts share the same phone number or e-mail address.",
      "give each contact their own number or address, or make the shared one a team contact")
def shared_channel(ctx: Context) -> Iterator[Finding]:
    """Two people with the same number is almost always a copy-paste slip: paging the second one
    rings the first, and the backup that was supposed to exist does not.

    Fix: correct the copied value; if the number really is a shared rota phone, make it one
    ``type: team`` contact and reference that.
    """
    for policy in ctx.policies:
        seen: dict[tuple[str, str], Contact] = {}
        for contact in policy.contacts:
            for field in ("phone", "email"):
                value = getattr(contact, field)
                if not value or values.placeholder(value, field) is not None:
                    continue
                norm = values.normalised_phone(value) if field == "phone" else value.strip().lower()
                if norm is None:
                    continue
                first = seen.setdefault((field, norm), contact)
                if first is not contact:
                    yield ctx.report(policy.source, (*contact.at, field),
                                     f"contact '{contact.id}' has the same {field} as '{first.id}'")

"""Policy pages: severity matrix, contacts directory, roles, escalation path, templates.

Each page covers every policy on the site (usually one), so its address never depends on a
policy id and the nav in ``mkdocs.yml`` can name it.  Contacts get ``tel:`` and ``mailto:``
links only when the number or address is well-formed; placeholders stay plain text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from validator.docsite import context as ctx
from validator.docsite import flow, text
from validator.docsite.context import Site
from validator.durations import format_duration
from validator.model import Contact, Policy

_PHONE_SEP = re.compile(r"[\s().-]")
_PHONE_OK = re.compile(r"^\+?[0-9]{3,20}$")
_EMAIL_OK = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$")


def _dur(seconds: int | None) -> str:
    return format_duration(seconds) if seconds else "—"


def tel_href(phone: str) -> str | None:
    digits = _PHONE_SEP.sub("", phone)
    return f"tel:{digits}" if _PHONE_OK.match(digits) else None


def mailto_href(email: str) -> str | None:
    return f"mailto:{email.strip()}" if _EMAIL_OK.match(email.strip()) else None


def _head(title: str, policies: list[Policy]) -> list[str]:
    return [f"---\ntitle: {text.title(title)}\n---\n", f"# {text.plain(title)}", ""]


def _each(site: Site, title: str, body: Callable[[Policy], list[str]]) -> str:
    out = _head(title, site.policies)
    if not site.policies:
        out += ["No policy (`kind: policy`) was found next to the runbooks.", ""]
    for policy in site.policies:
        if len(site.policies) > 1:
            out += [f"## {text.plain(policy.title or policy.id)} {{ #{text.anchor('policy', policy.id)} }}", ""]
        out += body(policy)
    return "\n".join(out) + "\n"


def severities(site: Site) -> str:
    page = ctx.SEVERITIES

    def body(p: Policy) -> list[str]:
        rows = [
            '<div class="rb-stack rb-stack-severity" markdown="1">',
            "",
            "| Level | Meaning | Examples | Respond | Resolve | Updates | Escalation | Paged |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for s in p.severities:
            anchor = site.policy_anchor(p, "severity", s.id)
            level = f"**{text.plain(s.id)}**{{ #{anchor} .rb-badge .rb-rank-{min(s.rank, 4) + 1} }} {text.plain(s.name)}"
            meaning = text.plain(s.description)
            examples = "; ".join(text.plain(e) for e in s.examples) or "—"
            esc = ", ".join(
                x for x in (f"after {_dur(s.escalate_after)}" if s.escalate_after else "", text.plain(s.escalation)) if x
            )
            paged = site.parties(s.page, p, page)
            if s.notify:
                paged += f"; informed: {site.parties(s.notify, p, page)}"
            rows.append(
                f"| {level} | {meaning} | {examples} | {_dur(s.respond)} | {_dur(s.resolve)} | "
                f"{_dur(s.update_every)} | {esc or '—'} | {paged} |"
            )
        return [*rows, "", "</div>", ""]

    return _each(site, "Severity matrix", body)


def _contact(site: Site, p: Policy, c: Contact) -> list[str]:
    page = ctx.CONTACTS
    out = [f"### {text.plain(c.name)} {{ #{site.policy_anchor(p, 'contact', c.id)} }}", ""]
    kind = c.type + (f" · {text.plain(c.role)}" if c.role else "")
    out += [f"*{kind}* · id {text.code(c.id)}", ""]
    if c.phone:
        href = tel_href(c.phone)
        out.append(
            f"- Phone: [{text.plain(c.phone)}]({href})" if href else f"- Phone: {text.plain(c.phone)} (not a dialable number)"
        )
    if c.email:
        href = mailto_href(c.email)
        out.append(f"- E-mail: [{text.plain(c.email)}]({href})" if href else f"- E-mail: {text.plain(c.email)}")
    for label, value in (("Chat", c.chat), ("Pager", c.pager), ("Time zone", c.timezone), ("Hours", c.hours)):
        if value:
            out.append(f"- {label}: {text.code(value)}" if label in ("Chat", "Pager") else f"- {label}: {text.plain(value)}")
    if c.backup:
        out.append(f"- Backup: {site.party(c.backup, p, page)}")
    if c.notes:
        out.append(f"- Notes: {text.plain(c.notes)}")
    return [*out, ""]


def contacts(site: Site) -> str:
    def body(p: Policy) -> list[str]:
        out: list[str] = []
        for c in p.contacts:
            out += _contact(site, p, c)
        return out or ["No contacts are listed.", ""]

    return _each(site, "Contacts", body)


def roles(site: Site) -> str:
    page = ctx.ROLES

    def body(p: Policy) -> list[str]:
        out: list[str] = []
        for r in p.roles:
            out += [f"### {text.plain(r.name)} {{ #{site.policy_anchor(p, 'role', r.id)} }}", ""]
            if r.description:
                out += [text.prose(r.description), ""]
            who = [
                f"primary: {site.party(r.primary, p, page)}" if r.primary else "",
                f"secondary: {site.party(r.secondary, p, page)}" if r.secondary else "",
            ]
            if any(who):
                out += [" · ".join(w for w in who if w), ""]
            out += [*(f"- {text.plain(x)}" for x in r.responsibilities), ""]
        return out or ["No roles are defined.", ""]

    return _each(site, "Roles", body)


def escalation(site: Site) -> str:
    page = ctx.ESCALATION

    def body(p: Policy) -> list[str]:
        if not p.escalation:
            return ["No escalation path is defined.", ""]
        names = {**{r.id: r.name for r in p.roles}, **{c.id: c.name for c in p.contacts}}
        out = [
            "```mermaid",
            flow.escalation_flow(p.escalation, names),
            "```",
            "",
            "| After | Level | Notified | What happens |",
            "|---|---|---|---|",
        ]
        for i, lv in enumerate(p.escalation, 1):
            out.append(
                f"| {format_duration(lv.after)} | {text.plain(lv.name or f'Level {i}')} | "
                f"{site.parties(lv.notify, p, page)} | {text.plain(lv.description) or '—'} |"
            )
        return [*out, ""]

    return _each(site, "Escalation path", body)


def templates(site: Site) -> str:
    def body(p: Policy) -> list[str]:
        out: list[str] = []
        for t in p.templates:
            out += [f"### {text.plain(t.name or t.id)} {{ #{site.policy_anchor(p, 'template', t.id)} }}", ""]
            facts = [f"{k}: {text.plain(v)}" for k, v in (("channel", t.channel), ("audience", t.audience)) if v]
            if t.when:
                facts.append(f"when: {text.plain(t.when)}")
            out += [" · ".join([f"id {text.code(t.id)}", *facts]), ""]
            if t.subject:
                out += [f"Subject: {text.code(t.subject)}", ""]
            out += [text.fence(t.body, "text"), ""]
        return out or ["No templates are defined.", ""]

    return _each(site, "Communication templates", body)


PAGES: dict[str, Callable[[Site], str]] = {
    ctx.SEVERITIES: severities,
    ctx.CONTACTS: contacts,
    ctx.ROLES: roles,
    ctx.ESCALATION: escalation,
    ctx.TEMPLATES: templates,
}

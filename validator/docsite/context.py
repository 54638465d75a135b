"""What every page renderer needs to know about the site: where pages live, how to link to a
contact, role, template or runbook, and what day it is (for overdue reviews).

Page paths are fixed so that ``mkdocs.yml`` can name them in its nav and alerts can link to
them; runbook pages live at ``runbooks/<id>.md``, apart from the index pages.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from validator.catalog import RuleInfo
from validator.docsite import text
from validator.model import Policy, Runbook

HOME = "index.md"
SERVICES = "index/services.md"
SEVERITY = "index/severity.md"
TAGS = "index/tags.md"
ALERTS = "index/alerts.md"
ATTENTION = "attention.md"
RULES = "rules/index.md"  # rules/ with or without directory URLs: findings link there (rule_docs.RULES_PAGE)
SEVERITIES = "policy/severities.md"
CONTACTS = "policy/contacts.md"
ROLES = "policy/roles.md"
ESCALATION = "policy/escalation.md"
TEMPLATES = "policy/templates.md"


def runbook_page(rb_id: str) -> str:
    return f"runbooks/{rb_id}.md"


@lru_cache(maxsize=4096)
def rel(target: str, page: str) -> str:
    """A link from ``page`` to ``target``, both paths inside the docs folder."""
    return os.path.relpath(target, os.path.dirname(page) or ".").replace(os.sep, "/")


@dataclass
class Site:
    """The loaded repository, seen from the pages: lookups and links."""

    root: Path
    today: date
    edit_url: str
    policies: list[Policy]
    runbooks: list[Runbook]
    rules: dict[str, RuleInfo] = field(default_factory=dict)
    site_url: str = ""
    directory_urls: bool = False
    known_runbooks: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.known_runbooks = {rb.id for rb in self.runbooks}

    def policy_anchor(self, policy: Policy, kind: str, item_id: str) -> str:
        """``contact-ana`` with one policy; ``<policy>-contact-ana`` when several share the site."""
        if len(self.policies) > 1:
            return text.anchor(policy.id, kind, item_id)
        return text.anchor(kind, item_id)

    def party(self, pid: str, policy: Policy | None, page: str) -> str:
        """A link to the contact or role ``pid``, or its id as code when the policy lacks it."""
        if policy is not None:
            contact = policy.contact(pid)
            if contact is not None:
                return f"[{text.plain(contact.name)}]({rel(CONTACTS, page)}#{self.policy_anchor(policy, 'contact', pid)})"
            role = policy.role(pid)
            if role is not None:
                return f"[{text.plain(role.name)}]({rel(ROLES, page)}#{self.policy_anchor(policy, 'role', pid)})"
        return text.code(pid)

    def parties(self, pids: list[str], policy: Policy | None, page: str) -> str:
        return ", ".join(self.party(p, policy, page) for p in pids) or "—"

    def template(self, tid: str, policy: Policy | None, page: str) -> str:
        tpl = policy.template(tid) if policy else None
        if tpl is None or policy is None:
            return text.code(tid)
        return f"[{text.plain(tpl.name or tpl.id)}]({rel(TEMPLATES, page)}#{self.policy_anchor(policy, 'template', tid)})"

    def runbook_link(self, rb: Runbook, page: str) -> str:
        return f"[{text.plain(rb.title)}]({rel(runbook_page(rb.id), page)})"

    def runbook_ref(self, rb_id: str, page: str) -> str:
        if rb_id in self.known_runbooks:
            return f"[{text.plain(rb_id)}]({rel(runbook_page(rb_id), page)})"
        return text.code(rb_id)

    def source_path(self, file: str) -> str:
        """The runbook's path from the repository root, for the edit link and display."""
        try:
            return Path(file).resolve().relative_to(self.root).as_posix()
        except ValueError:
            return Path(file).name

    def page_url(self, page: str, fragment: str = "") -> str | None:
        """The absolute address of a page (for alerts and chat), when the site's own URL is configured."""
        if not self.site_url:
            return None
        html_path = page[: -len(".md")] + ("/" if self.directory_urls else ".html")
        return text.safe_url(self.site_url.rstrip("/") + "/" + html_path + (f"#{fragment}" if fragment else ""))

    def edit_link(self, file: str) -> str | None:
        return text.safe_url(self.edit_url + self.source_path(file)) if self.edit_url else None


def review_due(rb: Runbook) -> date | None:
    if rb.review is None:
        return None
    try:
        last = date.fromisoformat(rb.review.last_reviewed)
    except ValueError:
        return None
    return last + timedelta(seconds=rb.review.every)


def overdue_days(rb: Runbook, today: date) -> int | None:
    """Days past the review due date, or None when not overdue (or no review is recorded)."""
    due = review_due(rb)
    if due is None or due >= today:
        return None
    return (today - due).days

"""The generated pages and a site's own ``nav:``: never the reason ``mkdocs build --strict`` fails.

Without a ``nav:``, MkDocs lists every page itself.  With one, a page it does not name is
reported as "not included in the nav" (a warning under ``validation: omitted_files: warn``,
which ``--strict`` turns into a failure), so each release that adds an index page would break
the sites that spell out their nav.  The plugin therefore adds the generated index and policy
pages the nav does not name yet under one section (``nav_section``, default "Runbooks"), or,
with ``add_to_nav: false``, marks them as deliberately left out of the nav, which MkDocs does
not warn about.  Runbook pages are never in the nav: the index pages link to them.
"""

from __future__ import annotations

import posixpath
from typing import Any

from validator.docsite import context as ctx
from validator.docsite import policy_pages

TITLES: dict[str, str] = {
    ctx.HOME: "Home",
    ctx.SERVICES: "By service",
    ctx.SEVERITY: "By severity",
    ctx.TAGS: "Tags",
    ctx.ALERTS: "By alert",
    ctx.SEVERITIES: "Severity matrix",
    ctx.CONTACTS: "Contacts",
    ctx.ROLES: "Roles",
    ctx.ESCALATION: "Escalation",
    ctx.TEMPLATES: "Templates",
    ctx.ATTENTION: "Needs attention",
    ctx.RULES: "Rule reference",
}


def named(nav: Any) -> set[str]:
    """Every page path a ``nav:`` configuration names, however deeply nested (links are left out)."""
    found: set[str] = set()
    items = nav if isinstance(nav, list) else [nav]
    for item in items:
        if isinstance(item, str):
            if "://" not in item:
                found.add(posixpath.normpath(item.lstrip("/")))
        elif isinstance(item, dict):
            for value in item.values():
                found |= named(value)
        elif isinstance(item, list):
            found |= named(item)
    return found


def missing(nav: Any, pages: list[str]) -> list[str]:
    """The pages of ``pages`` an explicit nav does not name; none when MkDocs builds the nav itself."""
    if nav is None:
        return []
    listed = named(nav)
    return [p for p in pages if p not in listed]


def add(nav: list[Any], pages: list[str], section: str) -> list[Any]:
    """``nav`` with ``pages`` appended under ``section``, the policy pages in a sub-section of their own."""
    if not pages:
        return nav
    policy = [p for p in pages if p in policy_pages.PAGES]
    entries: list[Any] = [{TITLES.get(p, p): p} for p in pages if p not in policy_pages.PAGES]
    if policy:
        entries.append({"Policy": [{TITLES.get(p, p): p} for p in policy]})
    return [*nav, {section: entries}]

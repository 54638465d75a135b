"""Assemble the generated part of the site: one page per runbook, the policy pages, the index
pages, and the bundled static files (Mermaid, the search shim for ``file://``, a stylesheet).
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from validator import catalog
from validator.catalog import RuleInfo
from validator.docsite import context as ctx
from validator.docsite import index_pages, policy_pages, runbook_page
from validator.docsite.context import Site
from validator.findings import Finding
from validator.model import Runbook
from validator.pipeline import Result

log = logging.getLogger("mkdocs.plugins.runbooks")
_HERE = Path(__file__).parent / "assets"
MERMAID = "assets/runbooks/mermaid.min.js"
SHIM = "assets/runbooks/iframe-worker-shim.js"
CSS = "assets/runbooks/runbooks.css"
ASSETS: dict[str, Path] = {
    MERMAID: _HERE / "vendor" / "mermaid.min.js",
    "assets/runbooks/mermaid.LICENSE.txt": _HERE / "vendor" / "mermaid.LICENSE",
    SHIM: _HERE / "vendor" / "iframe-worker-shim.js",
    "assets/runbooks/iframe-worker.LICENSE.txt": _HERE / "vendor" / "iframe-worker.LICENSE",
    CSS: _HERE / "runbooks.css",
}


def rule_infos() -> dict[str, RuleInfo]:
    """Every registered rule; the core rules alone when the lint registry cannot be imported."""
    try:
        from validator.rules import registry

        return registry.all_rules()
    except Exception as err:  # the lint rules belong to another layer; their bugs must not stop the site
        log.warning(
            "runbooks: the lint rule registry failed (%s: %s); the rule reference lists core rules only", type(err).__name__, err
        )
        return dict(catalog.CORE_RULES)


def _unique(runbooks: list[Runbook]) -> list[Runbook]:
    """The first runbook of each id (a duplicate id is already a finding)."""
    seen: dict[str, Runbook] = {}
    for rb in runbooks:
        seen.setdefault(rb.id, rb)
    return list(seen.values())


def make_site(result: Result, root: Path, today: date, edit_url: str, site_url: str = "", directory_urls: bool = False) -> Site:
    """The loaded repository as the page renderers see it."""
    repo = result.repository
    return Site(
        root=root,
        today=today,
        edit_url=edit_url,
        policies=repo.policies,
        runbooks=_unique(repo.runbooks),
        rules=rule_infos(),
        site_url=site_url,
        directory_urls=directory_urls,
    )


def build_pages(site: Site, findings: list[Finding]) -> dict[str, tuple[str, bool]]:
    """Every generated page: its path in the docs folder, its markdown, and whether it is in the nav.

    "Needs attention" comes last: MkDocs renders pages in this order, and the plugin fills in
    that page's lint findings only when it is rendered.
    """
    pages: dict[str, tuple[str, bool]] = {
        ctx.HOME: (index_pages.home(site), True),  # used only when docs/ has no index.md
        ctx.SERVICES: (index_pages.services(site), True),
        ctx.SEVERITY: (index_pages.severity(site), True),
        ctx.TAGS: (index_pages.tags(site), True),
        ctx.ALERTS: (index_pages.alerts(site), True),
        ctx.RULES: (index_pages.rules(site), True),
    }
    for path, render in policy_pages.PAGES.items():
        pages[path] = (render(site), True)
    for rb in site.runbooks:
        pages[ctx.runbook_page(rb.id)] = (runbook_page.render(rb, site), False)
    pages[ctx.ATTENTION] = (index_pages.attention(site, findings), True)
    return pages

"""The fixture site built by a real ``mkdocs build --strict``: pages, structure, links, offline."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from conftest import Built
from docsite_html import parse

from validator import catalog
from validator.rules import registry

RUNBOOK = "runbooks/payments-db-failover.html"
STEPS = [
    "check-primary",
    "primary-recoverable",
    "restart-primary",
    "promote-replica",
    "repoint-api",
    "notify-team",
    "wait-for-traffic",
    "payments-flow",
    "checklist",
    "restore-primary",
]


def test_every_page_is_generated(site: Built) -> None:
    for page in (
        "index.html",
        "index/services.html",
        "index/severity.html",
        "index/tags.html",
        "attention.html",
        "rules/index.html",
        "policy/severities.html",
        "policy/contacts.html",
        "policy/roles.html",
        "policy/escalation.html",
        "policy/templates.html",
        RUNBOOK,
        "runbooks/ledger-stuck-batches.html",
        "runbooks/ledger-reconcile.html",
    ):
        assert (site.site / page).is_file(), page


def test_runbook_page_facts_and_run_command(site: Built) -> None:
    page = parse(site.html(RUNBOOK))
    text = page.article_text
    assert "Payments database failover" in text
    assert "respond within 5m, resolve within 4h" in text
    badge = next(e for e in page.links() if "rb-badge" in e.attrs.get("class", ""))
    assert badge.attrs["href"] == "../policy/severities.html#severity-p1"
    assert badge.text.strip() == "P1 · Critical"
    assert "runbook run payments-db-failover --input cluster=CLUSTER" in text
    assert "../policy/roles.html#role-on-call" in page.hrefs()
    edit = [e for e in page.links() if e.text == "Edit this runbook"]
    assert edit[0].attrs["href"] == "https://git.example.org/ops/runbooks/-/edit/main/runbooks/payments/db-failover.yaml"
    assert "Review overdue" not in text


def test_every_step_has_an_anchor_and_a_start_at_command(site: Built) -> None:
    page = parse(site.html(RUNBOOK))
    ids = page.ids()
    for step in STEPS:
        assert f"step-{step}" in ids
        assert f"runbook run payments-db-failover --start-at {step}" in page.article_text
        assert f"#step-{step}" in page.hrefs()
        assert f"https://runbooks.example.org/runbooks/payments-db-failover.html#step-{step}" in page.article_text
    headings = [e.attrs["id"] for e in page.article() if e.tag == "h3"]
    assert headings == [f"step-{s}" for s in STEPS]


def test_destructive_steps_carry_a_warning(site: Built) -> None:
    html = site.html(RUNBOOK)
    warnings = re.findall(r'<div class="admonition warning">\s*<p class="admonition-title">([^<]+)</p>', html)
    assert warnings == ["Confirm first", "Destructive step"]  # restart-primary asks first; promote-replica
    before, _after = html.split('id="step-promote-replica"')[1].split('id="step-repoint-api"')
    assert "Destructive step" in before
    assert "Confirm first" in site.html("runbooks/ledger-stuck-batches.html")


def test_flow_diagram_has_goto_and_rollback_edges(site: Built) -> None:
    html = site.html(RUNBOOK)
    diagram = re.search(r'<pre class="mermaid"><code>(.*?)</code></pre>', html, re.S)
    assert diagram is not None
    source = diagram.group(1)
    assert 's0 -. "on failure, max 3" .-&gt; s5' in source  # check-primary goes to notify-team
    assert 's3 -. "on failure: roll back" .-&gt; s9' in source  # promote-replica rolls back
    assert 's1 -- "yes" --&gt; s2' in source and 's1 -- "no" --&gt; s3' in source  # the decision\'s two answers
    assert 'subgraph back["Rollback"]' in source


def test_commands_are_copyable_code_blocks(site: Built) -> None:
    html = site.html(RUNBOOK)
    section = html.split('id="step-promote-replica"')[1].split('id="step-repoint-api"')[0]
    code = re.sub(r"<[^>]+>", "", re.search(r"<pre>(.*?)</pre>", section, re.S).group(1))  # type: ignore[union-attr]
    assert code.strip() == 'pg_ctl promote -D /var/lib/postgresql/data \\\n  --host "${replica}"'


def test_overdue_review_banner_and_needs_attention(site: Built) -> None:
    stale = parse(site.html("runbooks/ledger-stuck-batches.html"))
    assert "Review overdue" in stale.article_text
    assert "days overdue" in stale.article_text
    attention = parse(site.html("attention.html"))
    assert "runbooks/ledger-stuck-batches.html" in " ".join(attention.hrefs())
    assert "../runbooks/payments-db-failover.html" not in attention.hrefs()
    assert "runbooks/payments-db-failover.html" not in attention.article_text.split("No review recorded")[0]


def test_contacts_directory_links(site: Built) -> None:
    page = parse(site.html("policy/contacts.html"))
    hrefs = page.hrefs()
    assert "tel:+442079460958" in hrefs
    assert "mailto:ana.silva@example.com" in hrefs
    assert "mailto:ops@example.com" in hrefs
    assert not [h for h in hrefs if h.startswith("tel:") and "X" in h]  # placeholder numbers are not dialable
    assert "+1-XXX-XXX-XXXX" in page.article_text
    assert {"contact-ana-silva", "contact-ops-team"} <= page.ids()


def test_severity_matrix_is_one_table(site: Built) -> None:
    page = parse(site.html("policy/severities.html"))
    headers = [e for e in page.article() if e.tag == "th"]
    assert len(headers) == 8
    assert {"severity-p1", "severity-p2", "severity-p3"} <= page.ids()
    assert "Payment API returns 5xx for everyone" in page.article_text


def test_index_pages_list_runbooks(site: Built) -> None:
    services = parse(site.html("index/services.html"))
    assert {"service-payments", "service-ledger"} <= services.ids()
    assert "../runbooks/payments-db-failover.html" in services.hrefs()
    severity = parse(site.html("index/severity.html"))
    assert {"severity-p1", "severity-p2", "severity-p3"} <= severity.ids()
    tags = parse(site.html("index/tags.html"))
    assert "../runbooks/payments-db-failover.html" in tags.hrefs()


def test_alerts_index_leads_to_the_runbook_section_naming_the_alert(site: Built) -> None:
    index = parse(site.html("index/alerts.html"))
    assert "../runbooks/payments-db-failover.html#alert-postgresreplicationstopped" in index.hrefs()
    assert "severity=critical" in site.html("index/alerts.html")
    runbook = parse(site.html("runbooks/payments-db-failover.html"))
    assert {"alerts", "alert-postgresprimarydown", "alert-postgresreplicationstopped"} <= runbook.ids()
    search = json.loads((site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    hits = {doc["location"] for doc in search["docs"] if "PostgresReplicationStopped" in doc["text"] + doc["title"]}
    assert any(loc.startswith("runbooks/payments-db-failover.html") for loc in hits), hits


def test_real_runbook_text_keeps_images_details_tables_and_nesting(site: Built) -> None:
    html = site.html("runbooks/ledger-stuck-batches.html")
    page = parse(html)
    images = [e.attrs for e in page.elements if e.tag == "img" and e.in_article]
    assert images == [{"alt": "Batch states: pending, settling, settled",
                       "src": "../assets/runbook-images/runbooks/ledger/img/batch-flow.png"}]
    copied = site.site / "assets/runbook-images/runbooks/ledger/img/batch-flow.png"
    assert copied.read_bytes().startswith(b"\x89PNG")
    assert "https://cdn.example.net/settlement.png" in page.hrefs()  # a remote image is a link, never loaded
    assert "vendor settlement diagram (image)" in html
    assert "<details>\n<summary>Why batches get stuck</summary>\n<p>A batch waits for <strong>every</strong>" in html
    assert '<td colspan="2">anything longer: this runbook</td>' in html
    assert "<li>Check the job queue<ul>\n<li>Look for a job older than an hour<ul>\n<li>Note its id</li>" in html


def test_rule_reference_lists_every_registered_rule(site: Built) -> None:
    page = parse(site.html("rules/index.html"))
    for rule_id in registry.all_rules():
        assert rule_id.lower() in page.ids(), rule_id


def test_runbook_pages_stay_out_of_the_sidebar(site: Built) -> None:
    page = parse(site.html("index/services.html"))
    sidebar = [e.attrs["href"] for e in page.links(article_only=False) if not e.in_article]
    assert "attention.html" in " ".join(sidebar)
    assert [h for h in sidebar if "runbooks/" in h] == []


def _resolve(site: Path, page: str, href: str) -> tuple[Path, str]:
    parts = urlsplit(href)
    target = (site / page).parent / unquote(parts.path) if parts.path else site / page
    return target.resolve(), parts.fragment


def test_internal_links_and_anchors_resolve(site: Built) -> None:
    broken = []
    for html_file in site.site.rglob("*.html"):
        page = str(html_file.relative_to(site.site))
        for href in parse(html_file.read_text(encoding="utf-8")).hrefs(article_only=True):
            if href.startswith(("http://", "https://", "mailto:", "tel:")):
                continue
            target, fragment = _resolve(site.site, page, href)
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file() or (
                fragment and fragment not in parse(target.read_text(encoding="utf-8")).ids() and not fragment.startswith("tag:")
            ):
                broken.append((page, href))
    assert broken == []


def test_no_request_leaves_the_site(site: Built) -> None:
    mermaid = site.site / "assets/runbooks/mermaid.min.js"
    assert mermaid.stat().st_size > 1_000_000
    assert (site.site / "assets/runbooks/mermaid.LICENSE.txt").is_file()
    for html_file in site.site.rglob("*.html"):
        html = html_file.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link|img|iframe|source|video|audio)\b[^>]*>", html):
            if 'rel="canonical"' in tag:
                continue  # names the page's address; the browser fetches nothing
            for url in re.findall(r'\s(?:src|href)="([^"]+)"', tag):
                assert not re.match(r"^(?:https?:)?//", url), (html_file, url)
        assert "unpkg.com" not in html and "fonts.googleapis" not in html
    page = site.html(RUNBOOK)
    assert '<script src="../assets/runbooks/mermaid.min.js"></script>' in page
    assert '<script src="../assets/runbooks/iframe-worker-shim.js"></script>' in page


def test_search_index_holds_runbook_pages(site: Built) -> None:
    index = json.loads((site.site / "search/search_index.json").read_text(encoding="utf-8"))
    locations = {d["location"] for d in index["docs"]}
    assert "runbooks/payments-db-failover.html" in locations
    assert "runbooks/payments-db-failover.html#step-promote-replica" in locations


def test_needs_attention_lists_lint_findings(site: Built) -> None:
    page = parse(site.html("attention.html"))
    rules = parse(site.html("rules/index.html")).ids()
    linked = [h.split("#")[1] for h in page.hrefs() if h.startswith("rules/index.html#")]
    lint_rules = [r for r in linked if r.upper() not in catalog.CORE_RULES]
    assert lint_rules, "no finding from the lint rules reached the page"
    assert set(linked) <= rules
    assert "scripts/compare-totals.sh" in page.article_text  # the reconcile runbook names a script that does not exist


def test_post_incident_lists_the_policy_items_first_as_the_schema_says(site: Built) -> None:
    text = parse(site.html(RUNBOOK)).article_text
    after = text[text.index("After the incident"):]
    order = [after.index(t) for t in ("File the incident report", "Write the timeline", "Rebuild the old primary")]
    assert order == sorted(order)
    schema = json.loads((Path(__file__).parents[2] / "schema" / "runbook.schema.json").read_text(encoding="utf-8"))
    described = schema["$defs"]["runbook"]["properties"]["post_incident"]["description"]
    assert "after the items of the policy" in described


def test_a_targeted_step_says_where_it_runs_and_how_it_rolls_out(site: Built) -> None:
    page = parse(site.html("runbooks/ledger-stuck-batches.html"))
    text = " ".join(page.article_text.split())
    assert ("risk: mutating · on hosts settlement in batches of 1, 50%, stopping when more than 0% of a batch fails"
            in text)
    assert "Undo with (on the hosts where the step succeeded):" in text


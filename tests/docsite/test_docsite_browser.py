"""The built site in Debian's headless Chromium, driven by Playwright: search, open a runbook,
copy button, contact links, a screenshot, ``file://``, and the XSS fixture running nothing.

Every request is routed through a check that fails the test if it leaves the machine.
"""

from __future__ import annotations

import functools
import html
import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Built
from playwright.sync_api import Error as PlaywrightError

from validator.docsite.flowchart import runbook_flow
from validator.repository import load_repository

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)"
    ),
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def serve() -> Iterator[Any]:
    """Start a static server on 127.0.0.1 for a built site; returns its base URL."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(root: Path) -> str:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


class Guard:
    """Aborts and records every request that is not to the local server or a local file."""

    def __init__(self, allowed: tuple[str, ...]) -> None:
        self.allowed = allowed
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []

    def route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(self.allowed) or url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def attach(self, page: Any) -> Any:
        page.route("**/*", self.route)
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        return page


def _search(page: Any, query: str, result: str) -> Any:
    """Type into Material's search box until the index (loaded by a worker) answers with ``result``."""
    box = page.locator("input.md-search__input")
    for _ in range(30):  # a generous hang guard: on a loaded CI machine the index can take a minute or more
        box.fill("")
        box.press_sequentially(query, delay=30)
        link = page.locator(result).first
        try:
            link.wait_for(timeout=5000)
            return link
        except Exception:  # the worker had not finished loading the index; type again
            continue
    raise AssertionError(f"search for {query!r} never showed {result}")


def _wait_for_diagrams(page: Any) -> None:
    """Material swaps each <pre class="mermaid"> for a <div class="mermaid"> holding the SVG (in a closed shadow root)."""
    page.wait_for_function(
        "document.querySelectorAll('pre.mermaid').length === 0 && document.querySelectorAll('div.mermaid').length > 0",
        timeout=60000,
    )
    heights = page.evaluate("Array.from(document.querySelectorAll('div.mermaid')).map(e => e.getBoundingClientRect().height)")
    assert heights and min(heights) > 50


def test_search_open_runbook_copy_button_contacts_and_screenshot(site: Built, serve: Any, browser: Any) -> None:
    base = serve(site.site)
    guard = Guard((base,))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = guard.attach(context.new_page())
    page.goto(base)
    page.click("#home-search")  # the big search box on the home page opens Material's search
    result = _search(page, "failover", ".md-search-result__link[href*='payments-db-failover']")
    result.click()
    page.wait_for_url("**/runbooks/payments-db-failover.html*")
    assert "Payments database failover" in page.locator("h1").first.inner_text()
    _wait_for_diagrams(page)  # Mermaid ran from the bundled copy
    blocks = page.locator("article .highlight pre > code").count()
    assert blocks == 8  # run-it, six commands (one with its undo) and the rollback command
    assert page.locator("button.md-code__button[data-clipboard-target]").count() == blocks
    step = page.locator("#step-promote-replica")
    assert step.count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "runbook-page.png"), full_page=False)
    page.locator("article a[href*='contacts.html#contact-ana-silva']").first.click()
    page.wait_for_url("**/policy/contacts.html#contact-ana-silva")
    assert page.locator("a[href='tel:+442079460958']").inner_text() == "+44 20 7946 0958"
    assert page.locator("a[href='mailto:ana.silva@example.com']").count() == 1
    context.close()
    assert guard.outside == []
    assert guard.dialogs == []
    assert guard.errors == []


def test_page_works_from_file_url(site: Built, browser: Any) -> None:
    guard = Guard(("file://",))
    context = browser.new_context()
    page = guard.attach(context.new_page())
    page.goto((site.site / "runbooks/payments-db-failover.html").as_uri())
    _wait_for_diagrams(page)
    assert page.locator("button.md-code__button[data-clipboard-target]").count() == 8
    page.locator("article a[href*='contacts.html#contact-ana-silva']").first.click()
    page.wait_for_url("**/policy/contacts.html#contact-ana-silva")
    assert page.locator("a[href='tel:+442079460958']").count() == 1
    page.locator("input.md-search__input").click()  # search works without a server (offline plugin, local shim)
    _search(page, "reconcile", ".md-search-result__link[href$='runbooks/ledger-reconcile.html']").click()
    page.wait_for_url("**/runbooks/ledger-reconcile.html")
    assert page.url.startswith("file://")
    context.close()
    assert guard.outside == []


def test_xss_fixture_runs_nothing(xss_site: Built, serve: Any, browser: Any) -> None:
    base = serve(xss_site.site)
    guard = Guard((base,))
    context = browser.new_context()
    page = guard.attach(context.new_page())
    page.set_content("<script>window.__pwned = 'control'; alert('control')</script>")  # the listeners do see a payload
    assert page.evaluate("window.__pwned") == "control" and guard.dialogs == ["control"]
    guard.dialogs.clear()
    page.goto(base + "runbooks/xss-runbook.html")
    assert "XSS </title><script>window.__pwned='title'</script>" in page.locator("article h1").inner_text()
    for path in (
        "runbooks/xss-runbook.html",
        "policy/contacts.html",
        "policy/roles.html",
        "policy/severities.html",
        "policy/escalation.html",
        "policy/templates.html",
        "index/services.html",
        "index/tags.html",
        "attention.html",
    ):
        page.goto(base + path)
        page.wait_for_load_state("load")
        page.mouse.move(200, 300)
        for selector in ("article a", "article b", "article p"):
            for el in page.locator(selector).all()[:20]:
                try:  # hovering is a bonus trigger for on* handlers; an element that moved away is no failure
                    if el.is_visible():
                        el.hover(timeout=2000, force=True)
                except PlaywrightError:
                    continue
        assert page.evaluate("window.__pwned === undefined"), path
    page.goto(base + "runbooks/xss-runbook.html")
    _wait_for_diagrams(page)
    page.locator("input.md-search__input").click()
    _search(page, "xss", ".md-search-result__link")
    assert page.evaluate("window.__pwned === undefined")
    context.close()
    assert guard.dialogs == []
    assert guard.outside == []
    assert guard.errors == []


def test_author_written_mermaid_makes_no_outside_request(xss_site: Built, serve: Any, browser: Any) -> None:
    """A diagram in a manual step asks for images from outside.host.test (an image shape, an
    ``<img>`` label). The page shows its source as text and requests nothing outside; the same
    source drawn by the site's own Mermaid is the control that does request them."""
    base = serve(xss_site.site)
    guard = Guard((base,))
    context = browser.new_context()
    page = guard.attach(context.new_page())
    page.goto(base + "runbooks/mermaid-manual.html")
    _wait_for_diagrams(page)  # the generated flow diagram is drawn ...
    source = page.locator("article pre code").filter(has_text="img-shape.png")
    assert source.count() == 1  # ... and the author's diagram is shown as its source
    page.wait_for_timeout(2000)  # time for any late request to show up
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert guard.outside == []
    assert guard.errors == []
    text = source.inner_text()
    page.evaluate(
        """async (src) => { const el = document.createElement('pre'); el.textContent = src; document.body.appendChild(el);
                             try { await window.mermaid.run({nodes: [el]}); } catch (e) { /* a broken image rejects */ } }""",
        text,
    )
    page.wait_for_timeout(2000)
    context.close()
    assert "https://outside.host.test/img-shape.png" in guard.outside  # the control: drawn, it would have fetched


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)], ids=["laptop", "phone"])
def test_wide_tables_are_readable_on_a_laptop_and_a_phone(site: Built, serve: Any, browser: Any, width: int,
                                                         height: int) -> None:
    base = serve(site.site)
    guard = Guard((base,))
    context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=width < 500)
    page = guard.attach(context.new_page())
    for path, table, last in (("policy/severities.html", ".rb-stack-severity", "Paged"),
                              ("runbooks/payments-db-failover.html", ".rb-stack-inputs", "Description")):
        page.goto(base + path)
        cells = page.evaluate(f"""() => Array.from(document.querySelectorAll('{table} td')).map(td => {{
            const r = td.getBoundingClientRect();
            return [r.left, r.right, getComputedStyle(td, '::before').content, td.innerText];
        }})""")
        assert cells, path
        # the content column, and the scroll box Material wraps each table in: nothing may be clipped by either
        edge = page.evaluate("document.querySelector('article').getBoundingClientRect().right")
        boxes = f"{table} .md-typeset__scrollwrap, {table} .md-typeset__table"
        hidden = page.evaluate(f"Array.from(document.querySelectorAll('{boxes}')).map(b => b.scrollWidth - b.clientWidth)")
        assert all(extra <= 1 for extra in hidden), (path, width, hidden)
        for left, right, _label, words in cells:
            assert left >= 0 and right <= min(width, edge) + 1, (path, width, words, left, right, edge)
        if width < 500:  # one card per row: every cell says which column it is
            labels = [label.strip('"') for *_, label, _ in cells]
            assert last in labels and "none" not in labels, labels
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(base + "policy/severities.html")
    page.screenshot(path=str(ARTIFACTS / f"severities-{width}.png"), full_page=False)
    page.goto(base + "runbooks/ledger-stuck-batches.html")
    loaded = page.evaluate("Array.from(document.querySelectorAll('article img')).map(i => i.complete && i.naturalWidth)")
    assert loaded == [120]  # the repository image is served by the site itself
    assert guard.outside == [] and guard.dialogs == []
    context.close()


def test_the_flow_diagram_draws_the_branches_at_a_readable_size(site: Built, serve: Any, browser: Any) -> None:
    """The decision's two answers, the dashed failure edge into the rollback and the steps are
    drawn by the bundled Mermaid; the diagram keeps its own size and scrolls sideways rather than
    shrinking its labels to the column, and so does the 66-step fixture."""
    base = serve(site.site)
    guard = Guard((base,))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = guard.attach(context.new_page())
    page.goto(base + "runbooks/payments-db-failover.html")
    _wait_for_diagrams(page)
    flow = page.locator("div.mermaid").first  # the step flow comes before the escalation diagram
    width, shown = flow.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert width > shown  # drawn wider than the column: scrolled, not shrunk
    source = re.search(r'<pre class="mermaid"><code>(%%\{init.*?flowchart TD.*?)</code></pre>',
                       site.html("runbooks/payments-db-failover.html"), re.S)
    assert source is not None
    drawn = _draw(page, html.unescape(source[1]))
    assert drawn["decisions"] == 1  # "Can the primary be restarted?" is a diamond
    assert {"yes", "no", "on failure: roll back", "on failure, max 3"} <= set(drawn["edges"])
    assert "2. Can the primary be restarted?" in drawn["nodes"]
    assert abs(drawn["width"] - drawn["natural"]) < 1  # not scaled down
    repo = load_repository([Path(__file__).parent / "fixtures" / "long"])
    long = _draw(page, runbook_flow(repo.runbooks[0]))
    assert long["decisions"] == 4
    assert "⚠ 29. Promote the target region to primary for the buckets" in long["nodes"]
    assert long["natural"] < 2 * 1280  # 66 steps: at most one sideways scroll on a laptop
    assert {"evacuate ⚠ severity SEV1", "no ⚠ severity SEV1"} <= set(long["edges"])
    context.close()
    assert guard.outside == [] and guard.errors == []


def _draw(page: Any, source: str) -> dict[str, Any]:
    """Render ``source`` with the page's own Mermaid into a visible element and read what it drew."""
    result: dict[str, Any] = page.evaluate(
        r"""async (src) => {
             const host = document.createElement('div'); document.body.appendChild(host);
             const {svg} = await window.mermaid.render('check' + Math.floor(Math.random() * 1e9), src);
             host.innerHTML = svg;
             const el = host.querySelector('svg');
             const label = n => n.textContent.trim();
             const diamonds = Array.from(el.querySelectorAll('g.node polygon')).filter(p => p.points.numberOfItems === 4);
             return {decisions: diamonds.length,
                     edges: Array.from(el.querySelectorAll('.edgeLabel')).map(label).filter(t => t),
                     nodes: Array.from(el.querySelectorAll('g.node foreignObject > div'))
                                 .map(n => n.innerText.replace(/\s+/g, ' ').trim()),
                     width: el.getBoundingClientRect().width,
                     natural: el.viewBox.baseVal.width};
           }""",
        source,
    )
    return result

"""The hostile fixture built for real: nothing an author wrote becomes markup, and the plugin
refuses configurations that would load remote fonts or let snippets read any file."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import FIXTURES, Built, mkdocs_build
from docsite_html import parse

from validator.docsite import flow, text

XSS = "runbooks/xss-runbook.html"
MALFORMED = FIXTURES.parents[1] / "fixtures" / "malformed"
FORBIDDEN_TAGS = {"script", "img", "iframe", "svg", "style", "details", "object", "embed", "form"}


def _article_problems(html: str) -> list[str]:
    problems = []
    for el in parse(html).article():
        if el.tag in FORBIDDEN_TAGS:
            problems.append(f"<{el.tag}>")
        for name, value in el.attrs.items():
            if name.startswith("on"):
                problems.append(f"{el.tag}[{name}]")
            if name in ("href", "src") and not re.match(r"^(?:https?://|mailto:|tel:|#|\.\./|[a-z0-9_./-]+\.html)", value):
                problems.append(f"{el.tag}[{name}={value}]")
    return problems


def test_no_payload_becomes_markup(xss_site: Built) -> None:
    pages = [p for p in xss_site.site.rglob("*.html")]
    assert len(pages) > 10
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert _article_problems(html) == [], page
        assert "<script>window.__pwned" not in html, page
        assert [e.tag for e in parse(html).elements if any(k.startswith("on") for k in e.attrs)] == [], page


def test_payloads_are_shown_as_text(xss_site: Built) -> None:
    page = parse(xss_site.html(XSS))
    text_shown = page.article_text
    assert "<script>window.__pwned='description-script'</script>" in text_shown
    assert "{: onclick=\"window.__pwned='description-attr'\" }" in text_shown
    assert "XSS </title><script>window.__pwned='title'</script>" in text_shown
    title = re.search(r"<title>(.*?)</title>", xss_site.html(XSS), re.S)
    assert title is not None and "<script>" not in title.group(1) and "&lt;/title&gt;&lt;script&gt;" in title.group(1)


def test_javascript_and_data_links_lose_their_href(xss_site: Built) -> None:
    page = parse(xss_site.html(XSS))
    by_text = {e.text.strip(): e.attrs.get("href") for e in page.article() if e.tag == "a"}
    assert by_text["a javascript link"] is None
    assert by_text["a data link"] is None
    hrefs = page.hrefs()
    assert not [h for h in hrefs if "javascript:" in h or "<" in h or '"' in h or " " in h]


def test_fence_breakout_stays_inside_the_code_block(xss_site: Built) -> None:
    html = xss_site.html(XSS)
    section = html.split('id="step-breakout"')[1].split('id="step-manual-step"')[0]
    blocks = re.findall(r"<pre>(.*?)</pre>", section, re.S)
    command = re.sub(r"<[^>]+>", "", blocks[0])
    assert "&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;window.__pwned='fence-breakout'&lt;/script&gt;" in command
    assert command.count("```") >= 1 and "``````" in command


def test_attribute_lists_in_text_do_not_become_attributes(xss_site: Built) -> None:
    page = parse(xss_site.html(XSS))
    assert not [e for e in page.elements if any(k.startswith("on") for k in e.attrs)]
    assert "__search" not in {e.attrs.get("id") for e in page.article()}


def test_tags_and_titles_outside_the_article_are_escaped(xss_site: Built) -> None:
    html = xss_site.html(XSS)
    tags = re.search(r'<nav class="md-tags"[^>]*>(.*?)</nav>', html, re.S)
    assert tags is not None
    assert "<img" not in tags.group(1) and "&lt;img src=x onerror=" in tags.group(1)
    listing = xss_site.html("index/tags.html")
    assert "<img src=x" not in listing


def test_schema_errors_with_html_are_listed_escaped(xss_site: Built) -> None:
    page = parse(xss_site.html("attention.html"))
    assert "runbooks/bad-id.yaml:3" in page.article_text
    assert "<script>window.__pwned='bad-id'</script>" in page.article_text
    assert _article_problems(xss_site.html("attention.html")) == []


def test_contacts_with_bad_numbers_and_addresses_get_no_link(xss_site: Built) -> None:
    page = parse(xss_site.html("policy/contacts.html"))
    hrefs = page.hrefs()
    assert "tel:+442079460000" in hrefs and "mailto:trent@example.com" in hrefs
    assert [h for h in hrefs if h.startswith(("tel:", "mailto:"))] == ["tel:+442079460000", "mailto:trent@example.com"]


def test_fence_is_longer_than_any_backtick_run() -> None:
    block = text.fence("a ``` b\n`````` c", "bash")
    first = block.split("\n")[0]
    assert first == "`" * 7 + "bash" and block.endswith("\n" + "`" * 7)


def test_url_allow_list() -> None:
    assert text.safe_url("https://example.com/a?b=c") == "https://example.com/a?b=c"
    assert text.safe_url("mailto:ops@example.com") == "mailto:ops@example.com"
    assert text.safe_url("tel:+44 20 7946 0958") == "tel:+44%2020%207946%200958"
    for bad in (
        "javascript:alert(1)",
        "data:text/html,x",
        "vbscript:x",
        "//evil.example",
        'https://x"onclick=1',
        "file:///etc/passwd",
    ):
        assert text.safe_url(bad) is None, bad


def test_mermaid_labels_cannot_break_out() -> None:
    label = flow.label('x"]; click s0 call alert(1); y["<b>')
    assert (
        label.count('"') == 2
        and "<" not in label
        and "]" not in label
        and ";"
        not in label.replace("#", "")
        .replace("quot;", "")
        .replace("lt;", "")
        .replace("gt;", "")
        .replace("93;", "")
        .replace("91;", "")
        .replace("59;", "")
    )


def _copy_site(tmp_path: Path) -> Path:
    dest = tmp_path / "repo"
    shutil.copytree(FIXTURES / "catalog", dest)
    config = dest / "mkdocs.yml"
    home = (FIXTURES / "catalog" / "../../../../docs").resolve()
    config.write_text(re.sub(r"(?m)^docs_dir: .*$", f"docs_dir: {home}", config.read_text(encoding="utf-8")), encoding="utf-8")
    return dest


def test_remote_fonts_are_refused(tmp_path: Path) -> None:
    repo = _copy_site(tmp_path)
    config = repo / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  font: false\n", ""), encoding="utf-8")
    done = mkdocs_build(config, tmp_path / "out")
    assert done.returncode == 1
    assert "theme.font: false" in done.stderr


def test_snippets_without_base_path_restriction_are_refused(tmp_path: Path) -> None:
    repo = _copy_site(tmp_path)
    config = repo / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "markdown_extensions:\n", "markdown_extensions:\n  - pymdownx.snippets:\n      restrict_base_path: false\n"
        ),
        encoding="utf-8",
    )
    done = mkdocs_build(config, tmp_path / "out")
    assert done.returncode == 1
    assert "restrict_base_path" in done.stderr


def test_missing_runbook_folder_is_a_clear_error(tmp_path: Path) -> None:
    repo = _copy_site(tmp_path)
    shutil.rmtree(repo / "runbooks")
    done = mkdocs_build(repo / "mkdocs.yml", tmp_path / "out")
    assert done.returncode == 1
    assert "runbooks: no such folder or file" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_broken_runbook_fails_the_strict_build(tmp_path: Path) -> None:
    repo = _copy_site(tmp_path)
    (repo / "runbooks/ledger/broken.yaml").write_text("version: 1\nkind: runbook\nid: broken\n", encoding="utf-8")
    done = mkdocs_build(repo / "mkdocs.yml", tmp_path / "out", ["--strict"])
    assert done.returncode == 1
    assert "broken.yaml" in done.stderr


def test_a_hostile_file_is_reported_and_the_site_still_builds(tmp_path: Path) -> None:
    """Explicit tags, a review in the year 9999 and twenty-digit durations: one file's findings, not a failed build."""
    repo = _copy_site(tmp_path)
    for name in ("explicit-tags.yaml", "out-of-range.yaml"):
        shutil.copyfile(MALFORMED / name, repo / "runbooks" / "ledger" / name)
    done = mkdocs_build(repo / "mkdocs.yml", tmp_path / "out")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert "runbooks/ledger/explicit-tags.yaml" in done.stderr  # the build's warning names the files
    attention = (tmp_path / "out" / "attention.html").read_text(encoding="utf-8")
    for where in ("explicit-tags.yaml:5:8", "out-of-range.yaml:7:25", "out-of-range.yaml:14:18"):
        assert where in attention
    assert (tmp_path / "out" / "runbooks" / "payments-db-failover.html").is_file()  # the good runbooks are all there

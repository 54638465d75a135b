"""Escaping by type, one function at a time (the built-site tests check the end result)."""

from __future__ import annotations

import markdown

from validator.docsite import flow, sanitize, text

EXTENSIONS = ["tables", "admonition", "attr_list", "md_in_html", "pymdownx.superfences", "pymdownx.tasklist"]


def render(md: str) -> str:
    return markdown.markdown(md, extensions=EXTENSIONS)


def test_plain_text_shows_markdown_and_html_literally() -> None:
    html = render(text.plain("*not bold* <b>x</b> [a](b) {: .c } # 1. `x` | y"))
    assert html == "<p>*not bold* &lt;b&gt;x&lt;/b&gt; [a](b) {: .c } # 1. `x` | y</p>"


def test_plain_text_redacts_credentials() -> None:
    assert "ghp_" not in text.plain("token ghp_" + "a" * 36)


def test_prose_keeps_formatting_but_not_html() -> None:
    html = render(text.prose("Run **this**: `grep <pattern> | head`\n\n<script>x()</script>"))
    assert "<strong>this</strong>" in html
    assert "<code>grep &lt;pattern&gt; | head</code>" in html  # a code span is shown as written
    assert "&lt;script&gt;x()&lt;/script&gt;" in html and "<script>" not in html


def test_prose_attribute_lists_stay_text() -> None:
    html = render(text.prose('Para\n{: onclick="x()" }\n\n## H {: #evil }'))
    assert "onclick=" not in html.replace('{: onclick="x()" }', "")
    assert 'id="evil"' not in html


def test_prose_fences_lose_attributes_and_get_closed() -> None:
    html = render(text.prose('```{ .bash onclick="x()" }\necho hi\n```\n\n```\n<script>open</script>'))
    assert "onclick" not in html
    assert html.count("<pre") == 2
    assert "&lt;script&gt;open&lt;/script&gt;" in html and "<script>" not in html


def test_code_span_holds_backticks() -> None:
    assert render(text.code("a ``b`` c")) == "<p><code>a ``b`` c</code></p>"
    assert render(text.code("`")) == "<p><code>`</code></p>"


def test_fence_cannot_be_closed_from_inside() -> None:
    body = "echo 1\n```\n<script>x()</script>\n````"
    html = render(text.fence(body, "bash"))
    assert html.count("<pre") == 1 and "<script>" not in html and "&lt;script&gt;" in html


def test_link_falls_back_to_text_for_disallowed_urls() -> None:
    assert text.link("docs", "https://example.com/a?b=(c)") == "[docs](https://example.com/a?b=%28c%29)"
    assert text.link("docs", "https://example.com/a b") == "docs (`https://example.com/a b`)"
    assert text.link("x", "javascript:alert(1)") == "x (`javascript:alert(1)`)"


def test_title_is_escaped_for_templates() -> None:
    assert text.title('</title><script>"') == '"&lt;/title&gt;&lt;script&gt;&quot;"'


def test_sanitizer_keeps_material_markup_and_drops_the_rest() -> None:
    html = (
        '<div class="admonition warning"><p class="admonition-title">T</p></div>'
        '<pre class="mermaid"><code>graph</code></pre>'
        '<a href="javascript:x()" onclick="y()">a</a><img src="x" onerror="z()">'
        '<h2 id="__search">h</h2><span class="nb evil-class">s</span><a href="tel:+441">t</a>'
    )
    out = sanitize.clean(html)
    assert '<div class="admonition warning">' in out and '<pre class="mermaid">' in out
    assert "javascript:" not in out and "onclick" not in out and "<img" not in out
    assert 'id="__search"' not in out
    assert '<span class="nb">' in out
    assert 'href="tel:+441"' in out


def test_mermaid_label_escapes_syntax() -> None:
    assert flow.label('a"b<c>[d]{e};f#g`h') == '"a#quot;b#lt;c#gt;#91;d#93;#123;e#125;#59;f#35;g#96;h"'


def test_author_diagrams_are_shown_as_source() -> None:
    """A Mermaid fence in author prose would be drawn in the reader's browser, where it can load images
    from anywhere; it is shown as code instead. Languages Pygments knows keep their highlighting."""
    html = render(text.prose('```mermaid\nflowchart LR\n  A@{ img: "https://outside.host.test/x.png" }\n```\n\n```bash\nls\n```'))
    assert 'class="mermaid"' not in html
    assert "outside.host.test/x.png" in html and "<img" not in html
    assert html.count("<pre") == 2
    assert [text.code_language(lang) for lang in ("mermaid", "Mermaid", "bash", "yaml", "no-such-language", "")] == \
        ["", "", "bash", "yaml", "", ""]


def test_prose_keeps_details_and_tables_without_their_attributes() -> None:
    html = sanitize.clean(render(text.prose(
        "<details>\n<summary>Why</summary>\n\nA **bold** reason\n\n</details>\n\n"
        '<table><tr><td colspan="2">a</td><td onclick="x()">b</td></tr></table>\n\n'
        '<details open onmouseover="x()">c</details> <summary style="color:red">d</summary>')))
    assert "<details>\n<summary>Why</summary>" in html and "<strong>bold</strong>" in html
    assert '<td colspan="2">a</td>' in html
    assert "onclick" not in html.replace("&lt;td onclick", "") and "onmouseover" not in html.replace("&lt;details open onm", "")
    assert '&lt;td onclick="x()"&gt;' in html  # a tag with any other attribute stays text
    assert "<details open" not in html and "style=" not in html.replace('&lt;summary style="color:red"&gt;', "")


def test_prose_images_are_local_files_or_links() -> None:
    text.IMAGES.resolver = lambda url: "../assets/runbook-images/img/a.png" if url == "img/a.png" else None
    try:
        html = sanitize.clean(render(text.prose(
            "![flow](img/a.png) ![far](https://cdn.example.net/x.png) ![gone](img/missing.png) "
            "![x](javascript:alert(1)) ![y](../../../etc/passwd.png)")))
    finally:
        text.IMAGES.resolver = None
    assert '<img alt="flow" src="../assets/runbook-images/img/a.png">' in html
    assert '<a href="https://cdn.example.net/x.png" rel="noopener noreferrer">far (image)</a>' in html
    assert html.count("<img") == 1
    assert "gone (image: <code>img/missing.png</code>)" in html
    assert "javascript" not in html.split("<code>")[0]


def test_sanitizer_drops_images_from_anywhere_but_the_site() -> None:
    out = sanitize.clean('<img src="https://evil.example/x.png" alt="a"><img src="//evil.example/y.png">'
                         '<img src="../assets/runbook-images/a.png" alt="ok" onerror="x()">')
    assert out == '<img src="../assets/runbook-images/a.png" alt="ok">'


def test_two_space_nesting_keeps_its_levels() -> None:
    html = render(text.prose("- a\n  - b\n    - c\n- d\n\nThen:\n\n1. one\n   1. one-one\n2. two"))
    assert html.count("<ul>") == 3 and html.count("<ol>") == 2
    assert "<li>a<ul>\n<li>b<ul>\n<li>c</li>" in html

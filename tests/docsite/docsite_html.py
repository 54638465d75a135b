"""Reading built pages: the article (the generated content), its elements, links and ids."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    in_article: bool
    text: str = ""


@dataclass
class Page:
    elements: list[Element] = field(default_factory=list)
    article_text: str = ""

    def ids(self) -> set[str]:
        return {e.attrs["id"] for e in self.elements if "id" in e.attrs}

    def article(self) -> list[Element]:
        return [e for e in self.elements if e.in_article]

    def links(self, article_only: bool = True) -> list[Element]:
        return [e for e in self.elements if e.tag == "a" and "href" in e.attrs and (e.in_article or not article_only)]

    def hrefs(self, article_only: bool = True) -> list[str]:
        return [e.attrs["href"] for e in self.links(article_only)]


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.depth = 0
        self.article_depth = -1
        self.open_links: list[Element] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "article":
            self.article_depth = self.depth
        inside = self.article_depth >= 0
        el = Element(tag, values, inside)
        self.page.elements.append(el)
        if tag == "a":
            self.open_links.append(el)
        if tag not in ("br", "input", "img", "meta", "link", "hr"):
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("br", "input", "img", "meta", "link", "hr"):
            return
        self.depth -= 1
        if tag == "article" and self.depth == self.article_depth:
            self.article_depth = -1
        if tag == "a" and self.open_links:
            self.open_links.pop()

    def handle_data(self, data: str) -> None:
        for link in self.open_links:
            link.text += data
        if self.article_depth >= 0:
            self.text.append(data)


def parse(html: str) -> Page:
    parser = _Parser()
    parser.feed(html)
    parser.page.article_text = "".join(parser.text)
    return parser.page

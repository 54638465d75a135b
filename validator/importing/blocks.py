"""Markdown pages as a list of sections of blocks, parsed by markdown-it-py (CommonMark).

Only the shapes the converter needs: headings split the page into sections (level 2) and
groups (level 3 and below); inside, paragraphs, fenced code, lists (with their items' text,
inline code and task-box state), tables, HTML and quotes are kept with their source lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token


@dataclass
class Item:
    text: str  # the item's own text, markdown as written
    code: list[str]  # inline code spans, in order
    checked: bool | None  # None: not a task item
    line: int


@dataclass
class Block:
    kind: str  # paragraph | fence | list | olist | table | html | quote | heading
    line: int  # 1-based first line
    text: str = ""  # source text (paragraphs, tables, html, quotes), code (fences), heading text
    info: str = ""  # a fence's info string
    items: list[Item] = field(default_factory=list)
    level: int = 0  # headings


@dataclass
class Page:
    title: str
    title_line: int
    intro: list[Block]
    sections: list[tuple[str, int, list[Block]]]  # (heading, line, blocks)
    links: list[tuple[str, str]]  # (title, url)
    lines: int  # non-blank lines of the page


_PARSER = MarkdownIt("commonmark").enable("table")


def _source(lines: list[str], token: Token) -> str:
    start, end = token.map or (0, 0)
    return "\n".join(lines[start:end]).strip()


def _inline_parts(inline: Token) -> tuple[list[str], list[tuple[str, str]]]:
    codes: list[str] = []
    links: list[tuple[str, str]] = []
    children = inline.children or []
    for i, child in enumerate(children):
        if child.type == "code_inline":
            codes.append(child.content)
        elif child.type == "link_open":
            href = str(child.attrs.get("href", ""))
            text = "".join(c.content for c in children[i + 1:] if c.type == "text")[:120] if children[i + 1:] else href
            title = children[i + 1].content if i + 1 < len(children) and children[i + 1].type == "text" else href
            links.append((title or text or href, href))
    return codes, links


def _list(tokens: list[Token], start: int, lines: list[str], links: list[tuple[str, str]]) -> tuple[list[Item], int]:
    """The items of the list opening at ``start`` (nested lists stay in their item's text), and where it ends."""
    items: list[Item] = []
    depth = 0
    i = start
    while i < len(tokens):
        tok = tokens[i]
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
            if depth == 0:
                return items, i
        elif tok.type == "list_item_open" and depth == 1:
            text = _source(lines, tok)
            body = text.split(None, 1)[1] if len(text.split(None, 1)) > 1 else ""
            checked: bool | None = None
            if body[:3].lower() in ("[ ]", "[x]"):
                checked, body = body[1].lower() == "x", body[3:].strip()
            codes: list[str] = []
            j = i + 1
            while j < len(tokens) and not (tokens[j].type == "list_item_close" and tokens[j].level == tok.level):
                if tokens[j].type == "inline" and tokens[j].level == tok.level + 2:
                    found, found_links = _inline_parts(tokens[j])
                    codes += found
                    links += found_links
                j += 1
            items.append(Item(body, codes, checked, (tok.map or (0, 0))[0] + 1))
        i += 1
    return items, i


def parse(text: str, fallback_title: str) -> Page:
    lines = text.splitlines()
    tokens = _PARSER.parse(text)
    title, title_line = "", 0
    intro: list[Block] = []
    sections: list[tuple[str, int, list[Block]]] = []
    links: list[tuple[str, str]] = []
    current = intro
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        line = (tok.map or (0, 0))[0] + 1
        if tok.type == "heading_open":
            level = int(tok.tag[1])
            heading = tokens[i + 1].content.strip()
            if level == 1 and not title:
                title, title_line = heading, line
            elif level <= 2:
                current = []
                sections.append((heading, line, current))
            else:
                current.append(Block("heading", line, heading, level=level))
            i += 3
            continue
        if tok.type == "paragraph_open":
            _, found = _inline_parts(tokens[i + 1])
            links += found
            current.append(Block("paragraph", line, _source(lines, tok)))
            i += 3
            continue
        if tok.type in ("fence", "code_block"):
            current.append(Block("fence", line, tok.content.rstrip("\n"), tok.info.strip().split(" ")[0].lower()))
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            items, end = _list(tokens, i, lines, links)
            current.append(Block("olist" if tok.type == "ordered_list_open" else "list", line, _source(lines, tok), items=items))
            i = end
        elif tok.type == "table_open":
            current.append(Block("table", line, _source(lines, tok)))
            while tokens[i].type != "table_close":
                i += 1
        elif tok.type == "html_block":
            current.append(Block("html", line, tok.content.strip()))
        elif tok.type == "blockquote_open":
            current.append(Block("quote", line, _source(lines, tok)))
            depth = 1
            while depth:
                i += 1
                depth += {"blockquote_open": 1, "blockquote_close": -1}.get(tokens[i].type, 0)
        i += 1
    return Page(title or fallback_title, title_line, intro, sections, links, sum(1 for ln in lines if ln.strip()))

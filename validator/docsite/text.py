"""Escaping by type, for everything a runbook author wrote that ends up in generated markdown.

Python-Markdown sanitises nothing, and once ``attr_list`` is on, ``{: onclick=… }`` turns text
into an attribute, so each kind of value gets its own treatment: plain text is HTML-escaped and
markdown-escaped, prose keeps its markdown but loses raw HTML and attribute lists, commands go
in fences longer than any backtick run inside them, and URLs must pass a scheme allow-list.
The rendered HTML is sanitised again afterwards (:mod:`validator.docsite.sanitize`); this module
is the first line, that one the backstop.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from validator import secrets

# Python-Markdown's escapable characters, plus "|" for tables.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
_URL_OK = re.compile(r"^(?:https?://[^\s<>\"'`]+|mailto:[^\s<>\"'`]+@[^\s<>\"'`]+|tel:\+?[0-9][0-9().\- ]{2,30})$", re.I)
_FENCE_OPEN = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_CODE_SPAN = re.compile(r"(?<![`\\])(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
_ANCHOR_BAD = re.compile(r"[^a-z0-9_-]+")


def _hint_filter() -> re.Pattern[str] | None:
    """One regex over the secret patterns' trigger words: most strings contain none, so skip them fast."""
    hints = [getattr(p, "hints", ()) for p in secrets.PATTERNS]
    if not all(hints):
        return None
    return re.compile("|".join(re.escape(h) for group in hints for h in group))


_HINTS = _hint_filter()


@lru_cache(maxsize=32768)
def redact(value: str) -> str:
    """:func:`validator.secrets.redact`, skipped for text that holds none of the patterns' trigger words."""
    if _HINTS is not None and not _HINTS.search(value.lower()):
        return value
    return secrets.redact(value)


def plain(text: object) -> str:
    """Inline text shown as-is: one line, markdown-escaped, then HTML-escaped."""
    one_line = " ".join(redact(str(text)).split())
    return html.escape(_MD_SPECIAL.sub(r"\\\1", one_line), quote=False)


def code(text: object) -> str:
    """An inline code span that holds any text, backticks included, on one line."""
    one_line = " ".join(redact(str(text)).split())
    longest = max((len(m) for m in re.findall(r"`+", one_line)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if one_line.startswith("`") or one_line.endswith("`") or not one_line else ""
    return f"{ticks}{pad}{one_line or ' '}{pad}{ticks}"


def fence(body: str, lang: str = "", indent: str = "") -> str:
    """A fenced block longer than any backtick run in ``body``, so nothing inside can close it."""
    body = redact(body.rstrip("\n"))
    longest = max((len(m) for m in re.findall(r"`+", body)), default=0)
    ticks = "`" * max(3, longest + 1)
    lang = re.sub(r"[^a-z0-9_+-]", "", lang.lower())
    lines = [f"{ticks}{lang}", *body.split("\n"), ticks]
    return "\n".join(indent + line if line else line for line in lines)


def safe_url(url: str | None) -> str | None:
    """The URL, percent-encoded for a markdown link, when its scheme is http(s), mailto or tel."""
    if not url or not _URL_OK.match(url.strip()):
        return None
    return quote(url.strip(), safe=":/?#@!$&'*+,;=%~-._[]")


def link(text: object, url: str | None) -> str:
    """A markdown link when the URL is allowed, else the text alone (and the URL as code)."""
    ok = safe_url(url)
    label = plain(text) or plain(url or "")
    if ok:
        return f"[{label}]({ok})"
    return f"{label} ({code(url)})" if url and str(text) != url else code(url or text)


def title(text: object) -> str:
    """A front-matter title: themes print it into <title> and the nav unescaped, so escape it here."""
    one_line = " ".join(redact(str(text)).split())
    return json.dumps(html.escape(one_line, quote=True))


def tag(value: str) -> str:
    """A tag name for front matter: the theme prints tag names into the page unescaped."""
    return html.escape(" ".join(redact(value).split()), quote=True)


def anchor(*parts: str) -> str:
    """An HTML id built from ids that the schema already restricts; anything else becomes '-'."""
    return "-".join(_ANCHOR_BAD.sub("-", p.lower().replace(".", "_")).strip("-") or "x" for p in parts)


# Structure authors of real runbooks use: collapsible sections and HTML tables, without attributes
# beyond these (the sanitiser checks them again). Everything else stays escaped text.
_SAFE_TAG = re.compile(
    r"&lt;(/?)(details|summary|table|thead|tbody|tfoot|tr|th|td|br|kbd|sub|sup)"
    r"((?:\s+(?:open|(?:colspan|rowspan)=\"\d{1,2}\"))*)\s*/?&gt;", re.I)
_IMAGE = re.compile(r"!\[([^\]\n]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_LIST_ITEM = re.compile(r"^( *)(?:[-*+]|\d{1,9}[.)])\s")


def _safe_tag(match: re.Match[str]) -> str:
    closing, name, attrs = match.group(1), match.group(2).lower(), " ".join(match.group(3).split())
    extra = ' markdown="1"' if name == "details" and not closing else ""  # md_in_html renders the markdown inside
    return f"<{closing}{name}{' ' + attrs if attrs else ''}{extra}>"


def _escape_text(text: str) -> str:
    """Prose outside code: raw HTML and attribute lists lose their meaning, markdown stays."""
    text = _SAFE_TAG.sub(_safe_tag, html.escape(text, quote=False))
    return _IMAGE.sub(_image, text.replace("{", "\\{").replace("}", "\\}"))


def _image(match: re.Match[str]) -> str:
    """A remote image becomes a link with its alt text (the site makes no outside request); a repository
    image is kept when the page renderer can copy it into the site, else it too becomes text."""
    alt, url = match.group(1).strip(), html.unescape(match.group(2))
    if re.match(r"(?i)^https?://", url):
        return f"[{alt or 'image'} (image)]({safe_url(url) or ''})" if safe_url(url) else f"{alt} (image)"
    resolver = IMAGES.resolver
    local = resolver(url) if resolver is not None else None
    return f"![{alt}]({local})" if local else (f"{alt} (image: {code(url)})" if alt else f"image: {code(url)}")


class _Images:
    """Repository images the current page refers to: set by the page renderer, read by the plugin to copy them."""

    def __init__(self) -> None:
        self.resolver: Callable[[str], str | None] | None = None
        self.files: dict[str, Path] = {}


IMAGES = _Images()


def _nest_two_space_lists(chunk: str) -> str:
    """Lists nested by two (or three) spaces, as GitHub renders them, keep their levels: Python-Markdown
    needs four, so indentation inside a list is scaled to four per level."""
    lines = chunk.split("\n")
    units = {len(m.group(1)) for ln in lines if (m := _LIST_ITEM.match(ln)) and 0 < len(m.group(1)) < 4}
    if not units:
        return chunk
    unit = min(units)
    out: list[str] = []
    in_list = False
    for ln in lines:
        item = _LIST_ITEM.match(ln)
        if item and not item.group(1):
            in_list = True
        elif not ln.strip():
            pass
        elif not ln.startswith(" "):
            in_list = False
        if in_list and ln.startswith(" "):
            spaces = len(ln) - len(ln.lstrip(" "))
            ln = " " * (spaces * 4 // unit) + ln.lstrip(" ")
        out.append(ln)
    return "\n".join(out)


def _escape_inline(text: str) -> str:
    out: list[str] = []
    pos = 0
    for m in _CODE_SPAN.finditer(text):
        out.append(_escape_text(text[pos : m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(_escape_text(text[pos:]))
    return "".join(out)


@lru_cache(maxsize=256)
def code_language(lang: str) -> str:
    """The language of an author's fence if Pygments can highlight it, else none.

    A fence whose language names a custom fence (``mermaid``, or whatever a site configures
    for diagrams) would become a diagram drawn in the reader's browser, and a diagram can load
    images from anywhere (``A@{ img: "https://…" }``, an ``<img>`` in a label): author-written
    diagrams are shown as their source text instead, so the site never makes an outside request.
    """
    from pygments.lexers import find_lexer_class_by_name  # type: ignore[import-untyped]
    from pygments.util import ClassNotFound  # type: ignore[import-untyped]

    if not lang or lang.lower() in DIAGRAM_FENCES:
        return ""
    try:
        find_lexer_class_by_name(lang)
    except ClassNotFound:
        return ""
    return lang


DIAGRAM_FENCES = frozenset({"mermaid", "diagram", "kroki", "plantuml", "math"})


def prose(text: str, indent: str = "") -> str:
    """Markdown an author wrote: formatting kept; HTML, attribute lists and fence tricks defused."""
    lines = redact(text).replace("\r\n", "\n").replace("\t", "    ").split("\n")
    out: list[str] = []
    chunk: list[str] = []
    i = 0
    while i < len(lines):
        m = _FENCE_OPEN.match(lines[i])
        if not m or (m.group("fence")[0] == "`" and "`" in m.group("info")):
            chunk.append(lines[i])
            i += 1
            continue
        out.append(_escape_inline(_nest_two_space_lists("\n".join(chunk))))
        chunk = []
        char, size = m.group("fence")[0], len(m.group("fence"))
        closer = re.compile(rf"^ {{0,3}}{re.escape(char)}{{{size},}}\s*$")
        body: list[str] = []
        i += 1
        while i < len(lines) and not closer.match(lines[i]):
            body.append(lines[i])
            i += 1
        i += 1
        lang = m.group("info").strip().split(" ")[0].strip("{}. ")
        out.append(fence("\n".join(body), code_language(lang) if char == "`" else ""))
    out.append(_escape_inline(_nest_two_space_lists("\n".join(chunk))))
    result = "\n".join(part for part in out if part != "")
    return "\n".join(indent + line if line.strip() else "" for line in result.split("\n"))


def indent(block: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line if line.strip() else "" for line in block.split("\n"))

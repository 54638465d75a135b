"""The backstop: an allow-list sanitiser over the rendered HTML of every generated page.

Escaping in :mod:`validator.docsite.text` should already have defused author input; this pass
guarantees it.  It keeps only the tags, attributes and classes that Python-Markdown,
pymdown-extensions and Material need for what the generated pages use (headings with anchors,
tables, admonitions, highlighted code with line anchors, task lists, Mermaid blocks, buttons,
collapsible details), only http(s), mailto and tel links, images only from the site's own
files, and no forms, frames, scripts or styles.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import nh3
from pygments.token import STANDARD_TYPES  # type: ignore[import-untyped]

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "input", "kbd", "label", "li", "mark", "ol", "p",
    "pre", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "ul",
}  # fmt: skip
ATTRIBUTES = {
    "*": {"id", "title"},
    "a": {"href", "name"},
    "img": {"src", "alt"},
    "input": {"disabled", "checked"},
    "details": {"open"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "ol": {"start"},
}
ALIGN = {"text-align: left;", "text-align: right;", "text-align: center;"}
VALUES = {"input": {"type": {"checkbox"}}, "th": {"style": ALIGN}, "td": {"style": ALIGN}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
CLASSES = {
    "admonition", "admonition-title", "note", "abstract", "info", "tip", "success", "question", "warning",
    "failure", "danger", "bug", "example", "quote", "headerlink", "toclink", "highlight", "highlighttable",
    "linenos", "linenodiv", "filename", "hll", "mermaid", "task-list", "task-list-item", "task-list-control",
    "task-list-indicator", "md-button", "md-button--primary", "md-typeset__table", "rb-badge",
    "rb-stack", "rb-stack-severity", "rb-stack-inputs",
    *(f"rb-rank-{n}" for n in range(1, 6)),
    *(name for name in STANDARD_TYPES.values() if name),  # Pygments' token classes
}  # fmt: skip
_MATERIAL_ID = re.compile(r"""\sid=["']?__(?!codelineno-|span-)|<img\s|\s(?:col|row)span=""")
_SRCLESS_IMG = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")  # an image whose address was refused is dropped whole
_LOCAL_SRC = re.compile(r"^(?:\.\./)*[A-Za-z0-9_][A-Za-z0-9_./-]*\.(?:png|jpe?g|gif|webp)$", re.I)
_ID_OK = re.compile(r"^(?:__(?:codelineno|span)-[0-9-]+|[A-Za-z0-9][A-Za-z0-9_:./-]{0,199})$")


def _drop_reserved_ids(tag: str, attribute: str, value: str) -> str | None:
    """Ids that start with "__" belong to Material's own widgets (__search, __drawer): never from content."""
    if attribute == "id":
        return value if _ID_OK.match(value) else None
    if attribute == "src":  # images only from the site itself: the site makes no outside request
        return value if _LOCAL_SRC.match(value) and "/../" not in f"/{value.lstrip('./')}" else None
    if attribute in ("colspan", "rowspan"):
        return value if value.isdigit() and 0 < int(value) < 100 else None
    return value


def _options() -> dict[str, Any]:
    return {
        "tags": TAGS,
        "attributes": ATTRIBUTES,
        "tag_attribute_values": VALUES,
        "allowed_classes": {tag: CLASSES for tag in TAGS},
        "url_schemes": URL_SCHEMES,
        "strip_comments": True,
        "link_rel": "noopener noreferrer",
    }


@lru_cache(maxsize=1)
def _fast() -> nh3.Cleaner:
    return nh3.Cleaner(**_options())


@lru_cache(maxsize=1)
def _vetting_ids() -> nh3.Cleaner:
    return nh3.Cleaner(**_options(), attribute_filter=_drop_reserved_ids)


def clean(html: str) -> str:
    """The HTML with everything outside the allow-list removed.

    A Python callback per attribute costs more than the sanitising itself, so ids are vetted
    by the slower cleaner only on pages that hold an id Material could be using.
    """
    if not _MATERIAL_ID.search(html):
        return str(_fast().clean(html))
    return _SRCLESS_IMG.sub("", str(_vetting_ids().clean(html)))

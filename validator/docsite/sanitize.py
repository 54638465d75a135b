"""The backstop: an allow-list sanitiser over the rendered HTML of every generated page.

Escaping in :mod:`validator.docsite.text` should already have defused author input; this pass
guarantees it.  It keeps only the tags, attributes and classes that Python-Markdown,
pymdown-extensions and Material need for what the generated pages use (headings with anchors,
tables, admonitions, highlighted code with line anchors, task lists, Mermaid blocks, buttons),
only http(s), mailto and tel links, and no images, forms, frames, scripts or styles.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import nh3
from pygments.token import STANDARD_TYPES  # type: ignore[import-untyped]

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "input", "kbd", "label", "li", "mark", "ol", "p",
    "pre", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "ul",
}  # fmt: skip
ATTRIBUTES = {
    "*": {"id", "title"},
    "a": {"href", "name"},
    "input": {"disabled", "checked"},
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
    *(f"rb-rank-{n}" for n in range(1, 6)),
    *(name for name in STANDARD_TYPES.values() if name),  # Pygments' token classes
}  # fmt: skip
_MATERIAL_ID = re.compile(r"""\sid=["']?__(?!codelineno-|span-)""")
_ID_OK = re.compile(r"^(?:__(?:codelineno|span)-[0-9-]+|[A-Za-z0-9][A-Za-z0-9_:./-]{0,199})$")


def _drop_reserved_ids(tag: str, attribute: str, value: str) -> str | None:
    """Ids that start with "__" belong to Material's own widgets (__search, __drawer): never from content."""
    if attribute == "id":
        return value if _ID_OK.match(value) else None
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
    cleaner = _vetting_ids() if _MATERIAL_ID.search(html) else _fast()
    return str(cleaner.clean(html))

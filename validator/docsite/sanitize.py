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

import nh3

TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "input",
    "kbd",
    "label",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
ATTRIBUTES = {
    "*": {"id", "class", "title"},
    "a": {"href", "name"},
    "input": {"disabled", "checked"},
    "th": {"style"},
    "td": {"style"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
_CLASS_OK = re.compile(
    r"^(?:admonition(?:-title)?|note|abstract|info|tip|success|question|warning|failure|danger|bug|example|quote"
    r"|headerlink|highlight|highlighttable|linenos|linenodiv|filename|hll|language-[a-z0-9_+-]+|mermaid"
    r"|task-list(?:-item|-control|-indicator)?|md-button(?:--primary)?|md-typeset__table|md-tag|rb-[a-z0-9-]+"
    r"|[a-z]{1,3}[0-9]?|toclink)$"
)
_ID_OK = re.compile(r"^(?:__(?:codelineno|span)-[0-9-]+|[A-Za-z0-9][A-Za-z0-9_:./-]{0,199})$")


def _filter(tag: str, attribute: str, value: str) -> str | None:
    """Vet the values of the generic attributes: known classes only, no ids that shadow Material's."""
    if attribute == "class":
        kept = [c for c in value.split() if _CLASS_OK.match(c)]
        return " ".join(kept) or None
    if attribute == "id":
        return value if _ID_OK.match(value) else None
    if attribute == "style":
        return value if re.fullmatch(r"text-align:\s*(?:left|right|center);?", value.strip()) else None
    return value


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=TAGS,
        attributes=ATTRIBUTES,
        attribute_filter=_filter,
        tag_attribute_values={"input": {"type": {"checkbox"}}},
        url_schemes=URL_SCHEMES,
        strip_comments=True,
        link_rel="noopener noreferrer",
    )


def clean(html: str) -> str:
    """The HTML with everything outside the allow-list removed."""
    return str(_cleaner().clean(html))

"""Where a finding sends its reader, and the explanation it finds there.

Every finding names its rule's documentation.  A link is only worth printing if it leads
somewhere, so there are two kinds: with a ``docs_url`` setting (the address the team's MkDocs
site is published at) it is that site's rule reference, ``<docs_url>rules/#f001``, a page the
``runbooks`` plugin generates; without one it is the command ``runbook rules F001``, which
works offline wherever the tool is installed.  The explanation itself is the same text in
the terminal (``runbook rules ID``), in SARIF ``help`` and on the site, so they never disagree.
"""

from __future__ import annotations

import textwrap

from validator.catalog import CORE_RULES, RuleInfo

#: Where the rule reference lives in the generated site, relative to its base address: the plugin
#: writes it as ``rules/index.md``, which is ``rules/`` whether or not the site uses directory URLs
#: (the offline plugin turns them off).
RULES_PAGE = "rules/"


def anchor(rule_id: str) -> str:
    """The rule's heading id on the reference page."""
    return rule_id.lower()


def page_url(rule_id: str, docs_url: str | None) -> str | None:
    """The rule's entry in the published site, or None when no site is configured."""
    if not docs_url:
        return None
    return f"{docs_url.rstrip('/')}/{RULES_PAGE}#{anchor(rule_id)}"


def command(rule_id: str) -> str:
    """The command that explains the rule offline."""
    return f"runbook rules {rule_id}"


def link(rule_id: str, docs_url: str | None) -> str:
    """What a report prints under a finding: the site's page, else the command (never a dead URL)."""
    return page_url(rule_id, docs_url) or command(rule_id)


def kind(info: RuleInfo) -> str:
    return "core check, always on" if info.id in CORE_RULES else "lint rule"


def body(info: RuleInfo) -> str:
    """The rule's documentation beyond its summary: the lint rule's docstring, a core check's rationale."""
    text = info.doc or info.rationale
    return "" if text == info.summary else text


def help_text(info: RuleInfo) -> str:
    """The explanation ``runbook rules ID`` prints (without the docs line)."""
    out = [f"{info.id} {info.name} ({info.severity.value}, {kind(info)})", "", textwrap.fill(info.summary, 88), ""]
    if body(info):
        out += [body(info), ""]
    if info.hint:
        out.append(f"Hint: {info.hint}")
    return "\n".join(out).rstrip("\n") + "\n"


def help_markdown(info: RuleInfo) -> str:
    """The same explanation as Markdown (SARIF ``help.markdown``): code scanning shows it beside each alert."""
    out = [f"**{info.id} {_md(info.name)}** ({info.severity.value}, {kind(info)})", "", _md(info.summary), ""]
    for paragraph in body(info).split("\n\n") if body(info) else []:
        out += [_md(" ".join(paragraph.split())), ""]
    if info.hint:
        out.append(f"**Fix:** {_md(info.hint)}")
    out.append(f"Explain offline: `{command(info.id)}`")
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    """Text as literal Markdown: the characters that would start markup or HTML are escaped."""
    return "".join("\\" + ch if ch in "\\`*_[]<>#|" else ch for ch in text)

"""The MkDocs settings the generated pages depend on, applied by the plugin so a minimal
``mkdocs.yml`` still renders them correctly and offline.

- Markdown extensions the pages use (tables, admonitions, attribute lists for anchors, markdown
  inside ``<details>`` and our own layout blocks, task lists, superfences with a ``mermaid`` fence).
- ``pymdownx.snippets`` refused unless ``restrict_base_path`` is on: it reads files into pages.
- The theme's web fonts refused: they are fetched from a CDN at view time.
- The offline plugin's iframe-worker shim (search from ``file://``) and the stylesheet served
  from the bundled copies instead of a CDN.
"""

from __future__ import annotations

from typing import Any

from mkdocs.exceptions import PluginError
from pymdownx.superfences import fence_code_format  # type: ignore[import-untyped]

from validator.docsite.site import CSS, SHIM

NEEDED = ("tables", "admonition", "attr_list", "md_in_html", "toc", "pymdownx.tasklist", "pymdownx.highlight",
          "pymdownx.superfences")
MERMAID_FENCE = {"name": "mermaid", "class": "mermaid", "format": fence_code_format}


def _check_snippets(config: Any) -> None:
    snippets = config.mdx_configs.get("pymdownx.snippets")
    if "pymdownx.snippets" in config.markdown_extensions and not (snippets or {}).get("restrict_base_path", True):
        raise PluginError("runbooks: pymdownx.snippets must keep restrict_base_path on, or pages can include any file on disk")


def _extensions(config: Any) -> None:
    for ext in NEEDED:
        if ext not in config.markdown_extensions:
            config.markdown_extensions.append(ext)
    config.mdx_configs.setdefault("toc", {}).setdefault("permalink", True)
    superfences = config.mdx_configs.setdefault("pymdownx.superfences", {})
    fences = superfences.setdefault("custom_fences", [])
    if not any(f.get("name") == "mermaid" for f in fences):
        fences.append(MERMAID_FENCE)


def _offline(config: Any) -> None:
    theme = config.theme
    if theme.name == "material" and theme.get("font") is not False:
        raise PluginError("runbooks: set `theme.font: false`; Material's web fonts are fetched from a CDN at view time")
    polyfills = [p for p in config.extra.get("polyfills", []) if "iframe-worker" not in str(p)]
    config.extra["polyfills"] = [SHIM, *polyfills]
    if CSS not in config.extra_css:
        config.extra_css.append(CSS)


def apply(config: Any) -> None:
    _check_snippets(config)
    _extensions(config)
    _offline(config)

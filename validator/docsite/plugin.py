"""The MkDocs plugin (entry point ``runbooks``): runbooks and policies become pages at build time.

``on_files`` loads the runbook folders with :func:`validator.pipeline.run` and adds one
generated page per runbook plus the policy and index pages; ``on_page_markdown`` lints the
loaded repository (:mod:`validator.docsite.lintjob`) and fills the findings into "Needs
attention", the last page rendered; ``on_page_content`` sanitises the HTML of the
generated pages; ``on_post_page`` gives pages with diagrams the bundled Mermaid script (the
theme would otherwise fetch it from a CDN); ``on_serve`` watches the runbook folders so
``mkdocs serve`` rebuilds when a YAML file changes."""

from __future__ import annotations

import gc
import logging
from datetime import date
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import get_relative_url

from validator import pipeline
from validator.docsite import index_pages, lintjob, markdown_config, nav, sanitize, text
from validator.docsite.context import ATTENTION, HOME, Site
from validator.docsite.site import ASSETS, MERMAID, build_pages, make_site
from validator.findings import ConfigError, Finding, Severity
from validator.today import today as calendar_today

log = logging.getLogger("mkdocs.plugins.runbooks")


class RunbooksConfig(Config):  # type: ignore[no-untyped-call]
    paths = opt.ListOfItems(opt.Type(str), default=["runbooks"])
    edit_url = opt.Type(str, default="")
    lint = opt.Type(bool, default=True)
    today = opt.Type(str, default="")
    warn_on_errors = opt.Type(bool, default=True)
    add_to_nav = opt.Type(bool, default=True)  # generated pages an explicit nav does not name: added (else left out)
    nav_section = opt.Type(str, default="Runbooks")


class RunbooksPlugin(BasePlugin[RunbooksConfig]):  # type: ignore[no-untyped-call]
    """Renders the runbook repository into the MkDocs site."""

    def __init__(self) -> None:
        self.generated: set[str] = set()
        self.roots: list[Path] = []
        self.site: Site | None = None
        self.result: pipeline.Result | None = None
        self.today: date  # the day review dates are judged on: on_config sets it, from `today:` or validator/today.py
        self.frozen = False

    def on_config(self, config: Any) -> Any:
        base = Path(config.config_file_path or ".").resolve().parent
        self.roots = [(base / p).resolve() for p in self.config.paths]
        missing = [str(p) for p in self.roots if not p.exists()]
        if missing:
            raise PluginError(f"runbooks: no such folder or file: {', '.join(missing)} (set `paths:` in the plugin's options)")
        if self.config.today:
            try:
                self.today = date.fromisoformat(self.config.today)
            except ValueError as err:
                raise PluginError(f"runbooks: `today: {self.config.today}` is not a YYYY-MM-DD date") from err
        else:
            try:
                self.today = calendar_today()
            except ConfigError as err:
                raise PluginError(f"runbooks: {err}") from None
        markdown_config.apply(config)
        return config

    def on_files(self, files: Files, /, *, config: Any) -> Files:
        today = self.today  # set by on_config, which MkDocs runs before every build (serve's rebuilds too)
        self.result = None
        result = self._load(today)
        broken = {f.path for f in result.findings if f.severity is Severity.ERROR and f.rule[:1] in "YFR"}
        if broken and self.config.warn_on_errors:
            log.warning(
                "runbooks: %d file(s) have errors and may be missing from the site: %s; see the 'Needs attention' page",
                len(broken),
                ", ".join(sorted(broken)[:5]) + (" …" if len(broken) > 5 else ""),
            )
        base = Path(config.config_file_path or ".").resolve().parent
        self.site = make_site(result, base, today, self.config.edit_url, config.site_url or "", config.use_directory_urls)
        text.IMAGES.files.clear()
        pages = build_pages(self.site, result.findings)
        self.generated = set()
        used = {uri: page for uri, page in pages.items() if files.get_file_from_path(uri) is None}
        for src_uri in sorted(set(pages) - set(used) - {HOME}):  # the generated home page only stands in for a missing one
            log.info("runbooks: docs/%s exists, so the generated page is not used", src_uri)
        unlisted = nav.missing(config.nav, [uri for uri, (_, in_nav) in used.items() if in_nav])
        if unlisted and self.config.add_to_nav:
            config.nav = nav.add(config.nav, unlisted, self.config.nav_section)
        for src_uri, (content, in_nav) in used.items():
            shown = in_nav and (self.config.add_to_nav or src_uri not in unlisted)
            inclusion = InclusionLevel.UNDEFINED if shown else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, src_uri, content=content, inclusion=inclusion))
            self.generated.add(src_uri)
        for name, asset in ASSETS.items():
            files.append(File.generated(config, name, abs_src_path=str(asset)))
        for name, image in sorted(text.IMAGES.files.items()):  # repository images the pages show
            if files.get_file_from_path(name) is None:
                files.append(File.generated(config, name, abs_src_path=str(image)))
        self.result = result
        self._freeze()
        return files

    def _freeze(self) -> None:
        """Hide the loaded repository (millions of objects, alive until the build ends) from the
        garbage collector: otherwise every full collection while MkDocs renders walks all of them."""
        gc.collect()
        gc.freeze()
        self.frozen = True

    def _unfreeze(self) -> None:
        """Give the objects back to the collector, so ``mkdocs serve`` frees each build's repository."""
        if self.frozen:
            gc.unfreeze()
            self.frozen = False

    def _load(self, today: date) -> pipeline.Result:
        """Load and check; the lint rules run later, for the "Needs attention" page only."""
        try:
            return pipeline.run(self.roots, pipeline.Options(lint=False, today=today))
        except ConfigError as err:
            raise PluginError(f"runbooks: {err}") from err

    def _lint_findings(self, result: pipeline.Result) -> list[Finding]:
        """Every finding, lint included; a crash inside a lint rule costs the lint findings, not the site."""
        try:
            return lintjob.lint(result, self.today)
        except Exception as err:  # a bug in one lint rule must not take the docs down
            log.warning("runbooks: linting failed (%s: %s); pages show load and schema findings only", type(err).__name__, err)
            return result.findings

    def on_page_markdown(self, markdown: str, /, *, page: Any, config: Any, files: Any) -> str:
        if page.file.src_uri != ATTENTION or ATTENTION not in self.generated or self.site is None or self.result is None:
            return markdown
        if not self.config.lint:
            return markdown
        return index_pages.attention(self.site, self._lint_findings(self.result), meta=False)

    def on_post_build(self, *, config: Any) -> None:
        self.result = None
        self._unfreeze()

    def on_build_error(self, *, error: Exception) -> None:
        self.result = None
        self._unfreeze()

    def on_page_content(self, html: str, /, *, page: Any, config: Any, files: Any) -> str:
        if page.file.src_uri in self.generated:
            return sanitize.clean(html)
        return html

    def on_post_page(self, output: str, /, *, page: Any, config: Any) -> str:
        if 'class="mermaid"' not in output:
            return output
        src = get_relative_url(MERMAID, page.url)
        return output.replace("</head>", f'<script src="{src}"></script>\n</head>', 1)

    def on_serve(self, server: Any, /, *, config: Any, builder: Any) -> Any:
        for root in self.roots:
            server.watch(str(root))
        return server

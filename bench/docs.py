"""``python -m bench docs``: the cost of the docs plugin, and how it grows with the catalogue.

Three real ``mkdocs build`` runs (best of ``--repeat``):

- the n-runbook corpus through the ``runbooks`` plugin (load, lint, render, sanitise);
- the same pages pre-rendered to markdown files, built without the plugin: the difference is
  the plugin's overhead (target: at most 1.3x);
- a 2n-runbook corpus through the plugin (target: at most 2.2x the n build, so the cost per
  page stays flat rather than growing with the sidebar).
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
from datetime import date
from pathlib import Path

from bench import harness
from validator import pipeline
from validator.docsite.site import build_pages, make_site
from validator.today import today as calendar_today

NAV = """nav:
  - Home: index.md
  - Runbooks:
      - By service: index/services.md
      - By severity: index/severity.md
      - Tags: index/tags.md
  - Policy:
      - Severity matrix: policy/severities.md
      - Contacts: policy/contacts.md
      - Roles: policy/roles.md
      - Escalation: policy/escalation.md
      - Templates: policy/templates.md
  - Needs attention: attention.md
  - Rule reference: rules/index.md
"""
CONFIG = (
    """site_name: Bench
docs_dir: docs
theme:
  name: material
  font: false
  features: [content.code.copy, navigation.prune]
plugins:
  - search
  - offline
  - tags
{plugin}markdown_extensions:
  - tables
  - admonition
  - attr_list
  - toc:
      permalink: true
  - pymdownx.highlight
  - pymdownx.tasklist
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
{extra}"""
    + NAV
)
HOME = "# Bench\n\nSee [runbooks by service](index/services.md).\n"


def plugin_site(dest: Path, runbooks: Path, today: date) -> Path:
    """A site whose pages the plugin generates from ``runbooks``."""
    shutil.rmtree(dest, ignore_errors=True)
    (dest / "docs").mkdir(parents=True)
    (dest / "docs" / "index.md").write_text(HOME, encoding="utf-8")
    plugin = f'  - runbooks:\n      paths: [{runbooks}]\n      today: "{today.isoformat()}"\n'
    (dest / "mkdocs.yml").write_text(CONFIG.format(plugin=plugin, extra=""), encoding="utf-8")
    return dest


def static_site(dest: Path, runbooks: Path, today: date) -> Path:
    """The same pages written out as markdown files, for a build without the plugin."""
    shutil.rmtree(dest, ignore_errors=True)
    (dest / "docs").mkdir(parents=True)
    (dest / "docs" / "index.md").write_text(HOME, encoding="utf-8")
    result = pipeline.run([runbooks], pipeline.Options(today=today))
    for path, (markdown, _in_nav) in build_pages(make_site(result, runbooks.parent, today, ""), result.findings).items():
        target = dest / "docs" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, encoding="utf-8")
    extra = "not_in_nav: |\n  /runbooks/\n"
    (dest / "mkdocs.yml").write_text(CONFIG.format(plugin="", extra=extra), encoding="utf-8")
    return dest


def _interleaved(sites: list[tuple[str, Path]], repeat: int, table: harness.Table) -> list[float]:
    """Best of ``repeat`` for each site, taking turns so that a busy moment hits every build alike."""
    builds = {
        label: harness.command([harness.tool("mkdocs"), "build", "-q", "-d", str(site / "site")], site) for label, site in sites
    }
    best = harness.best_of_each(repeat, builds)
    for label, site in sites:
        _seconds, proc = best[label]
        table.check(proc.returncode == 0, f"{label}: mkdocs build exits 0 (got {proc.returncode}{harness.tail(proc)})")
        pages = len(list((site / "site" / "runbooks").glob("*.html")))
        table.notes.append(f"{label}: {pages} runbook pages")
    return [best[label][0] for label, _site in sites]


def _scratch(out: Path, name: str) -> Path:
    """A folder of this process's own under ``out``, removed when the process exits."""
    folder = out / f"{name}-{os.getpid()}"
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def _namespace(args: argparse.Namespace | list[str]) -> argparse.Namespace:
    if isinstance(args, argparse.Namespace):
        return args
    from bench.__main__ import parse

    return parse(["docs", *args])


def main(args: argparse.Namespace | list[str]) -> int:
    ns = _namespace(args)
    today = calendar_today()
    n = ns.n
    small, large = harness.corpus(ns), harness.corpus(ns, n=2 * n)
    out = Path(ns.out)
    table = harness.Table(f"docs: mkdocs build of {n} and {2 * n} runbooks (best of {ns.repeat})")
    sites = [
        (f"plugin, {n}", plugin_site(_scratch(out, f"docs-plugin-{n}"), small.folder, today)),
        (f"pre-rendered, {n}", static_site(_scratch(out, f"docs-static-{n}"), small.folder, today)),
        (f"plugin, {2 * n}", plugin_site(_scratch(out, f"docs-plugin-{2 * n}"), large.folder, today)),
    ]
    with_plugin, static, double = _interleaved(sites, ns.repeat, table)
    overhead = with_plugin / static
    growth = double / with_plugin
    table.add(f"plugin build, {n} runbooks", with_plugin)
    table.add(
        f"pre-rendered markdown, {n} runbooks",
        static,
        f"{overhead:.2f}x",
        table.target("plugin overhead", overhead, 1.3, at_most=True),
    )
    table.add(
        f"plugin build, {2 * n} runbooks",
        double,
        f"{growth:.2f}x",
        table.target("growth for twice the runbooks", growth, 2.2, at_most=True),
    )
    table.notes.append(
        f"seconds per 1,000 runbooks: {with_plugin * 1000 / n:.1f} (n={n}), {double * 1000 / (2 * n):.1f} (n={2 * n})"
    )
    return table.print()

"""Real ``mkdocs build --strict`` runs: other YAML beside the runbooks and a site's own ``nav:`` never fail it.

The fixture repository (``tests/fixtures/other-yaml``) keeps rule files, manifests, an inventory
and a playbook in its runbook folder, and has three site configurations: an explicit nav naming
only the home page (the plugin adds its pages), the same with ``add_to_nav: false`` (the pages are
left out of the nav, deliberately), and no nav at all.  The project's own site is built too, as
``nox -s docs`` builds it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import mkdocs_build

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "other-yaml"
WARNING = re.compile(r"^\s*(WARNING|ERROR)\b", re.M)
GENERATED = [
    "index/services/",
    "index/severity/",
    "index/tags/",
    "index/alerts/",
    "rules/",
    "policy/severities/",
    "policy/contacts/",
    "attention/",
]


def _strict(config: Path, dest: Path) -> str:
    done = mkdocs_build(config, dest, ["--strict"])
    log = done.stdout + done.stderr
    assert done.returncode == 0, log
    assert WARNING.findall(log) == [], log
    return log


def _nav_hrefs(html: str) -> list[str]:
    """The links of the primary navigation, in order (relative, as Material writes them)."""
    nav = html[html.index('<nav class="md-nav md-nav--primary"') :]
    nav = nav[: nav.index("</nav>")]
    return [re.sub(r"^(\.\./)+|^\./", "", h) for h in re.findall(r'href="([^"#]*)"', nav)]


def _nav_links(html: str) -> set[str]:
    return set(_nav_hrefs(html))


@pytest.mark.parametrize("config", ["mkdocs.yml", "mkdocs-nav-kept.yml", "mkdocs-no-nav.yml"])
def test_strict_build_passes_beside_other_yaml(config: str, tmp_path: Path) -> None:
    _strict(FIXTURE / config, tmp_path / "site")
    site = tmp_path / "site"
    assert (site / "runbooks" / "api-down" / "index.html").is_file()
    assert sorted(p.name for p in (site / "runbooks").iterdir()) == ["api-down"]  # nothing else became a runbook
    attention = (site / "attention" / "index.html").read_text(encoding="utf-8")
    assert "Other YAML files" in attention
    assert "a Prometheus rule file: read for its alerts" in attention
    assert "deploy/deployment.yaml" in attention and "a Kubernetes manifest (kind: Deployment)" in attention
    home = _nav_links((site / "index.html").read_text(encoding="utf-8"))
    if config == "mkdocs-nav-kept.yml":
        assert not home & set(GENERATED), home
        assert all((site / page / "index.html").is_file() for page in GENERATED)  # built, linked from the pages
    elif config == "mkdocs.yml":
        assert set(GENERATED) <= home, home


def test_an_explicit_nav_gets_the_pages_under_the_configured_section(tmp_path: Path) -> None:
    config = tmp_path / "repo" / "mkdocs.yml"
    shutil.copytree(FIXTURE, config.parent)
    text = config.read_text(encoding="utf-8").replace('today: "2026-11-23"', 'today: "2026-11-23"\n      nav_section: On call')
    config.write_text(text + "  - Runbooks: attention.md\n", encoding="utf-8")  # one page named already: not added twice
    _strict(config, tmp_path / "site")
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "On call" in html
    assert _nav_hrefs(html).count("attention/") == 1, html


def test_the_projects_own_site_builds_strict(tmp_path: Path) -> None:
    """``nox -s docs``: ``mkdocs build --strict`` of the repository's own ``mkdocs.yml``."""
    _strict(REPO / "mkdocs.yml", tmp_path / "site")
    assert (tmp_path / "site" / "index" / "alerts.html").is_file()  # the offline plugin writes file URLs

"""Every finding's docs link opens its rule's entry in the site the plugin builds.

The links come from the real ``validate_runbook`` (JSON and SARIF) with ``docs_url`` naming the
site, the pages from a real ``mkdocs build`` of the same runbooks; a link resolves when the
page it names was built and holds the heading id after ``#``, and the entry explains the rule
in the words ``runbook rules ID`` uses.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from conftest import FIXTURES, Built
from docsite_html import parse

BASE = "https://runbooks.example.org/"  # the fixture site's site_url
BIN = Path(sys.executable).parent


def _validate(tmp_path: Path, fmt: str) -> str:
    config = tmp_path / "runbook.yaml"
    config.write_text(f"docs_url: {BASE}\ndisable: [C115]\n", encoding="utf-8")
    ran = subprocess.run(
        [
            str(BIN / "validate_runbook"),
            "--format",
            fmt,
            "--today",
            "2026-11-23",
            "--config",
            str(config),
            str(FIXTURES / "catalog" / "runbooks"),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert ran.returncode in (0, 1), ran.stderr
    return ran.stdout


def _built_target(site: Built, url: str) -> tuple[Path, str]:
    """The built file a site URL is served from (a folder serves its index.html) and the fragment."""
    assert url.startswith(BASE), url
    parts = urlsplit(url)
    relative = url[len(BASE) :].split("#")[0]
    page = site.site / relative
    return (page / "index.html" if relative.endswith("/") or page.is_dir() else page), parts.fragment


def test_every_finding_link_opens_its_rule_in_the_built_site(site: Built, tmp_path: Path) -> None:
    findings = json.loads(_validate(tmp_path, "json"))["findings"]
    assert findings, "the fixture repository has findings to link"
    links = {f["docs"] for f in findings}
    assert any(f["rule"][0] not in "YFR" for f in findings), "a lint rule's link is checked too"
    for url in sorted(links):
        page, fragment = _built_target(site, url)
        assert page.is_file(), f"{url}: {page} was not built"
        assert fragment in parse(page.read_text(encoding="utf-8")).ids(), url


def test_sarif_help_uris_resolve_and_the_entry_explains_the_rule(site: Built, tmp_path: Path) -> None:
    rules = json.loads(_validate(tmp_path, "sarif"))["runs"][0]["tool"]["driver"]["rules"]
    assert rules
    for rule in rules:
        page, fragment = _built_target(site, rule["helpUri"])
        html = page.read_text(encoding="utf-8")
        assert fragment in parse(html).ids(), rule["helpUri"]
        entry = html.split(f'id="{fragment}"', 1)[1].split("<h2", 1)[0]
        first_paragraph = rule["help"]["text"].split("\n\n")[1].split()[0:4]  # the summary's first words
        assert " ".join(first_paragraph) in " ".join(entry.replace("\n", " ").split()), rule["id"]

"""Every YAML example in the README and in docs/*.md is checked, against the bundled policy.

An example that fails is worse than none: it is what a new team copies first.  Whole
documents must validate clean (lint included) in a copy of this repository, standing in for
the bundled runbook of the same id; parts of documents are checked as their marker says
(see :mod:`markdown_blocks`).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from markdown_blocks import PAGES, ROOT, Block, apply_part, blocks, yaml_blocks
from mkdocs.config import load_config

VALIDATE = Path(sys.executable).parent / "validate_runbook"
TODAY = os.environ["RUNBOOK_TODAY"]  # the suite's day (tests/conftest.py), as in tests/core/test_examples.py
HANG_GUARD = 120
BLOCKS = yaml_blocks()


def _repository(tmp_path: Path) -> Path:
    """A copy of this repository's runbooks, policy, scripts and schema, with its root marker."""
    for folder in ("runbooks", "scripts", "schema"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _validate(cwd: Path, target: str, today: str | None = TODAY) -> tuple[int, list[dict[str, Any]]]:
    pinned = ["--today", today] if today else []
    proc = subprocess.run([str(VALIDATE), "--strict", *pinned, "--format", "json", target], cwd=cwd,
                          capture_output=True, text=True, timeout=HANG_GUARD, env={**os.environ, "NO_COLOR": "1"},
                          check=False)
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    found: list[dict[str, Any]] = json.loads(proc.stdout)["findings"]
    return proc.returncode, found


def _shown(block: Block, findings: list[dict[str, Any]], written: str, offset: int = 0) -> str:
    """Findings, located in the markdown page when they are in the example's own lines."""
    lines = []
    for f in findings:
        inside = f["path"] == written and f["line"] > offset
        where = f"{block.page.name}:{block.line + f['line'] - 1 - offset}" if inside else f"{f['path']}:{f['line']}"
        lines.append(f"{where}: {f['rule']} {f['message']} ({f.get('hint', '')})")
    return f"{block.where}:\n" + "\n".join(lines)


def _place_document(block: Block, repo: Path) -> str:
    """Write a whole document where it belongs: a runbook over the bundled one of the same id, a policy alone."""
    data = yaml.safe_load(block.text)
    assert isinstance(data, dict) and data.get("kind") in ("runbook", "policy"), f"{block.where}: not a runbook or a policy"
    if data["kind"] == "policy":
        (repo / "example").mkdir()
        (repo / "example" / "policy.yaml").write_text(block.text, encoding="utf-8")
        return "example/policy.yaml"
    for path in sorted((repo / "runbooks").glob("*.yaml")):
        if yaml.safe_load(path.read_text(encoding="utf-8")).get("id") == data.get("id"):
            path.write_text(block.text, encoding="utf-8")
            return path.relative_to(repo).as_posix()
    (repo / "runbooks" / "readme-example.yaml").write_text(block.text, encoding="utf-8")
    return "runbooks/readme-example.yaml"


def check_document(block: Block, tmp_path: Path) -> None:
    repo = _repository(tmp_path)
    written = _place_document(block, repo)
    code, findings = _validate(repo, str(Path(written).parent))
    assert (code, findings) == (0, []), _shown(block, findings, written)


def check_findings(block: Block, tmp_path: Path) -> None:
    assert block.args, f"{block.where}: `check: findings` names the rule ids the example must produce"
    repo = _repository(tmp_path)
    written = _place_document(block, repo)
    code, findings = _validate(repo, str(Path(written).parent))
    assert code == 1 and sorted(f["rule"] for f in findings) == sorted(block.args), _shown(block, findings, written)


_FILLER = {
    "version": "1", "kind": "runbook", "id": "markdown-example", "title": "Markdown example", "service": "api",
    "severity": "P1", "owner": "on-call-engineer", "review": "{last_reviewed: 2026-11-01, every: 90d}",
    "steps": "[{id: first-look, title: First look, manual: Open the service dashboard.}]",
    "verify": "[{id: health-ok, title: Health is back, run: curl -fsS http://localhost:8000/healthz, timeout: 30s}]",
}


def check_runbook_part(block: Block, tmp_path: Path) -> None:
    """Top-level keys of a runbook, completed into one that uses the bundled policy: nothing may be
    reported inside the example's lines, and no error anywhere."""
    part = yaml.safe_load(block.text)
    assert isinstance(part, dict) and part, f"{block.where}: a runbook part is a mapping of top-level keys"
    head = [f"{key}: {value}\n" for key, value in _FILLER.items() if key not in part]
    repo = _repository(tmp_path)
    (repo / "runbooks" / "markdown-example.yaml").write_text("".join(head) + block.text, encoding="utf-8")
    _, findings = _validate(repo, "runbooks")
    ours = [f for f in findings if f["path"] == "runbooks/markdown-example.yaml"]
    mine = [f for f in ours if f["line"] > len(head) or f["severity"] == "error"]
    others = [f for f in findings if f not in ours]
    assert not mine and not others, _shown(block, mine + others, "runbooks/markdown-example.yaml", len(head))


def check_mkdocs(block: Block, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """MkDocs loads the configuration (whole, or completed around a part) without an error or a
    warning, and the runbooks plugin accepts its options and finds its folders."""
    config = yaml.safe_load(block.text)
    assert isinstance(config, dict), f"{block.where}: not a mapping"
    text = block.text
    if "site_name" not in config:
        text = "site_name: Example\ntheme:\n  name: material\n  font: false\n" + text
    plugins = [p for p in config.get("plugins", []) if isinstance(p, dict) and "runbooks" in p]
    assert plugins, f"{block.where}: an MkDocs example here is about the runbooks plugin"
    for folder in plugins[0]["runbooks"].get("paths", ["runbooks"]):
        shutil.copytree(ROOT / "runbooks", tmp_path / folder)
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        loaded = load_config(config_file=str(tmp_path / "mkdocs.yml"))
        loaded.plugins.on_config(loaded)
    assert "runbooks" in loaded.plugins
    problems = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert not problems, f"{block.where}: {problems}"


def check_policy_part(block: Block, tmp_path: Path) -> None:
    """Sections of the starter policy: ``runbook new`` in an empty folder, the sections replaced,
    and the folder validates clean."""
    assert block.options.get("edit") == "runbooks/policy.yaml", f"{block.where}: a policy part edits runbooks/policy.yaml"
    made = subprocess.run([str(VALIDATE.parent / "runbook"), "new", "disk-full"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=HANG_GUARD, check=False)
    assert made.returncode == 0, made.stdout + made.stderr
    apply_part(tmp_path / "runbooks" / "policy.yaml", block.text)
    code, findings = _validate(tmp_path, "runbooks", today=None)  # the starter was reviewed today
    assert (code, findings) == (0, []), _shown(block, findings, "")


CHECKS = {"document": check_document, "findings": check_findings, "runbook-part": check_runbook_part,
          "policy-part": check_policy_part}


@pytest.mark.parametrize("block", BLOCKS, ids=[b.where for b in BLOCKS])
def test_yaml_example(block: Block, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    if block.check == "mkdocs":
        check_mkdocs(block, tmp_path, caplog)
        return
    assert block.check in CHECKS, f"{block.where}: unknown check '{block.check}' (one of mkdocs, {', '.join(CHECKS)})"
    CHECKS[block.check](block, tmp_path)


def test_the_pages_have_yaml_examples_to_check() -> None:
    where = {b.page.name for b in BLOCKS}
    assert {"README.md", "about.md"} <= where, where
    assert any(b.check == "document" and "kind: runbook" in b.text for b in BLOCKS)
    assert len(PAGES) >= 3


def test_a_part_replaces_only_its_own_sections(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text("# head\nid: a\ncontacts:   # note\n  - id: x\n\n  - id: y\n# between\nroles:\n  - id: r\n", encoding="utf-8")
    apply_part(path, "contacts:\n  - id: z\n")
    assert path.read_text(encoding="utf-8") == "# head\nid: a\ncontacts:\n  - id: z\n# between\nroles:\n  - id: r\n"
    with pytest.raises(AssertionError, match="no top-level 'drills:'"):
        apply_part(path, "drills: []\n")


def test_a_wrong_example_fails_its_check(tmp_path: Path, write: Any) -> None:
    """The checks can fail: a README with the mistakes this test exists to catch."""
    page = write("README.md", """\
        Text.

        ```yaml
        version: 1
        kind: runbook
        id: disk-full
        title: Disk full
        service: api
        severity: P1
        owner: platform-oncall
        steps:
          - {id: look, title: Look, manual: Look at the disk.}
        ```

        <!-- check: findings R002 -->
        ```yml
        version: 1
        kind: runbook
        id: disk-full
        title: Disk full
        service: api
        owner: platform-oncall
        review: {last_reviewed: 2026-11-01, every: 90d}
        steps:
          - {id: look, title: Look, manual: Look at the disk.}
        ```

        <!-- check: runbook-part -->
        ```yaml
        steps:
          - {id: look, title: Look, manual: Look at the disk., tiemout: 30s}
        ```
        """)
    document, findings, part = blocks(page)
    assert (document.check, findings.check, findings.args, part.check) == ("document", "findings", ["R002"], "runbook-part")
    assert (document.line, findings.line) == (4, 17)
    with pytest.raises(AssertionError, match=r"README.md:10: R002 owner 'platform-oncall' is not a contact or role"):
        check_document(document, tmp_path / "a")
    check_findings(findings, tmp_path / "b")  # exactly the one R002 it announces
    with pytest.raises(AssertionError, match=r"README.md:31: F001 unknown key 'tiemout'"):
        check_runbook_part(part, tmp_path / "c")

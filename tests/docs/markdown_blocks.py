"""Fenced code blocks of the README and docs/*.md, with the check each one asks for.

A block is checked as a whole document unless the line right before its opening fence is a
comment naming another check, invisible on GitHub and on the MkDocs site:

    <!-- check: runbook-part -->   top-level keys of a runbook (steps:, verify:, ...); the test
                                   completes the runbook around them
    <!-- check: mkdocs -->         MkDocs configuration, whole or a part of it (plugins: ...)
    <!-- check: findings F001 -->  a document with mistakes: exactly these rule ids are reported
    <!-- check: policy-part edit=runbooks/policy.yaml -->
                                   top-level keys that replace the same keys of the starter
                                   policy `runbook new` writes

``file=NAME`` names the file a walkthrough writes the block to, ``edit=NAME`` the file whose
top-level keys it replaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_OPEN = re.compile(r"^(`{3,})([\w-]*)[^`]*$")
_CHECK = re.compile(r"^\s*<!--\s*check:\s*(.*?)\s*-->\s*$")


@dataclass
class Block:
    """One fenced block: where it is, its language, its text and the check its marker asks for."""

    page: Path
    line: int  # of the block's first line of text, 1-based
    lang: str
    text: str
    check: str = "document"
    args: list[str] = field(default_factory=list)
    options: dict[str, str] = field(default_factory=dict)

    @property
    def where(self) -> str:
        shown = self.page.relative_to(ROOT).as_posix() if self.page.is_relative_to(ROOT) else self.page.name
        return f"{shown}:{self.line}"


def blocks(page: Path) -> list[Block]:
    """Every fenced block of ``page``, in order."""
    lines = page.read_text(encoding="utf-8").splitlines()
    found: list[Block] = []
    i = 0
    while i < len(lines):
        opened = _OPEN.match(lines[i])
        if not opened:
            i += 1
            continue
        fence, lang = opened.group(1), opened.group(2)
        end = next((j for j in range(i + 1, len(lines)) if lines[j].strip() == fence), None)
        assert end is not None, f"{page.name}:{i + 1}: the block opened here is never closed"
        block = Block(page, i + 2, lang, "".join(line + "\n" for line in lines[i + 1:end]))
        marker = _CHECK.match(lines[i - 1]) if i > 0 else None
        if marker:
            words = marker.group(1).split()
            block.check = words[0] if words else ""
            block.args = [w for w in words[1:] if "=" not in w]
            block.options = dict(w.split("=", 1) for w in words[1:] if "=" in w)
        found.append(block)
        i = end + 1
    return found


def yaml_blocks() -> list[Block]:
    return [b for page in PAGES for b in blocks(page) if b.lang in ("yaml", "yml")]



def apply_part(path: Path, part: str) -> None:
    """Replace the top-level keys of the YAML file ``path`` that ``part`` holds with ``part``'s
    text for them (comments and the other keys stay): what an author editing a section does."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    sections = re.split(r"(?m)^(?=[^\s#])", part)
    for section in filter(None, sections):
        key = section.split(":", 1)[0]
        start = next((i for i, line in enumerate(lines) if line.startswith(f"{key}:")), None)
        assert start is not None, f"{path.name} has no top-level '{key}:' to replace"
        end = next((i for i in range(start + 1, len(lines)) if lines[i][:1] not in ("", " ", "\n")), len(lines))
        lines[start:end] = section.splitlines(keepends=True)
    path.write_text("".join(lines), encoding="utf-8")

"""Scripts and permissions (P3xx), continued: files a ``run:`` command names.

``script:`` steps have their path checked (P301); a command such as ``ts-node app/ts/burn.ts``,
``bash scripts/rotate.sh`` or ``./scripts/drain.sh`` names a repository file just the same, and
a typo there is found at 3 a.m. instead of in review.  A path counts as a repository path when
its first folder exists in the repository (or beside the runbook), so ``/opt/app/bin/x`` or a
path on a server the command logs in to is left alone, and nothing after a ``cd`` is checked.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from validator import commands
from validator.findings import Finding, Severity
from validator.rules.base import Context, rule
from validator.rules.memo import per_run
from validator.rules.scalar import place_offset
from validator.rules.step_text import step_texts, steps_of

_INTERPRETERS = frozenset({"bash", "sh", "zsh", "dash", "ksh", "source", ".", "python", "python3", "node", "ts-node", "tsx",
                           "deno", "bun", "ruby", "perl", "php", "pwsh", "Rscript"})
_SCRIPT_SUFFIX = re.compile(r"\.(?:sh|bash|py|js|mjs|cjs|ts|rb|pl|php|ps1|R)$")
_SKIP_DIRS = frozenset({".git", "node_modules", ".venv", "venv", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache",
                        ".nox", ".tox", "site", "dist", "build"})
_LIMIT = 20000


def repository_files(ctx: Context) -> list[str]:
    """Paths of the repository's files (relative, with /), for "did you mean"; hidden and build folders left out."""

    def walk() -> list[str]:
        root = str(ctx.root)
        out: list[str] = []
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if d not in _SKIP_DIRS and not d.startswith(".")]
            rel = os.path.relpath(folder, root)
            out += [f if rel == "." else f"{rel}/{f}".replace(os.sep, "/") for f in files]
            if len(out) > _LIMIT:
                break
        return out

    return per_run(ctx, "repository-files", walk)


def nearest_file(ctx: Context, missing: str) -> str | None:
    """The repository file whose path is closest to ``missing`` (same suffix preferred), if any is close."""
    from rapidfuzz import fuzz, process

    files = repository_files(ctx)
    suffix = os.path.splitext(missing)[1]
    same = [f for f in files if f.endswith(suffix)] if suffix else files
    close = process.extractOne(missing, same or files, scorer=fuzz.ratio, score_cutoff=75)
    return str(close[0]) if close is not None else None


def _named_files(text: str) -> Iterator[tuple[str, int]]:
    """``(path, offset)`` of every relative file path a command runs as a program or hands to an interpreter."""
    for cmd in commands.expand(text):
        if cmd.program == "cd" or cmd.program == "pushd":
            return
        words = cmd.words
        first = words[0].value
        if "/" in first:
            yield first, words[0].start
        elif cmd.program in _INTERPRETERS:
            for w in words[1:]:
                if w.value in ("-m", "-c", "-e", "--eval", "-"):
                    break
                if w.value.startswith("-"):
                    continue
                if _SCRIPT_SUFFIX.search(w.value) or "/" in w.value:
                    yield w.value, w.start
                break


def _plain(path: str) -> bool:
    return not (path.startswith(("/", "~", "-")) or any(c in path for c in "$*?{}[]`'\"=:@"))


@rule("P309", "command-file-not-found", Severity.ERROR,
      "A command runs a repository file that does not exist (./scripts/x.sh, ts-node app/burn.ts).",
      "check the path (relative to the repository root) or commit the file")
def command_file_not_found(ctx: Context) -> Iterator[Finding]:
    """A ``run:`` that calls ``./scripts/drain.sh`` or ``python3 tools/replay.py`` fails as surely as a
    ``script:`` whose file is missing, but nothing looked: the runbook passed review with a typo or a
    file that was never committed.  Paths are read as the shell reads the command (the program, or
    the file given to an interpreter) and checked against the repository root and the runbook's
    folder; a path whose first folder is not in the repository (a server's ``/opt/app/bin``, a path
    after ``cd``) is not checked.

    Fix the path, or commit the file; the message names the nearest file when there is one.
    """
    root = ctx.root.resolve()
    top = {p.name for p in root.iterdir()} if root.is_dir() else set()
    listed: dict[Path, set[str]] = {}
    for rb in ctx.runbooks:
        here = Path(rb.source.path).resolve().parent
        if here not in listed:
            listed[here] = {p.name for p in here.iterdir()} if here.is_dir() else set()
        beside = listed[here]
        for step in steps_of(rb):
            for key, at, text in step_texts(step):
                if key not in ("run", "undo", "wait.until") or "/" not in text:
                    continue
                for path, offset in _named_files(text):
                    name = path[2:] if path.startswith("./") else path
                    head = name.split("/", 1)[0]
                    if not _plain(name) or "/" not in name or (head not in top and head not in beside):
                        continue
                    if (root / name).exists() or (here / name).exists():
                        continue
                    near = nearest_file(ctx, name)
                    line, col = place_offset(rb.source, at, text, offset)
                    yield ctx.report_line(rb.source, line, col,
                                          f"step '{step.id}' runs '{path}' ({key}), which is not in the repository",
                                          f"did you mean '{near}'?" if near else None)

"""Finding the files: the repository root, the YAML files under a folder, the policies above a
folder, and the runbook tree a path given on its own belongs to.

A file passed alone (by the pre-commit hook, or by hand) is checked against the same runbooks
and policies as when its whole folder is checked: :func:`context_files` finds that tree, and
the loader reads it so references resolve, without reporting on it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from validator.findings import ConfigError

YAML_SUFFIXES = (".yaml", ".yml")
SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "site", "__pycache__", ".nox", ".runbook-runs"}
_SKIPPED_NAMES = ", ".join(sorted(d for d in SKIP_DIRS if not d.startswith(".")))
ROOT_MARKERS = (".git", "pyproject.toml", ".runbook.yaml", "mkdocs.yml")
_POLICY_HINT = re.compile(r"^kind:\s*['\"]?policy\b", re.M)
# Any file that may be a runbook or a policy, in block or flow style: a loose test, since a
# false match only costs a load whose findings are not reported.
_DOCUMENT_HINT = re.compile(r"\bkind\s*:\s*['\"]?(?:runbook|policy)\b")


def find_root(start: Path) -> Path:
    """The repository root: the nearest folder at or above ``start`` holding .git, pyproject.toml, .runbook.yaml or mkdocs.yml."""
    here = start.resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        if any((folder / marker).exists() for marker in ROOT_MARKERS):
            return folder
    return Path.cwd().resolve()


def runbooks_folder(start: Path) -> Path | None:
    """The ``runbooks/`` folder that ids are looked up in from ``start``: the nearest one at or above
    it, up to the repository root, so commands work from any subfolder of the repository."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if folder.name == "runbooks" and folder.is_dir():
            return folder
        if (folder / "runbooks").is_dir():
            return folder / "runbooks"
        if any((folder / marker).exists() for marker in ROOT_MARKERS):
            return None
    return None


def leads_outside(path: Path, root: Path) -> bool:
    """Whether ``path`` reaches, through a symlink (the file's or a folder's), a file outside ``root``.

    Such a file is never read: a link to ``/etc/passwd`` committed as a runbook would otherwise
    have its first line quoted in CI output.  Files given outside the root without any link
    (two repositories validated at once) are read as usual.
    """
    real = os.path.realpath(path)
    return real != os.path.abspath(path) and not Path(real).is_relative_to(root)


def display_path(path: Path) -> str:
    """Paths relative to the working directory when inside it, so CI annotations line up."""
    absolute = os.path.abspath(path)
    rel = os.path.relpath(absolute, os.getcwd())
    return absolute if rel.startswith("..") else rel


def discover(paths: Iterable[Path]) -> list[Path]:
    """Every YAML file under ``paths``, sorted; a path that does not exist is a usage error."""
    found: list[Path] = []
    for path in paths:
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            before = len(found)
            found.extend(yaml_files(path))
            if len(found) == before:
                # a CI job pointed at an empty or mistyped folder must not pass forever
                raise ConfigError(f"{path}: no runbook or policy found: no .yaml or .yml file in it or its subfolders "
                                  f"(hidden folders and {_SKIPPED_NAMES} are skipped)")
        elif path.exists():
            raise ConfigError(f"{path}: not a regular file or a directory")
        else:
            raise ConfigError(f"{path}: no such file or directory")
    unique: dict[str, Path] = {}
    for p in found:
        unique.setdefault(os.path.abspath(p), p)
    return list(unique.values())


def yaml_files(folder: Path) -> Iterator[Path]:
    """The YAML files under ``folder`` in a stable order: each folder's files, then its subfolders."""
    for parent, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        # dotfiles (.runbook.yaml, .pre-commit-config.yaml) are configuration, never runbooks
        yield from (Path(parent) / f for f in sorted(files) if f.endswith(YAML_SUFFIXES) and not f.startswith("."))


def policy_files_above(folder: Path, root: Path, known: set[str] | frozenset[str] = frozenset(),
                       scanned: dict[Path, list[Path]] | None = None) -> list[Path]:
    """Policy files in ``folder`` and its parents up to ``root``, nearest first, except those in ``known``.

    ``scanned`` remembers what each folder holds during one load, so a folder shared by a
    thousand runbooks is listed and read once, not once per runbook.
    """
    out: list[Path] = []
    start = folder.resolve()
    for candidate in (start, *start.parents):
        found = scanned.get(candidate) if scanned is not None else None
        if found is None:
            found = _policy_files_in(candidate, known, root)
            if scanned is not None:
                scanned[candidate] = found
        out.extend(f for f in found if os.path.abspath(f) not in known)
        if candidate == root or root not in candidate.parents:
            break
    return out


def _policy_files_in(folder: Path, known: set[str] | frozenset[str], root: Path) -> list[Path]:
    found: list[Path] = []
    for f in sorted(folder.glob("*.y*ml")):
        if f.suffix not in YAML_SUFFIXES or os.path.abspath(f) in known or leads_outside(f, root):
            continue
        try:
            if f.is_file() and f.stat().st_size < 1024 * 1024 and \
                    _POLICY_HINT.search(f.read_text(encoding="utf-8", errors="replace")):
                found.append(f)
        except OSError:
            continue
    return found


def tree_of(path: Path, root: Path | None = None) -> Path:
    """The folder whose runbooks and policies ``path`` is checked with: the folder of the farthest
    policy between ``path`` and the repository root (the policy every runbook below shares).
    Without a policy above, a folder stands on its own and a file belongs to the whole repository."""
    folder = path.resolve()
    is_dir = folder.is_dir()
    if not is_dir:
        folder = folder.parent
    root = (root or find_root(folder)).resolve()
    if root != folder and root not in folder.parents:
        root = folder  # no repository marker above (find_root fell back to the working directory)
    above = policy_files_above(folder, root)
    if above:
        return above[-1].resolve().parent
    return folder if is_dir else root


def context_files(paths: Iterable[Path], given: Iterable[Path], root: Path | None = None) -> list[Path]:
    """Runbooks and policies in the trees around ``paths`` that are not among the ``given`` files:
    what a file checked alone needs so its references (related runbooks, drills, its policy,
    duplicate ids) resolve as they do when its whole tree is checked.  The tree never reaches above
    ``root`` (default: each path's own repository root)."""
    known = {os.path.abspath(p) for p in given}
    folders = [os.path.abspath(p) + os.sep for p in paths if p.is_dir()]
    out: list[Path] = []
    trees: set[Path] = set()
    for path in paths:
        tree = tree_of(path, root)
        inside = os.path.abspath(tree) + os.sep
        if tree in trees or any(inside.startswith(f) for f in folders):
            continue  # already read, or checked in full anyway
        trees.add(tree)
        boundary = (root or find_root(tree)).resolve()
        for candidate in yaml_files(tree):
            absolute = os.path.abspath(candidate)
            if absolute not in known and not leads_outside(candidate, boundary) and _is_document(candidate):
                known.add(absolute)
                out.append(candidate)
    return out


def _is_document(path: Path) -> bool:
    try:
        if not path.is_file() or path.stat().st_size > 1024 * 1024:
            return False
        return _DOCUMENT_HINT.search(path.read_text(encoding="utf-8", errors="replace")) is not None
    except OSError:
        return False

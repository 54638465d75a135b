"""Load a whole runbook repository: find the files, load, schema-check and model each one,
attach every runbook to its policy, then check references across files.

This is the single entry point that ``validate_runbook``, the docs plugin and the runner
use, so all three see the same model and the same findings.
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from validator import build, hidden_chars, references, schema
from validator.findings import ConfigError, Finding, Severity, sort_findings
from validator.locate import Locator
from validator.model import Policy, Runbook, Source
from validator.yamlsafe import MAX_BYTES, load_bytes

YAML_SUFFIXES = (".yaml", ".yml")
SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "site", "__pycache__", ".nox", ".runbook-runs"}
ROOT_MARKERS = (".git", "pyproject.toml", ".runbook.yaml", "mkdocs.yml")
_POLICY_HINT = re.compile(r"^kind:\s*['\"]?policy\b", re.M)


@dataclass
class Repository:
    """Everything loaded from the given paths, plus every finding made on the way."""

    root: Path
    policies: list[Policy] = field(default_factory=list)
    runbooks: list[Runbook] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    #: Runbooks that failed the schema check still exist: `related` and drill references to them
    #: are not reported again as dangling, so one mistake gives one finding.
    invalid_runbook_ids: set[str] = field(default_factory=set)

    def runbook(self, key: str) -> Runbook | None:
        """A runbook by id, or by the path of its file."""
        for rb in self.runbooks:
            if rb.id == key or os.path.abspath(rb.source.file) == os.path.abspath(key):
                return rb
        return None

    def policy(self, pid: str) -> Policy | None:
        return next((p for p in self.policies if p.id == pid), None)


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
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
                # dotfiles (.runbook.yaml, .pre-commit-config.yaml) are configuration, never runbooks
                found.extend(Path(folder) / f for f in sorted(files) if f.endswith(YAML_SUFFIXES) and not f.startswith("."))
        elif path.exists():
            raise ConfigError(f"{path}: not a regular file or a directory")
        else:
            raise ConfigError(f"{path}: no such file or directory")
    unique: dict[str, Path] = {}
    for p in found:
        unique.setdefault(os.path.abspath(p), p)
    return list(unique.values())


def leads_outside(path: Path, root: Path) -> bool:
    """Whether ``path`` reaches, through a symlink (the file's or a folder's), a file outside ``root``.

    Such a file is never read: a link to ``/etc/passwd`` committed as a runbook would otherwise
    have its first line quoted in CI output.  Files given outside the root without any link
    (two repositories validated at once) are read as usual.
    """
    real = os.path.realpath(path)
    return real != os.path.abspath(path) and not Path(real).is_relative_to(root)


def _load_file(repo: Repository, path: Path) -> None:
    shown = display_path(path)
    repo.files.append(shown)
    if leads_outside(path, repo.root):
        repo.findings.append(Finding(shown, 0, 0, "Y000", Severity.ERROR,
                                     "not read: a symlink to a file outside the repository",
                                     "copy the file into the repository, or link to a file inside it"))
        return
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            repo.findings.append(Finding(shown, 0, 0, "Y000", Severity.ERROR, "cannot read the file: not a regular file"))
            return
        size = info.st_size
        raw = path.read_bytes() if size <= MAX_BYTES else b""
    except OSError as err:
        repo.findings.append(Finding(shown, 0, 0, "Y000", Severity.ERROR, f"cannot read the file: {err.strerror}"))
        return
    if size > MAX_BYTES:
        repo.findings.append(Finding(shown, 0, 0, "Y007", Severity.ERROR,
                                     f"file is {size:,} bytes, more than the {MAX_BYTES:,}-byte limit",
                                     "split it: a runbook this large is too long to follow during an incident"))
        return
    loaded = load_bytes(shown, raw)
    repo.findings.extend(loaded.findings)
    if loaded.data is None:
        return
    source = Source(shown, str(path), Locator(loaded.text))
    repo.sources[shown] = source
    problems = _schema_check(shown, loaded.data, source.locator)
    if problems:
        repo.findings.extend(problems)
        if loaded.data.get("kind") == "runbook" and isinstance(loaded.data.get("id"), str):
            repo.invalid_runbook_ids.add(str(loaded.data["id"]))
        return
    if loaded.data["kind"] == "policy":
        repo.policies.append(build.policy(loaded.data, source))
    else:
        repo.runbooks.append(build.runbook(loaded.data, source))


def _schema_check(shown: str, data: dict[str, object], locator: Locator) -> list[Finding]:
    try:
        return schema.check(shown, data, locator)
    except RecursionError:
        return [Finding(shown, 1, 1, "Y009", Severity.ERROR, "the document nests too deeply to check", "flatten the structure")]


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


def _needs_policy(rb: Runbook) -> bool:
    """A runbook that names no severity, owner, contact or template can stand without a policy."""
    return bool(rb.severity or rb.owner or any(s.owner or s.notify for s in rb.all_steps()))


def _attach_policies(repo: Repository) -> None:
    for rb in repo.runbooks:
        if rb.policy_id:
            rb.policy = repo.policy(rb.policy_id)
            if rb.policy is None:
                line, col = rb.source.position(("policy",))
                repo.findings.append(Finding(rb.source.path, line, col, "R005", Severity.ERROR,
                                             f"policy '{rb.policy_id}' is not defined",
                                             references.suggest(rb.policy_id, [p.id for p in repo.policies])))
            continue
        folder = Path(rb.source.file).resolve().parent
        best: list[tuple[int, Policy]] = []
        for pol in repo.policies:
            pfolder = Path(pol.source.file).resolve().parent
            if pfolder == folder or pfolder in folder.parents:
                best.append((len(pfolder.parts), pol))
        if best:
            depth = max(d for d, _ in best)
            nearest = sorted((p for d, p in best if d == depth), key=lambda p: p.id)
            rb.policy = nearest[0]
            if len(nearest) > 1:
                repo.findings.append(Finding(rb.source.path, 1, 1, "R005", Severity.ERROR,
                                             "more than one policy applies: " + ", ".join(p.id for p in nearest),
                                             "name one with `policy: ID`"))
        elif len(repo.policies) == 1:
            rb.policy = repo.policies[0]
        elif _needs_policy(rb):
            repo.findings.append(Finding(rb.source.path, 1, 1, "R005", Severity.ERROR,
                                         "no policy found for this runbook",
                                         "put a policy file (kind: policy) in this folder or a parent folder, "
                                         "or set `policy: ID`"))


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a repository loads.

    Loading keeps millions of objects alive (documents, model, positions), and each of the
    collector's periodic full passes rescans all of them: that more than doubled the time to
    load 1,000 runbooks.  Reference counting still frees everything temporary; anything
    cyclic is collected once the collector runs again.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_repository(paths: Iterable[Path], root: Path | None = None) -> Repository:
    """Load, check and cross-reference every YAML file under ``paths``."""
    with _collector_paused():
        return _load_repository(paths, root)


def _load_repository(paths: Iterable[Path], root: Path | None) -> Repository:
    path_list = list(paths)
    files = discover(path_list)
    repo = Repository(root=(root or find_root(path_list[0] if path_list else Path.cwd())).resolve())
    for path in files:
        _load_file(repo, path)
    known = {os.path.abspath(f) for f in files}
    scanned: dict[Path, list[Path]] = {}
    for rb_file in {rb.source.file for rb in repo.runbooks if not rb.policy_id}:
        for extra in policy_files_above(Path(rb_file).parent, repo.root, known, scanned):
            known.add(os.path.abspath(extra))
            before = len(repo.files)
            _load_file(repo, extra)
            del repo.files[before:]
    _attach_policies(repo)
    repo.findings.extend(references.check(repo.policies, repo.runbooks, repo.invalid_runbook_ids))
    for rb in repo.runbooks:
        repo.findings.extend(hidden_chars.check_runbook(rb))
    repo.findings = sort_findings(repo.findings)
    return repo

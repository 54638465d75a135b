"""Load a whole runbook repository: find the files, load, schema-check and model each one,
attach every runbook to its policy, then check references across files.

This is the single entry point that ``validate_runbook``, the docs plugin and the runner
use, so all three see the same model and the same findings.
"""

from __future__ import annotations

import contextlib
import gc
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from validator import attach, build, graph_checks, hidden_chars, other_yaml, references, schema
from validator.alert_rules import RuleFile, parse_rule_text
from validator.discovery import context_files, discover, display_path, find_root, leads_outside, policy_files_above
from validator.findings import Finding, Severity, sort_findings
from validator.locate import Locator
from validator.model import Policy, Runbook, Source
from validator.yamlsafe import MAX_BYTES, Loaded, load_bytes


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
    #: Policy files that failed the schema check (real path -> displayed path, id): the runbooks
    #: they govern are told once that they could not be checked against them.
    invalid_policies: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    #: Files loaded only so that references from the given files resolve (the rest of their
    #: runbook tree, the policies above them): never reported on and never linted.
    context: set[str] = field(default_factory=set)
    #: Prometheus rule files and PrometheusRule manifests found among the files: alert sources,
    #: as if given with --alert-rules (see :mod:`validator.other_yaml`).
    alert_files: list[RuleFile] = field(default_factory=list)
    #: Every file recognised as other YAML (displayed path -> what it is), rule files included.
    others: dict[str, other_yaml.Other] = field(default_factory=dict)
    #: Runbooks of the trees around those rule files that were not loaded otherwise: the alert
    #: check looks for an alert's runbook among them too, as it does for a rule file checked alone.
    alert_runbooks: list[Runbook] = field(default_factory=list)

    def checked(self, path: str) -> bool:
        """Whether findings in ``path`` are reported: it was given (or found under a given folder)."""
        return path not in self.context

    def runbook(self, key: str) -> Runbook | None:
        """A runbook by id, or by the path of its file."""
        for rb in self.runbooks:
            if rb.id == key or os.path.abspath(rb.source.file) == os.path.abspath(key):
                return rb
        return None

    def policy(self, pid: str) -> Policy | None:
        return next((p for p in self.policies if p.id == pid), None)


@dataclass(frozen=True)
class Given:
    """A document that is not read from disk (``validate_runbook -``: standard input), checked as the
    file ``path`` in its folder, so its policy and neighbours resolve, and reported as ``shown``."""

    path: Path
    shown: str
    data: bytes


def _load_file(repo: Repository, path: Path, context: bool = False, given: Given | None = None) -> None:
    shown = given.shown if given is not None else display_path(path)
    if context:
        repo.context.add(shown)
    else:
        repo.files.append(shown)
    if given is not None:
        _load_bytes(repo, path, shown, given.data, context=context)
        return
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
    _load_bytes(repo, path, shown, raw, size, context=context)


def _load_bytes(repo: Repository, path: Path, shown: str, raw: bytes, size: int | None = None,
                context: bool = False) -> None:
    size = len(raw) if size is None else size
    if size > MAX_BYTES:
        repo.findings.append(Finding(shown, 0, 0, "Y007", Severity.ERROR,
                                     f"file is {size:,} bytes, more than the {MAX_BYTES:,}-byte limit",
                                     "split it: a runbook this large is too long to follow during an incident"))
        return
    loaded = load_bytes(shown, raw)
    other = None if context else _other(loaded)
    if other is not None:
        repo.others[shown] = other
        repo.findings.append(other_yaml.finding(shown, other))
        if other.use == other_yaml.ALERTS:
            repo.alert_files.append(parse_rule_text(shown, loaded.text))
        return
    repo.findings.extend(loaded.findings)
    if loaded.data is None:
        return
    source = Source(shown, str(path), Locator(loaded.text))
    repo.sources[shown] = source
    problems = _schema_check(shown, loaded.data, source.locator)
    if problems:
        repo.findings.extend(problems)
        kind, doc_id = loaded.data.get("kind"), loaded.data.get("id")
        if kind == "runbook" and isinstance(doc_id, str):
            repo.invalid_runbook_ids.add(doc_id)
        elif kind == "policy":
            repo.invalid_policies[str(path)] = (shown, doc_id if isinstance(doc_id, str) else None)
        return
    if loaded.data["kind"] == "policy":
        repo.policies.append(build.policy(loaded.data, source))
    else:
        repo.runbooks.append(build.runbook(loaded.data, source))


def _other(loaded: Loaded) -> other_yaml.Other | None:
    """What a file is when it is plainly not a runbook or policy (its loader findings are then moot).

    A file the loader could not read as one mapping (several documents, a list) is looked at
    again as a whole; any other loader error (bad YAML, binary, an alias bomb) stands.
    """
    if loaded.data is not None:
        return other_yaml.recognise(loaded.data)
    refused = {f.message for f in loaded.findings if f.rule in ("Y001", "Y011")}
    if refused in ({"YAML syntax: more than one YAML document in the file"}, {"the top level is a list, not a mapping"}):
        return other_yaml.recognise_text(loaded.text)
    return None


def _schema_check(shown: str, data: dict[str, object], locator: Locator) -> list[Finding]:
    try:
        return schema.check(shown, data, locator)
    except RecursionError:
        return [Finding(shown, 1, 1, "Y009", Severity.ERROR, "the document nests too deeply to check", "flatten the structure")]


def _load_alert_context(repo: Repository, known: set[str], root: Path | None) -> None:
    """The runbooks a found rule file's alerts may be answered by, outside what was loaded.

    A rule file found in ``examples/`` is checked against every runbook of its tree (the whole
    repository without a policy above it), exactly as when it is passed alone; those runbooks
    are loaded apart, so nothing about them (a duplicate id, say) reaches the checked files.
    """
    side = Repository(root=repo.root)
    for path in context_files([Path(rf.path) for rf in repo.alert_files], [Path(k) for k in known], root):
        _load_file(side, path, context=True)
    repo.context.update(side.context)
    repo.alert_runbooks = side.runbooks


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


def load_repository(paths: Iterable[Path], root: Path | None = None, given: Given | None = None) -> Repository:
    """Load, check and cross-reference every YAML file under ``paths``, and the ``given`` document."""
    with _collector_paused():
        return _load_repository(paths, root, given)


def _load_repository(paths: Iterable[Path], root: Path | None, given: Given | None) -> Repository:
    on_disk = list(paths)
    files = discover(on_disk)
    path_list = [*on_disk, given.path] if given is not None else on_disk
    repo = Repository(root=(root or find_root(path_list[0] if path_list else Path.cwd())).resolve())
    for path in files:
        if given is None or os.path.abspath(path) != os.path.abspath(given.path):
            _load_file(repo, path)
    if given is not None:
        _load_file(repo, given.path, given=given)
        files = [*files, given.path]
    known = {os.path.abspath(f) for f in files}
    for path in context_files(path_list, files, root):
        known.add(os.path.abspath(path))
        _load_file(repo, path, context=True)
    scanned: dict[Path, list[Path]] = {}
    for rb_file in {rb.source.file for rb in repo.runbooks if not rb.policy_id}:
        for extra in policy_files_above(Path(rb_file).parent, repo.root, known, scanned):
            known.add(os.path.abspath(extra))
            _load_file(repo, extra, context=True)
    if repo.alert_files:
        _load_alert_context(repo, known, root)
    repo.findings.extend(attach.attach(repo.runbooks, repo.policies, repo.invalid_policies))
    repo.findings.extend(references.check(repo.policies, repo.runbooks, repo.invalid_runbook_ids))
    repo.findings.extend(graph_checks.check(repo.runbooks, repo.invalid_runbook_ids))
    for rb in repo.runbooks:
        if repo.checked(rb.source.path):  # the context is never reported on: no need to look
            repo.findings.extend(hidden_chars.check_runbook(rb))
    repo.findings = sort_findings([f for f in repo.findings if f.path not in repo.context])
    return repo

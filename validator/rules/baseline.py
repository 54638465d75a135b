"""The baseline: findings a team has accepted for now, so CI fails only on new ones.

A team adopting the linter on hundreds of old runbooks records today's findings with
``--write-baseline FILE`` and runs ``--baseline FILE`` in CI.  Entries are keyed by the file
(relative to the repository root), the rule and a fingerprint of the message and the
stripped source line, not the line number, so inserting lines above a finding does not
turn it into a "new" one.  The same finding twice is counted twice.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from validator.findings import ConfigError, Finding

VERSION = 1
Key = tuple[str, str, str]
LineOf = Callable[[str, int], str]


def relative(path: str, root: Path) -> str:
    """The finding's path relative to the repository root, with forward slashes."""
    absolute = os.path.abspath(path)
    try:
        return Path(absolute).relative_to(root).as_posix()
    except ValueError:
        return Path(absolute).as_posix()


def fingerprint(finding: Finding, line_of: LineOf) -> str:
    source_line = line_of(finding.path, finding.line).strip() if finding.line else ""
    import hashlib  # only a run with a baseline pays for OpenSSL's start-up

    digest = hashlib.sha256(f"{finding.rule}\0{finding.message}\0{source_line}".encode()).hexdigest()
    return digest[:20]


def key(finding: Finding, root: Path, line_of: LineOf) -> Key:
    return (relative(finding.path, root), finding.rule, fingerprint(finding, line_of))


def write(target: Path, findings: Iterable[Finding], root: Path, line_of: LineOf) -> None:
    """Record ``findings``; entries are sorted so the file diffs cleanly in review."""
    entries = sorted(({"path": p, "rule": r, "fingerprint": fp, "message": f.message}
                      for f in findings for p, r, fp in [key(f, root, line_of)]),
                     key=lambda e: (e["path"], e["rule"], e["fingerprint"]))
    body = json.dumps({"version": VERSION, "findings": entries}, indent=2, ensure_ascii=False) + "\n"
    temp = target.with_name(target.name + ".tmp")
    try:
        temp.write_text(body, encoding="utf-8")
        os.replace(temp, target)
    except OSError as err:
        raise ConfigError(f"{target}: cannot write the baseline: {err.strerror}") from None


def read(path: Path) -> Counter[Key]:
    """The accepted findings in ``path``; a missing or malformed file is a located error."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: baseline file not found (create it with --write-baseline {path})") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot read the baseline: {err}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise ConfigError(f"{path}:{err.lineno}:{err.colno}: not a baseline file: {err.msg}") from None
    entries = data.get("findings") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(entries, list):
        raise ConfigError(f"{path}:1: not a baseline file (expected {{\"version\": {VERSION}, \"findings\": [...]}})")
    accepted: Counter[Key] = Counter()
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in ("path", "rule", "fingerprint")):
            raise ConfigError(f"{path}: entry {i + 1} needs text fields path, rule and fingerprint")
        accepted[(entry["path"], entry["rule"], entry["fingerprint"])] += 1
    return accepted


def split(findings: list[Finding], accepted: Counter[Key], root: Path,
          line_of: LineOf) -> tuple[list[Finding], list[Finding]]:
    """The findings not covered by the baseline (each entry covers one occurrence), and the ones it
    accepts, which SARIF still reports as suppressed."""
    remaining = Counter(accepted)
    out: list[Finding] = []
    known: list[Finding] = []
    for f in findings:
        k = key(f, root, line_of)
        if remaining[k] > 0:
            remaining[k] -= 1
            known.append(f)
        else:
            out.append(f)
    return out, known

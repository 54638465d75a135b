"""Which alert rule files to read: paths and globs from ``--alert-rules`` or the ``alert_rules`` setting.

A folder means every ``.yaml``/``.yml`` file below it; a glob is expanded from the
repository root.  A path that names nothing is a usage error (exit 2), never a silent
"every alert is covered".
"""

from __future__ import annotations

import glob
from collections.abc import Iterable
from pathlib import Path

from validator.alert_rules import RuleFile, load_rule_file
from validator.findings import ConfigError

_SUFFIXES = (".yaml", ".yml")


def expand(patterns: Iterable[str | Path], root: Path) -> list[Path]:
    """Every rule file the patterns name, each once, in a stable order."""
    found: dict[Path, None] = {}
    for pattern in patterns:
        text = str(pattern)
        base = Path(text) if Path(text).is_absolute() else root / text
        if any(ch in text for ch in "*?["):
            matches = [Path(p) for p in sorted(glob.glob(str(base), recursive=True))]
            if not matches:
                raise ConfigError(f"alert rules: no file matches '{text}' (searched from {root})")
        elif base.is_dir():
            matches = sorted(p for p in base.rglob("*") if p.suffix in _SUFFIXES and p.is_file())
            if not matches:
                raise ConfigError(f"alert rules: no .yaml or .yml file under '{text}'")
        elif base.is_file():
            matches = [base]
        else:
            raise ConfigError(f"alert rules: '{text}' does not exist")
        for match in matches:
            if match.is_file():
                found.setdefault(match, None)
    return list(found)


def shown_path(path: Path, root: Path) -> str:
    """How a rule file is named in findings: relative to the working folder when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        try:
            return str(path.resolve().relative_to(root.resolve()))
        except ValueError:
            return str(path)


def load_all(patterns: Iterable[str | Path], root: Path) -> list[RuleFile]:
    return [load_rule_file(p, shown_path(p, root)) for p in expand(patterns, root)]

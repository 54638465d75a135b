"""Lint configuration: ``[tool.runbook]`` in ``pyproject.toml``, a ``.runbook.yaml``, or ``--config FILE``.

Keys: ``disable`` (rule ids), ``severity`` (``{ID = "warning"}``), ``ignore`` (glob paths
relative to the repository root), ``per_path`` (rules switched off under some paths, with the
reason: a demo folder whose contacts are fictional on purpose), ``docs_url`` (the address the
repository's MkDocs site is published at: findings link to its rule reference), ``alert_rules``
(globs of Prometheus rule files, from the repository root), ``runbook_url`` (a runbook page's
address with ``{id}``) and ``inventory`` (the Ansible inventory targeted steps run against, inside
the repository; it takes precedence over the policy's).  A mistake here silently changes what CI
checks, so every unknown key, unknown id or bad value is a :class:`ConfigError` naming the
file and line, and the command exits 2.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from validator.catalog import CORE_RULES, RuleInfo
from validator.findings import ConfigError, Severity
from validator.locate import Locator
from validator.references import suggest
from validator.yamlsafe import load_text

KEYS = ("disable", "severity", "ignore", "per_path", "docs_url", "alert_rules", "runbook_url", "inventory")
PER_PATH_KEYS = ("paths", "disable", "reason")
YAML_NAME = ".runbook.yaml"
Where = Callable[[tuple[str | int, ...], str | None], str]


def _matches(relative: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(relative, pat) or fnmatch.fnmatchcase(relative, pat.rstrip("/") + "/*") for pat in patterns)


@dataclass(frozen=True)
class PerPath:
    """Rules switched off for files under ``paths``, and why (the reason is required)."""

    paths: tuple[str, ...]
    disable: frozenset[str]
    reason: str


@dataclass(frozen=True)
class Config:
    """What the team changed from the defaults, and where that was written."""

    disable: frozenset[str] = frozenset()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    ignore: tuple[str, ...] = ()
    docs_url: str | None = None  # the published site's base address; None: findings name `runbook rules ID`
    origin: str | None = None
    per_path: tuple[PerPath, ...] = ()
    alert_rules: tuple[str, ...] = ()
    runbook_url: str | None = None
    inventory: str | None = None

    def ignored(self, relative: str) -> bool:
        """Whether a path (relative to the repository root, with /) matches an ``ignore`` glob."""
        return _matches(relative, self.ignore)

    def disabled_at(self, relative: str) -> frozenset[str]:
        """The rules a ``per_path`` entry switches off for this path (relative to the root, with /)."""
        off: frozenset[str] = frozenset()
        for entry in self.per_path:
            if _matches(relative, entry.paths):
                off |= entry.disable
        return off


def load(root: Path, explicit: Path | None, rules: Mapping[str, RuleInfo]) -> Config:
    """The configuration that applies: ``explicit`` if given, else pyproject.toml, else .runbook.yaml."""
    if explicit is not None:
        if explicit.suffix == ".toml":
            return _from_toml(explicit, rules, required=True)
        return _from_yaml(explicit, rules)
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        found = _from_toml(pyproject, rules, required=False)
        if found.origin is not None:
            return found
    dotfile = root / YAML_NAME
    return _from_yaml(dotfile, rules) if dotfile.is_file() else Config()


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot read the configuration: {err}") from None


def _from_toml(path: Path, rules: Mapping[str, RuleInfo], required: bool) -> Config:
    text = _read(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(_toml_error(path, text, str(err))) from None
    table = data.get("tool", {}).get("runbook")
    if table is None:
        if required:
            raise ConfigError(f"{path}:1: no [tool.runbook] table in this file")
        return Config()
    return _validate(table, _toml_where(path, text), rules, str(path))


def _toml_error(path: Path, text: str, message: str) -> str:
    """``file:line:col: problem`` from tomllib's "problem (at line L, column C)"."""
    match = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
    if match:
        return f"{path}:{match.group(1)}:{match.group(2)}: TOML syntax: {message[:match.start()]}"
    if message.endswith(" (at end of document)"):
        problem = message.removesuffix(" (at end of document)")
        return f"{path}:{max(text.count(chr(10)), 1)}: TOML syntax: {problem} at the end of the file"
    return f"{path}: TOML syntax: {message}"


def _from_yaml(path: Path, rules: Mapping[str, RuleInfo]) -> Config:
    loaded = load_text(str(path), _read(path))
    if loaded.findings:
        first = loaded.findings[0]
        raise ConfigError(f"{path}:{first.line}:{first.col}: {first.message}")
    data = loaded.data or {}
    locator = Locator(loaded.text)

    def where(at: tuple[str | int, ...], value: str | None) -> str:
        line, col = locator.locate(list(at), key=value is None)
        return f"{path}:{line}:{col}"

    return _validate(data, where, rules, str(path))


def _toml_where(path: Path, text: str) -> Where:
    """Lines for TOML, which tomllib does not give: the key's line, or the line naming ``value``."""
    lines = text.splitlines()
    start = next((i for i, ln in enumerate(lines) if re.match(r"\s*\[\[?tool\.runbook[\].]", ln)), 0)
    end = next((i for i in range(start + 1, len(lines)) if re.match(r"\s*\[(?!\[?tool\.runbook\b)", lines[i])), len(lines))

    def where(at: tuple[str | int, ...], value: str | None) -> str:
        needles = [re.compile(rf"^\s*{re.escape(str(at[0]))}\s*=|^\s*\[\[?tool\.runbook\.{re.escape(str(at[0]))}\]")]
        if value is not None:
            needles.insert(0, re.compile(rf"""(?<![\w.-]){re.escape(value)}(?![\w.-])"""))
        for needle in needles:
            for i in range(start, end):
                if needle.search(lines[i]):
                    return f"{path}:{i + 1}"
        return f"{path}:{start + 1}"

    return where


def _rule_id(value: Any, at: tuple[str | int, ...], where: Where, rules: Mapping[str, RuleInfo]) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{where(at, None)}: a rule id is text such as 'C101', not {value!r}")
    if value in rules:
        return value
    if value in CORE_RULES:
        raise ConfigError(f"{where(at, value)}: {value} is a core validation check, not a lint rule; it cannot be configured")
    from validator.rules.registry import suggest_id

    raise ConfigError(f"{where(at, value)}: unknown rule id '{value}' ({suggest_id(value, rules)})")


def _validate(data: Any, where: Where, rules: Mapping[str, RuleInfo], origin: str) -> Config:
    if not isinstance(data, dict):
        raise ConfigError(f"{where((), None)}: the configuration must be a table of settings")
    for key in data:
        if key not in KEYS:
            raise ConfigError(f"{where((key,), None)}: unknown setting '{key}' ({suggest(str(key), KEYS)})")
    disable = data.get("disable", [])
    if not isinstance(disable, list):
        raise ConfigError(f"{where(('disable',), None)}: 'disable' is a list of rule ids")
    disabled = frozenset(_rule_id(v, ("disable", i), where, rules) for i, v in enumerate(disable))
    severity_table = data.get("severity", {})
    if not isinstance(severity_table, dict):
        raise ConfigError(f"{where(('severity',), None)}: 'severity' is a table such as {{C101 = \"warning\"}}")
    severities: dict[str, Severity] = {}
    for rule_id, level in severity_table.items():
        _rule_id(rule_id, ("severity", rule_id), where, rules)
        try:
            severities[rule_id] = Severity(level)
        except ValueError:
            at = where(("severity", rule_id), str(level))
            raise ConfigError(f"{at}: severity of {rule_id} must be error, warning or info, not {level!r}") from None
    ignore = data.get("ignore", [])
    if not isinstance(ignore, list) or not all(isinstance(p, str) and p.strip() for p in ignore):
        raise ConfigError(f"{where(('ignore',), None)}: 'ignore' is a list of glob paths such as 'legacy/**'")
    docs_url = data.get("docs_url")
    if docs_url is not None and (not isinstance(docs_url, str) or not re.fullmatch(r"https?://[^\s#?]+", docs_url)):
        raise ConfigError(f"{where(('docs_url',), None)}: 'docs_url' is the address the runbook site is published at, "
                          f"an http(s) address without '#' or '?' such as 'https://runbooks.example.com/', not {docs_url!r}")
    if docs_url is not None and not docs_url.endswith("/"):
        docs_url += "/"  # a base address: the rule reference is under it
    alert_rules = data.get("alert_rules", [])
    if not isinstance(alert_rules, list) or not all(isinstance(p, str) and p.strip() for p in alert_rules):
        raise ConfigError(f"{where(('alert_rules',), None)}: 'alert_rules' is a list of paths or globs "
                          "such as 'monitoring/**/*.yaml'")
    runbook_url = data.get("runbook_url")
    if runbook_url is not None and (not isinstance(runbook_url, str) or "{id}" not in runbook_url
                                    or not re.fullmatch(r"https?://\S+", runbook_url)):
        raise ConfigError(f"{where(('runbook_url',), None)}: 'runbook_url' is an http(s) address with {{id}} where the "
                          f"runbook id goes, such as 'https://runbooks.example.org/runbooks/{{id}}/', not {runbook_url!r}")
    per_path = tuple(_per_path(entry, i, where, rules) for i, entry in enumerate(_list(data, "per_path", where)))
    inventory = data.get("inventory")
    if inventory is not None and (not isinstance(inventory, str) or not inventory.strip() or inventory.startswith("/")
                                  or ".." in Path(inventory).parts):
        raise ConfigError(f"{where(('inventory',), None)}: 'inventory' is a path inside the repository, relative to its "
                          f"root, such as 'inventory/production.ini', not {inventory!r}")
    return Config(disabled, severities, tuple(_relative_glob(p) for p in ignore), docs_url, origin, per_path,
                  tuple(_relative_glob(p) for p in alert_rules), runbook_url, inventory)


def _list(data: dict[str, Any], key: str, where: Where) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise ConfigError(f"{where((key,), None)}: '{key}' is a list of tables with paths, disable and reason")
    return value


def _per_path(entry: Any, i: int, where: Where, rules: Mapping[str, RuleInfo]) -> PerPath:
    at = ("per_path", i)
    if not isinstance(entry, dict):
        raise ConfigError(f"{where(at, None)}: each per_path entry is a table with paths, disable and reason")
    for key in entry:
        if key not in PER_PATH_KEYS:
            raise ConfigError(f"{where((*at, key), None)}: unknown per_path setting '{key}' ({suggest(str(key), PER_PATH_KEYS)})")
    paths = entry.get("paths")
    if not isinstance(paths, list) or not paths or not all(isinstance(p, str) and p.strip() for p in paths):
        raise ConfigError(f"{where((*at, 'paths'), None)}: per_path 'paths' is a list of glob paths such as 'examples/**'")
    disable = entry.get("disable")
    if not isinstance(disable, list) or not disable:
        raise ConfigError(f"{where((*at, 'disable'), None)}: per_path 'disable' is a list of rule ids")
    reason = entry.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise ConfigError(f"{where(at, None)}: a per_path entry needs a reason: why these rules do not apply there")
    ids = frozenset(_rule_id(v, (*at, "disable", j), where, rules) for j, v in enumerate(disable))
    return PerPath(tuple(_relative_glob(p) for p in paths), ids, reason.strip())


def _relative_glob(pattern: str) -> str:
    pattern = pattern.strip()
    return pattern[2:] if pattern.startswith("./") else pattern

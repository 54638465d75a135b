"""Which hosts an Ansible inventory holds and which of them a host pattern names, for lint.

The runner resolves ``targets:`` with Ansible itself; lint must not import Ansible or run
anything (the core stays a pure function of the files), and no library already installed reads
Ansible's inventory formats, so this module reads the two static ones Ansible documents: INI
(``[group]``, ``[group:children]``, ``[group:vars]``, ``web[01:20].example.org``) and YAML
(``all: {hosts: …, children: …}``), a file or a folder of them.  Anything else (an inventory
script, a plugin configuration such as ``plugin: aws_ec2``) is :class:`Unreadable`: its hosts
are only known at run time, so lint says nothing about it rather than guess.

Patterns follow Ansible's: ``all`` or ``*``, names of hosts and groups, ``*``/``?`` wildcards,
``~regex``, subscripts (``web[0]``, ``web[1:3]``), and ``a:b`` / ``a,b`` unions with ``&``
intersections and ``!`` exclusions (unions first, then intersections, then exclusions).
"""

from __future__ import annotations

import fnmatch
import os
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from validator.model import Policy

IMPLICIT_LOCALHOST = ("localhost", "127.0.0.1", "::1")
_RANGE = re.compile(r"\[([0-9a-zA-Z]+):([0-9a-zA-Z]+)(?::([0-9]+))?\]")
_SUBSCRIPT = re.compile(r"^(.+)\[(-?[0-9]+)(?::(-?[0-9]*))?\]$")
_SKIPPED_SUFFIXES = (".orig", ".ini~", ".retry", ".pyc", ".pyo", "~", ".cfg", ".md", ".txt", ".rst", ".j2")


class Unreadable(Exception):
    """The inventory cannot be read: missing, outside the repository, or not valid (``dynamic`` false),
    or not a static INI or YAML inventory, so its hosts are known only at run time (``dynamic``)."""

    def __init__(self, message: str, dynamic: bool = False) -> None:
        super().__init__(message)
        self.dynamic = dynamic


def chosen(root: Path, configured: str | None, policy: Policy | None, given: Path | None = None) -> tuple[Path, str] | None:
    """The inventory targeted steps use, and who named it: ``--inventory`` (``given``), else the
    configuration's ``inventory`` setting (from the repository root), else the policy's (from the
    policy file's folder, where a team keeps it beside the policy)."""
    if given is not None:
        return given, "--inventory"
    if configured:
        return root / configured, "the configuration's inventory setting"
    if policy is not None and policy.inventory:
        return Path(policy.source.file).parent / policy.inventory, "the policy's inventory"
    return None


def read_inside(root: Path, path: Path) -> Inventory:
    """:func:`read`, refusing a path that leads out of the repository (a symbolic link, say)."""
    if not path.resolve().is_relative_to(root.resolve()):
        raise Unreadable(f"{path} is outside the repository {root}")
    return read(path)


@dataclass
class Inventory:
    """Hosts in the order they are first named, and each group's direct hosts and children."""

    hosts: list[str] = field(default_factory=list)
    groups: dict[str, list[str]] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)

    def add_host(self, host: str, group: str | None = None) -> None:
        if host not in self.hosts:
            self.hosts.append(host)
        if group is not None:
            members = self.groups.setdefault(group, [])
            if host not in members:
                members.append(host)

    def add_child(self, group: str, child: str) -> None:
        self.groups.setdefault(group, [])
        self.groups.setdefault(child, [])
        kids = self.children.setdefault(group, [])
        if child not in kids:
            kids.append(child)

    def members(self, group: str, seen: frozenset[str] = frozenset()) -> list[str]:
        """A group's hosts, its children's included, in inventory order."""
        if group in ("all",):
            return list(self.hosts)
        if group == "ungrouped":  # hosts of no group but all
            grouped = {h for g in self.groups if g not in ("all", "ungrouped") for h in self.members(g)}
            return [h for h in self.hosts if h not in grouped]
        found = set(self.groups.get(group, []))
        for child in self.children.get(group, []):
            if child not in seen:
                found.update(self.members(child, seen | {group}))
        return [h for h in self.hosts if h in found]


def expand(name: str) -> list[str]:
    """``web[01:03].example.org`` -> three names (Ansible's ranges: numbers keep their padding, letters too)."""
    match = _RANGE.search(name)
    if match is None:
        return [name]
    first, last, stride = match.group(1), match.group(2), int(match.group(3) or 1)
    head, tail = name[: match.start()], name[match.end():]
    if first.isdigit() and last.isdigit():
        width = len(first) if first.startswith("0") else 0
        items = [str(i).zfill(width) for i in range(int(first), int(last) + 1, max(stride, 1))]
    elif len(first) == len(last) == 1 and first.isalpha() and last.isalpha():
        letters = string.ascii_letters
        items = list(letters[letters.index(first): letters.index(last) + 1: max(stride, 1)])
    else:
        return [name]
    return [h for item in items for h in expand(head + item + tail)]


def read(path: Path) -> Inventory:
    """The static inventory at ``path`` (a file, or a folder of files as Ansible reads one)."""
    inv = Inventory()
    if path.is_dir():
        for entry in sorted(path.iterdir()):
            if entry.name.startswith(".") or entry.name in ("group_vars", "host_vars") or entry.name.endswith(_SKIPPED_SUFFIXES):
                continue
            _read_file(entry, inv)
        return inv
    _read_file(path, inv)
    return inv


def _read_file(path: Path, inv: Inventory) -> None:
    if not path.is_file():
        raise Unreadable(f"{path} does not exist")
    if os.access(path, os.X_OK) and path.suffix not in (".ini", ".yaml", ".yml"):
        raise Unreadable(f"{path} is an inventory script: its hosts are known only when it runs", dynamic=True)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise Unreadable(f"{path} cannot be read ({err})") from None
    if path.suffix in (".yaml", ".yml", ".json") or _looks_yaml(text):
        _read_yaml(path, text, inv)
    else:
        _read_ini(path, text, inv)


def _looks_yaml(text: str) -> bool:
    first = next((ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith(("#", ";"))), "")
    return first.rstrip().endswith(":") or first.startswith("---")


def _read_ini(path: Path, text: str, inv: Inventory) -> None:
    section, kind = "ungrouped", "hosts"
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            name, _, kind = line[1:-1].partition(":")
            section, kind = name.strip(), kind.strip() or "hosts"
            if kind not in ("hosts", "children", "vars"):
                raise Unreadable(f"{path}:{number}: [{line[1:-1]}] is not a group, :children or :vars section")
            inv.groups.setdefault(section, [])
            continue
        word = line.split()[0].split("#")[0]
        if kind == "hosts":
            for host in expand(word):
                inv.add_host(host, section)
        elif kind == "children":
            inv.add_child(section, word)


def _read_yaml(path: Path, text: str, inv: Inventory) -> None:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise Unreadable(f"{path} is not valid YAML ({err})") from None
    if not isinstance(data, dict):
        raise Unreadable(f"{path} is not an inventory (its top level is not a mapping of groups)")
    if "plugin" in data:
        raise Unreadable(f"{path} configures the inventory plugin {data['plugin']!r}: its hosts are known only at run time",
                         dynamic=True)
    for group, body in data.items():
        _yaml_group(path, str(group), body, inv)


def _yaml_group(path: Path, group: str, body: Any, inv: Inventory) -> None:
    inv.groups.setdefault(group, [])
    if body is None:
        return
    if not isinstance(body, dict):
        raise Unreadable(f"{path}: group {group!r} is not a mapping of hosts, children and vars")
    hosts = body.get("hosts") or {}
    for name in hosts if isinstance(hosts, (dict, list)) else []:
        for host in expand(str(name)):
            inv.add_host(host, group)
    children = body.get("children") or {}
    for child, child_body in (children.items() if isinstance(children, dict) else []):
        inv.add_child(group, str(child))
        _yaml_group(path, str(child), child_body, inv)


def split(pattern: str) -> list[str]:
    """The terms of a pattern: ``a:&b:!c`` or ``a,&b,!c`` (a ``~regex`` term keeps its colons only with commas)."""
    if "," in pattern:
        return [t.strip() for t in pattern.split(",") if t.strip()]
    return [t.strip() for t in re.split(r":(?![^\[]*\])", pattern) if t.strip()]


def _term(inv: Inventory, term: str) -> list[str]:
    sub = _SUBSCRIPT.match(term)
    if sub is not None and not term.startswith("~"):
        found = _term(inv, sub.group(1))
        start = int(sub.group(2))
        if sub.group(3) is None:
            return found[start: start + 1] if start != -1 else found[-1:]
        end = int(sub.group(3)) if sub.group(3) else len(found) - 1
        return found[start: end + 1]
    if term in ("all", "*"):
        return list(inv.hosts)
    if term.startswith("~"):
        try:
            regex = re.compile(term[1:])
        except re.error:
            return []
        names = [g for g in inv.groups if regex.match(g)]
        return _union([*(h for g in names for h in inv.members(g)), *(h for h in inv.hosts if regex.match(h))], inv)
    if any(c in term for c in "*?["):
        regex = re.compile(fnmatch.translate(term))
        names = [g for g in inv.groups if regex.match(g)]
        return _union([*(h for g in names for h in inv.members(g)), *(h for h in inv.hosts if regex.match(h))], inv)
    if term in inv.groups or term == "ungrouped":
        return inv.members(term)
    if term in inv.hosts:
        return [term]
    return [term] if term in IMPLICIT_LOCALHOST else []


def _union(hosts: list[str], inv: Inventory) -> list[str]:
    wanted = set(hosts)
    return [h for h in inv.hosts if h in wanted] + [h for h in dict.fromkeys(hosts) if h not in inv.hosts]


def match(inv: Inventory, pattern: str) -> list[str]:
    """The hosts ``pattern`` names, in inventory order."""
    terms = split(pattern)
    unions = [t for t in terms if t[0] not in "&!"] or ["all"]
    chosen: list[str] = []
    for term in unions:
        chosen += [h for h in _term(inv, term) if h not in chosen]
    for term in (t for t in terms if t[0] == "&"):
        keep = set(_term(inv, term[1:]))
        chosen = [h for h in chosen if h in keep]
    for term in (t for t in terms if t[0] == "!"):
        drop = set(_term(inv, term[1:]))
        chosen = [h for h in chosen if h not in drop]
    return chosen

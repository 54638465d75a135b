"""The other YAML a runbook repository holds, recognised by content so it is not reported as a broken runbook.

Repositories keep Prometheus rule files, Kubernetes manifests, Ansible inventories,
``mkdocs.yml``, CI workflows and compose files next to their runbooks, and the pre-commit
hook's ``files: \\.(ya?ml)$`` hands all of them to the validator.  :func:`recognise` says what
such a document is; the loader then uses rule files and ``PrometheusRule`` manifests as alert
sources and skips the rest with one info finding (:data:`NOT_A_RUNBOOK`).

The test is by content, never by file name alone, and it leans towards "runbook": a document
that names ``kind: runbook``/``policy`` (or a near miss such as ``Runbook`` or ``runbok``), or
carries keys only runbooks and policies have (``steps``, ``severity``, ``severities``...), is
checked as today, so a broken runbook is still an error.  Only a document that is plainly
something else is skipped.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from validator import yamlsafe
from validator.findings import Finding, Severity

#: The info finding of a YAML file that is not a runbook or policy.
NOT_A_RUNBOOK = "Y016"
ALERTS, INVENTORY, SKIP = "alerts", "inventory", ""
_KINDS = ("runbook", "policy")
# Keys of the runbook and policy formats that other YAML rarely has at its top level.
_MARKS = frozenset(
    {
        "steps",
        "severity",
        "service",
        "severities",
        "symptoms",
        "detection",
        "impact",
        "inputs",
        "verify",
        "rollback",
        "post_incident",
        "escalation",
        "related",
        "drills",
        "alerts",
        "contacts",
        "roles",
        "objectives",
        "templates",
        "review",
    }
)
_GENERIC = frozenset({"version", "kind", "id", "title"})  # common elsewhere too: two of them are needed
_NODE_BUDGET = 5_000  # nodes converted per file when only its outline is needed


@dataclass(frozen=True)
class Other:
    """What a document that is not a runbook or policy is, and what the validator does with it."""

    what: str  # "a Prometheus rule file", read as a person would say it
    use: str = SKIP  # ALERTS (read as an alert source), INVENTORY, or SKIP
    manifest: str = ""  # the kind of a Kubernetes-style manifest (apiVersion and kind)


def _near_ours(kind: str) -> bool:
    low = kind.strip().lower()
    return any(k in low or difflib.SequenceMatcher(None, low, k).ratio() >= 0.75 for k in _KINDS)


def _dicts(value: Any) -> list[Mapping[str, Any]]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def _is_inventory(doc: Mapping[str, Any]) -> bool:
    """Ansible's YAML inventory: every top-level value a group of ``hosts``/``children``/``vars``."""
    groups = list(doc.values())
    if not groups or not all(g is None or isinstance(g, Mapping) for g in groups):
        return False
    bodies = [g for g in groups if isinstance(g, Mapping)]
    return all(set(g) <= {"hosts", "children", "vars"} for g in bodies) and any({"hosts", "children"} & set(g) for g in bodies)


def _mapping(doc: Mapping[str, Any]) -> Other | None:
    keys = set(doc)
    kind, api = doc.get("kind"), doc.get("apiVersion")
    if "kind" in doc and (kind in _KINDS or not isinstance(kind, str)):
        return None
    if isinstance(api, str) and isinstance(kind, str) and kind:
        if kind == "PrometheusRule":
            return Other("a PrometheusRule manifest", ALERTS, kind)
        return Other(f"a Kubernetes manifest (kind: {kind})", SKIP, kind)
    if isinstance(kind, str) and _near_ours(kind):
        return None
    rules = [r for g in _dicts(doc.get("groups")) for r in _dicts(g.get("rules"))]
    if any("alert" in r or "record" in r for r in rules):
        return Other("a Prometheus rule file", ALERTS)
    if "plugin" in doc and len(doc) <= 8 and not keys & _MARKS:
        return Other("an Ansible inventory plugin configuration", INVENTORY)
    if _is_inventory(doc):
        return Other("an Ansible inventory", INVENTORY)
    found = _other_format(doc, keys, kind)
    if found is not None:
        return found
    if keys & _MARKS or len(keys & _GENERIC) >= 2:
        return None  # a runbook or policy with its kind missing or mistyped: an error, as ever
    return Other(f"a document of kind '{kind}'" if isinstance(kind, str) else "YAML with no `kind:` and none of the runbook keys")


def _other_format(doc: Mapping[str, Any], keys: set[str], kind: Any) -> Other | None:
    """Configuration files of the tools that live in the same repositories."""
    if "site_name" in keys:
        return Other("an MkDocs configuration")
    if isinstance(doc.get("jobs"), Mapping) and "on" in keys:
        return Other("a GitHub Actions workflow")
    if isinstance(doc.get("runs"), Mapping) and "using" in doc["runs"]:
        return Other("a GitHub Actions action")
    if isinstance(doc.get("services"), Mapping) and all(v is None or isinstance(v, Mapping) for v in doc["services"].values()):
        return Other("a Docker Compose file")
    if _dicts(doc.get("repos")) and all("repo" in r for r in _dicts(doc.get("repos"))):
        return Other("a pre-commit configuration")
    if isinstance(doc.get("stages"), list) or any(isinstance(v, Mapping) and "script" in v for v in doc.values()):
        return Other("a GitLab CI configuration")
    if keys & {"trigger", "pool", "pr"} and keys & {"steps", "jobs", "stages"}:
        return Other("an Azure Pipelines definition")
    if kind == "pipeline" and "type" in keys:
        return Other("a Drone CI pipeline")
    if "updates" in keys and "version" in keys:
        return Other("a Dependabot configuration")
    if {"apiVersion", "name", "version"} <= keys:
        return Other("a Helm chart definition")
    return None


def _sequence(items: list[Any]) -> Other | None:
    """A top-level list is never a runbook; it is skipped unless an item looks like one."""
    if not items:
        return None
    maps = _dicts(items)
    if any(_mapping(m) is None for m in maps):
        return None
    if maps and all("hosts" in m or "import_playbook" in m for m in maps):
        return Other("an Ansible playbook")
    if maps and all({"id", "entry"} <= set(m) for m in maps):
        return Other("a pre-commit hooks definition")
    return Other("a YAML list (a runbook is a mapping)") if len(maps) == len(items) else None


def recognise(data: Any) -> Other | None:
    """What one loaded document is, or None when it is (or may be meant as) a runbook or policy."""
    if isinstance(data, Mapping):
        return _mapping(data)
    if isinstance(data, list):
        return _sequence(data)
    return None


def recognise_text(text: str) -> Other | None:
    """What a file the runbook loader refused as a whole (several documents, a top-level list) is.

    Every document must be something else: one that may be a runbook keeps the loader's error.
    """
    try:
        docs = [_plain(node, [0]) for node in yaml.compose_all(text, Loader=yamlsafe.Composer) if node is not None]
    except yaml.YAMLError:
        return None
    found = [recognise(doc) for doc in docs]
    if not found or any(f is None for f in found):
        return None
    kinds = [f for f in found if f is not None]
    if len(kinds) == 1:
        return kinds[0]
    use = ALERTS if any(f.use == ALERTS for f in kinds) else SKIP
    if all(f.manifest for f in kinds):
        return Other(f"{len(kinds)} Kubernetes manifests (kind: {', '.join(sorted({f.manifest for f in kinds}))})", use)
    return Other(f"{len(kinds)} documents ({'; '.join(sorted({f.what for f in kinds}))})", use)


def _plain(node: yaml.Node, budget: list[int], depth: int = 0) -> Any:
    """The outline of a node as plain data (text, lists, mappings), bounded in depth and size."""
    budget[0] += 1
    if depth > 6 or budget[0] > _NODE_BUDGET:
        return None
    if isinstance(node, yaml.MappingNode):
        return {str(k.value) if isinstance(k, yaml.ScalarNode) else "": _plain(v, budget, depth + 1) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_plain(v, budget, depth + 1) for v in node.value]
    return node.value


def finding(path: str, other: Other) -> Finding:
    """The one located info line for a file that is not a runbook: what it is and what was done with it."""
    if other.use == ALERTS:
        message = f"{other.what}: read for its alerts, as --alert-rules would, not as a runbook"
    elif other.use == INVENTORY:
        message = (
            f"{other.what}: not a runbook, skipped; name it with `inventory:` in the policy "
            "or the configuration for targeted steps to be checked against it"
        )
    else:
        message = f"skipped: {other.what}, not a runbook or policy"
    hint = "to keep other YAML from the pre-commit hook, narrow its `files:` (e.g. `files: ^runbooks/`) or add an `exclude:`"
    return Finding(path, 1, 1, NOT_A_RUNBOOK, Severity.INFO, message, hint)

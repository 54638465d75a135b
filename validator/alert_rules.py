"""Prometheus alerting rules as teams keep them: rule-group files and Kubernetes ``PrometheusRule`` resources.

Only what the runbook checks need is read: each alert's name, labels, annotations and
where its ``alert:`` and ``runbook_url`` sit in the file.  Recording rules are skipped.
Files are composed (not constructed) with LibYAML, so positions come for free and a
file of thousands of alerts costs about as much as a plain load.  A file that is not
readable YAML, or holds no rule groups, becomes a located finding, never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from validator import yamlsafe
from validator.findings import Finding, Severity

MAX_RULE_FILE_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class AlertRule:
    """One alerting rule: ``alert`` with its labels and annotations, and where it is written."""

    name: str
    path: str
    line: int
    col: int
    labels: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    annotations: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    url_position: tuple[int, int] | None = None

    @property
    def runbook_url(self) -> str | None:
        return self.annotations.get("runbook_url")


@dataclass
class RuleFile:
    path: str
    alerts: list[AlertRule] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def _problem(path: str, line: int, col: int, message: str, hint: str = "") -> Finding:
    return Finding(path, line, col, "A001", Severity.ERROR, message, hint)


def _get(node: yaml.Node, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                found: yaml.Node = v
                return found
    return None


def _strings(node: yaml.Node | None) -> dict[str, str]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: v.value for k, v in node.value
            if isinstance(k, yaml.ScalarNode) and isinstance(v, yaml.ScalarNode)}


def _groups(doc: yaml.Node) -> yaml.Node | None:
    """The ``groups`` list of a rule file, or of a PrometheusRule resource's ``spec``."""
    kind = _get(doc, "kind")
    if isinstance(kind, yaml.ScalarNode) and kind.value == "PrometheusRule":
        spec = _get(doc, "spec")
        return _get(spec, "groups") if spec is not None else None
    return _get(doc, "groups")


def _alerts_in(path: str, groups: yaml.Node) -> list[AlertRule]:
    found: list[AlertRule] = []
    for group in groups.value if isinstance(groups, yaml.SequenceNode) else []:
        rules = _get(group, "rules")
        for rule in rules.value if isinstance(rules, yaml.SequenceNode) else []:
            alert = _get(rule, "alert")
            if not isinstance(alert, yaml.ScalarNode):
                continue  # a recording rule, or not a rule at all
            annotations = _get(rule, "annotations")
            url = _get(annotations, "runbook_url") if annotations is not None else None
            found.append(AlertRule(
                alert.value, path, alert.start_mark.line + 1, alert.start_mark.column + 1,
                _strings(_get(rule, "labels")), _strings(annotations),
                (url.start_mark.line + 1, url.start_mark.column + 1) if url is not None else None))
    return found


def parse_rule_text(path: str, text: str) -> RuleFile:
    """Alerts of every document in ``text`` (a file may hold several resources separated by ``---``)."""
    result = RuleFile(path)
    deep = yamlsafe.depth_problem(path, text)
    if deep is not None:
        result.findings.append(deep)
        return result
    any_groups = False
    try:
        for doc in yaml.compose_all(text, Loader=yamlsafe.Composer):
            groups = _groups(doc) if doc is not None else None
            if groups is not None:
                any_groups = True
                result.alerts.extend(_alerts_in(path, groups))
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        result.findings.append(_problem(path, line, col, f"YAML syntax: {err.problem or err.context}"))
        return result
    except yaml.YAMLError as err:
        result.findings.append(_problem(path, 0, 0, f"YAML syntax: {err}"))
        return result
    if not any_groups:
        result.findings.append(_problem(
            path, 1, 1, "no alerting rules here: expected `groups:` or a PrometheusRule resource",
            "pass Prometheus rule files or PrometheusRule manifests to --alert-rules"))
    return result


def load_rule_file(path: Path, shown: str | None = None) -> RuleFile:
    """Read and parse one rule file; unreadable, oversized or non-UTF-8 files become findings."""
    name = shown or str(path)
    try:
        if path.stat().st_size > MAX_RULE_FILE_BYTES:
            return RuleFile(name, findings=[_problem(name, 0, 0, f"rule file is over {MAX_RULE_FILE_BYTES:,} bytes")])
        raw = path.read_bytes()
    except OSError as err:
        return RuleFile(name, findings=[_problem(name, 0, 0, f"cannot read the rule file: {err.strerror}")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return RuleFile(name, findings=[_problem(name, 0, 0, "the rule file is not UTF-8 text", "save it as UTF-8")])
    return parse_rule_text(name, text)

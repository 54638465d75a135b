"""Every alert has a runbook: cross-check alerting rules against the runbooks that answer them.

An alert is covered when a runbook names it under ``alerts:`` (its label matchers satisfied
by the rule's labels) or when its ``runbook_url`` annotation resolves to a runbook.  What
resolves is decided by the site's URL pattern for a runbook (``runbook_url`` in the
configuration, e.g. ``https://runbooks.example.org/runbooks/{id}/``); without one, a URL
resolves when its last path segment is a runbook id.

Findings (``A1xx``) are located in the rule file for alert problems and in the runbook for
an alert no rule defines, so CI annotations land where the fix goes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from validator.alert_rules import AlertRule, RuleFile
from validator.findings import Finding, Severity
from validator.model import Runbook
from validator.references import suggest

UrlResolver = Callable[[str], str | None]


def _last_segment(url: str) -> str:
    path = urlsplit(url).path.rstrip("/")
    last = path.rsplit("/", 1)[-1]
    for suffix in (".html", ".md", ".yaml", ".yml"):
        last = last.removesuffix(suffix)
    return last


def url_resolver(pattern: str | None) -> UrlResolver:
    """A function from a ``runbook_url`` to the runbook id it names (None when it names none).

    With a pattern, the URL must match it (``{id}`` standing for the id; a trailing slash,
    ``.html``, a query or a fragment are tolerated); without one, the last path segment is read.
    """
    if not pattern:
        return lambda url: _last_segment(url) or None
    head, _, tail = pattern.partition("{id}")
    tail = tail.rstrip("/").removesuffix(".html")
    regex = re.compile(re.escape(head) + r"(?P<id>[A-Za-z0-9][A-Za-z0-9_.-]*?)" + re.escape(tail)
                       + r"(?:\.html)?/?(?:[?#].*)?")

    def resolve(url: str) -> str | None:
        match = regex.fullmatch(url.strip())
        return match.group("id") if match else None

    return resolve


def runbook_url(pattern: str | None, runbook_id: str) -> str:
    """The address of a runbook's page under the pattern (empty without a pattern)."""
    return pattern.replace("{id}", runbook_id) if pattern else ""


@dataclass(frozen=True)
class Coverage:
    """Which runbook answers one alert rule, and how that was decided."""

    alert: AlertRule
    runbook: str | None
    how: str  # "named" (the runbook lists it), "url" (its runbook_url), or "" (none)


def _named_by(alert: AlertRule, runbooks: Sequence[Runbook]) -> str | None:
    return next((rb.id for rb in runbooks for a in rb.alerts if a.matches(alert.name, alert.labels)), None)


def coverage(rule_files: Iterable[RuleFile], runbooks: Sequence[Runbook], pattern: str | None) -> list[Coverage]:
    """For every alert rule, the runbook that answers it (a runbook naming it wins over its URL)."""
    resolve = url_resolver(pattern)
    ids = {rb.id for rb in runbooks}
    rows: list[Coverage] = []
    for rule_file in rule_files:
        for alert in rule_file.alerts:
            named = _named_by(alert, runbooks)
            if named is not None:
                rows.append(Coverage(alert, named, "named"))
                continue
            target = resolve(alert.runbook_url) if alert.runbook_url and "{{" not in alert.runbook_url else None
            rows.append(Coverage(alert, target, "url") if target in ids else Coverage(alert, None, ""))
    return rows


def _finding(path: str, line: int, col: int, rule: str, severity: Severity, message: str, hint: str) -> Finding:
    return Finding(path, line, col, rule, severity, message, hint)


def check(rule_files: Sequence[RuleFile], runbooks: Sequence[Runbook], pattern: str | None,
          checked: Callable[[str], bool] = lambda path: True, unknown_alerts: bool = True) -> list[Finding]:
    """A101 alert without a runbook, A102 runbook_url naming no runbook, A103 a runbook's alert no rule defines,
    A104 a runbook_url that names another runbook than the one listing the alert.

    Every runbook answers alerts, but A103 is reported only for the runbooks being ``checked``
    (a file validated alone still sees its folder's runbooks as context), and only with ``unknown_alerts``
    (the rule files are all the alerts there are)."""
    findings = [f for rf in rule_files for f in rf.findings]
    resolve = url_resolver(pattern)
    ids = sorted(rb.id for rb in runbooks)
    known = set(ids)
    for row in coverage(rule_files, runbooks, pattern):
        alert, url = row.alert, row.alert.runbook_url
        templated = bool(url and "{{" in url)
        target = resolve(url) if url and not templated else None
        if url and not templated and target not in known:
            line, col = alert.url_position or (alert.line, alert.col)
            expected = f"; expected {pattern}" if pattern else ""
            hint = (suggest(target, ids) if target else "") or (f"runbook URLs look like {pattern}" if pattern else
                                                                  "the last part of the address must be a runbook id")
            findings.append(_finding(alert.path, line, col, "A102", Severity.ERROR,
                                     f"runbook_url of alert '{alert.name}' points at no runbook ({url}{expected})", hint))
        elif row.how == "named" and target is not None and target != row.runbook:
            line, col = alert.url_position or (alert.line, alert.col)
            findings.append(_finding(alert.path, line, col, "A104", Severity.WARNING,
                                     f"runbook_url of alert '{alert.name}' points at '{target}', "
                                     f"but runbook '{row.runbook}' names this alert",
                                     "point the annotation at the runbook that answers the alert, or move the alert"))
        if row.runbook is None:
            findings.append(_finding(alert.path, alert.line, alert.col, "A101", Severity.ERROR,
                                     f"alert '{alert.name}' has no runbook",
                                     "list the alert under `alerts:` in the runbook that answers it, "
                                     "or give the rule a runbook_url annotation"))
    if rule_files and unknown_alerts:
        defined: dict[str, list[AlertRule]] = {}
        for rf in rule_files:
            for alert in rf.alerts:
                defined.setdefault(alert.name, []).append(alert)
        for rb in (rb for rb in runbooks if checked(rb.source.path)):
            for named in rb.alerts:
                rules = defined.get(named.name, [])
                if not any(named.matches(r.name, r.labels) for r in rules):
                    line, col = rb.source.position(named.at)
                    what = "with those labels " if rules else ""
                    findings.append(_finding(rb.source.path, line, col, "A103", Severity.WARNING,
                                             f"no alerting rule defines alert '{named.name}' {what}".rstrip(),
                                             suggest(named.name, sorted(defined)) or
                                             "check the alert's name in the rule files given with --alert-rules"))
    return findings

"""Fixed text of the benchmark corpus: the policy, the scripts runbooks call, and YAML quoting.

Contacts are fictional but well formed (valid international phone numbers, real-looking
addresses), so the lint rules have nothing to say about them.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

SERVICES = ("payments", "checkout", "search", "accounts", "ledger", "gateway", "inventory", "notifications")

_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 ,.()/_-]*$")
_TRAPS = {"yes", "no", "on", "off", "true", "false", "null", "y", "n"}


def q(text: str) -> str:
    """``text`` as a YAML scalar: plain when that is unambiguous, JSON-quoted otherwise."""
    if _PLAIN.match(text) and text.lower() not in _TRAPS and not text.endswith((" ", ":")):
        return text
    return json.dumps(text)


PYPROJECT = """\
[project]
name = "bench-runbooks"
version = "0.0.0"

[[tool.runbook.per_path]]
paths = ["runbooks/**"]
disable = ["C115"]
reason = "generated benchmark data: every contact is invented"
"""

_SCRIPT = """\
#!/usr/bin/env bash
# {what}; harmless: prints what it would do.
set -euo pipefail
echo "{name}: $*"
"""

SCRIPTS = {
    f"{name}.sh": _SCRIPT.format(name=name, what=what)
    for name, what in (
        ("collect-diagnostics", "Collect thread dumps and recent logs"),
        ("restart-service", "Rolling restart of a service"),
        ("scale-service", "Scale a deployment"),
        ("flush-cache", "Flush the service cache"),
        ("failover-db", "Promote the replica database"),
    )
}

_PEOPLE = (
    ("ana-ruiz", "Ana Ruiz", "+44 20 7946 0958", "ana.ruiz@acme-ops.net", "@ana", "ben-okafor"),
    ("ben-okafor", "Ben Okafor", "+1 415 555 0132", "ben.okafor@acme-ops.net", "@ben", "sre-team"),
    ("chen-li", "Chen Li", "+49 30 901820", "chen.li@acme-ops.net", "@chen", "dara-kelly"),
    ("dara-kelly", "Dara Kelly", "+353 1 555 0140", "dara.kelly@acme-ops.net", "@dara", "sre-team"),
    ("eve-martin", "Eve Martin", "+33 1 42 68 53 00", "eve.martin@acme-ops.net", "@eve", "finn-walsh"),
    ("finn-walsh", "Finn Walsh", "+61 2 9374 4000", "finn.walsh@acme-ops.net", "@finn", "sre-team"),
)

_ROLES = (
    ("incident-commander", "Incident commander", "ana-ruiz", "ben-okafor", "Owns the incident and its decisions"),
    ("technical-lead", "Technical lead", "chen-li", "dara-kelly", "Leads the investigation and the fix"),
    ("comms-lead", "Communications lead", "eve-martin", "finn-walsh", "Keeps stakeholders and customers informed"),
    ("sre-oncall", "SRE on call", "ben-okafor", "chen-li", "First responder for every page"),
    ("eng-manager", "Engineering manager", "dara-kelly", "ana-ruiz", "Escalation point and resourcing"),
)


def policy(today: date) -> str:
    """The policy every runbook follows; reviewed a week before ``today``."""
    lines = [
        "# yaml-language-server: $schema=../schema/runbook.schema.json",
        "version: 1",
        "kind: policy",
        "id: acme-incident-policy",
        "title: ACME incident policy",
        "description: Severity levels, contacts, roles and templates shared by every runbook.",
        "owner: incident-commander",
        f"review: {{last_reviewed: '{today - timedelta(days=7)}', every: 180d, by: incident-commander}}",
        "severities:",
    ]
    for sid, name, respond, resolve, update, escalate in (
        ("P1", "Critical", "5m", "4h", "30m", "30m"), ("P2", "High", "15m", "8h", "1h", "1h"),
        ("P3", "Medium", "1h", "1d", "4h", "4h"), ("P4", "Low", "1d", "7d", "1d", "2d"),
    ):
        lines += [f"  - id: {sid}", f"    name: {name}", f"    description: {name} impact on customers.",
                  f"    examples: [{name} outage of a customer-facing service]",
                  f"    respond: {respond}", f"    resolve: {resolve}", f"    update_every: {update}",
                  f"    escalate_after: {escalate}", "    page: [sre-oncall, incident-commander]",
                  "    notify: [eng-manager]", "    escalation: Page the next escalation level"]
    lines.append("contacts:")
    for cid, name, phone, email, chat, backup in _PEOPLE:
        lines += [f"  - id: {cid}", f"    name: {name}", "    role: Site reliability engineer", f"    phone: {q(phone)}",
                  f"    email: {email}", f"    chat: {q(chat)}", f"    pager: pagerduty:{cid}", f"    backup: {backup}",
                  "    timezone: Europe/London", "    hours: 24/7"]
    lines += ["  - {id: sre-team, name: SRE team rota, type: team, chat: '#sre-oncall',",
              "     pager: 'pagerduty:sre-rota', hours: 24/7}"]
    lines.append("roles:")
    for rid, name, primary, secondary, what in _ROLES:
        lines += [f"  - id: {rid}", f"    name: {name}", f"    description: {what}.",
                  f"    responsibilities: [{what}]", f"    primary: {primary}", f"    secondary: {secondary}"]
    lines += [
        "escalation:",
        "  - {name: On-call engineer, after: 0m, notify: [sre-oncall]}",
        "  - {name: Technical lead, after: 15m, notify: [technical-lead]}",
        "  - {name: Engineering manager, after: 30m, notify: [eng-manager]}",
        "templates:",
        "  - id: status-update",
        "    name: Status update",
        "    channel: chat",
        "    audience: internal",
        "    subject: '[{{severity}}] {{title}}'",
        "    body: |",
        "      {{severity}} incident: {{title}}.",
        "      Elapsed: {{elapsed}}. Next update in 30 minutes.",
        "  - {id: resolved, name: Resolved, channel: email, audience: internal,",
        "     body: '{{title}} is resolved after {{elapsed}}.'}",
        "objectives:",
        "  - {name: Time to acknowledge, target: '< 5 minutes', description: Measured from the first page}",
        "links:",
        "  - {title: Status page, url: 'https://status.acme-ops.net'}",
    ]
    return "\n".join(lines) + "\n"


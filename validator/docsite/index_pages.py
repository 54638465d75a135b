"""Index pages: a home page, runbooks by service and by severity, the tags index, what needs
attention, and the rule reference.

Runbook pages stay out of the sidebar (a flat sidebar of a thousand pages makes every page
carry a thousand links); these pages and search are how responders reach them.
"""

from __future__ import annotations

from collections import defaultdict

from validator import rule_docs
from validator.docsite import context as ctx
from validator.docsite import text
from validator.docsite.context import Site
from validator.durations import format_duration
from validator.findings import Finding
from validator.model import Runbook
from validator.other_yaml import NOT_A_RUNBOOK


def _head(title: str, intro: str = "", meta: bool = True) -> list[str]:
    out = [f"---\ntitle: {text.title(title)}\n---\n"] if meta else []
    out += [f"# {text.plain(title)}", ""]
    return out + ([intro, ""] if intro else [])


def _table(runbooks: list[Runbook], site: Site, page: str) -> list[str]:
    rows = ["| Runbook | Severity | Owner | Summary |", "|---|---|---|---|"]
    for rb in sorted(runbooks, key=lambda r: (r.title.lower(), r.id)):
        sev = text.plain(rb.severity) if rb.severity else "—"
        owner = site.party(rb.owner, rb.policy, page) if rb.owner else "—"
        rows.append(f"| {site.runbook_link(rb, page)} | {sev} | {owner} | {text.plain(rb.summary) or '—'} |")
    return [*rows, ""]


def home(site: Site) -> str:
    """The front page of a site whose ``docs/`` has no ``index.md`` of its own (a new repository):
    without it, the site's address answers "404 - Not found"."""
    page = ctx.HOME
    services = {rb.service for rb in site.runbooks}
    out = _head("Incident runbooks", f"{len(site.runbooks)} runbooks for {len(services)} services. **Paged right now?** "
                "Search for the alert name or the service, open the runbook and follow its steps.")
    rows = [("the runbook for a service", "Runbooks by service", ctx.SERVICES),
            ("everything at one severity", "Runbooks by severity", ctx.SEVERITY),
            ("how fast to respond, who is paged", "Severity matrix", ctx.SEVERITIES),
            ("a phone number or e-mail", "Contacts", ctx.CONTACTS),
            ("who does what in an incident", "Roles", ctx.ROLES),
            ("when to escalate, and to whom", "Escalation path", ctx.ESCALATION),
            ("the wording of a status update", "Communication templates", ctx.TEMPLATES),
            ("runbooks overdue for review, lint findings", "Needs attention", ctx.ATTENTION),
            ("what a finding's rule id means", "Rule reference", ctx.RULES)]
    out += ["| I need… | Go to |", "|---|---|"]
    out += [f"| {need} | [{name}]({ctx.rel(target, page)}) |" for need, name, target in rows]
    out += ["", "Every page here is generated from the YAML runbooks that CI validates; to change a page, change the YAML.", ""]
    return "\n".join(out) + "\n"


def services(site: Site) -> str:
    page = ctx.SERVICES
    groups: dict[str, list[Runbook]] = defaultdict(list)
    for rb in site.runbooks:
        groups[rb.service].append(rb)
    out = _head("Runbooks by service", f"{len(site.runbooks)} runbooks for {len(groups)} services.")
    out += [", ".join(f"[{text.plain(s)}](#{text.anchor('service', s)})" for s in sorted(groups)), ""]
    for service in sorted(groups):
        out += [f"## {text.plain(service)} {{ #{text.anchor('service', service)} }}", ""]
        out += _table(groups[service], site, page)
    return "\n".join(out) + "\n"


def severity(site: Site) -> str:
    page = ctx.SEVERITY
    out = _head("Runbooks by severity")
    order: list[tuple[str, str]] = []
    for p in site.policies:
        order += [(s.id, s.name) for s in p.severities if s.id not in {o[0] for o in order}]
    groups: dict[str, list[Runbook]] = defaultdict(list)
    for rb in site.runbooks:
        groups[rb.severity or ""].append(rb)
    extra = sorted(k for k in groups if k and k not in {o[0] for o in order})
    for sid, name in [*order, *((k, "not in the policy") for k in extra), ("", "no severity set")]:
        if not groups.get(sid):
            continue
        heading = f"{text.plain(sid)} · {text.plain(name)}" if sid else text.plain(name).capitalize()
        out += [f"## {heading} {{ #{text.anchor('severity', sid or 'none')} }}", ""]
        out += _table(groups[sid], site, page)
    if not site.runbooks:
        out += ["No runbooks were found.", ""]
    return "\n".join(out) + "\n"


def alerts(site: Site) -> str:
    """Alert name -> runbook, so a responder holding a page (or searching its alert name) lands on the runbook."""
    page = ctx.ALERTS
    rows = sorted(((a.name, a.labels, rb) for rb in site.runbooks for a in rb.alerts),
                  key=lambda r: (r[0].lower(), sorted(r[1].items()), r[2].id))
    out = _head("Runbooks by alert", f"{len({r[0] for r in rows})} alerts answered by "
                f"{len({r[2].id for r in rows})} runbooks. Search for an alert's name to land on its runbook.")
    if not rows:
        return "\n".join([*out, "No runbook names an alert yet (`alerts:` in the runbook).", ""]) + "\n"
    out += ["| Alert | Labels | Runbook | Severity |", "|---|---|---|---|"]
    for name, labels, rb in rows:
        shown = ", ".join(f"{text.plain(k)}={text.plain(v)}" for k, v in sorted(labels.items())) or "—"
        link = f"[{text.plain(rb.title)}]({ctx.rel(ctx.runbook_page(rb.id), page)}#{text.anchor('alert', name)})"
        out.append(f"| {text.code(name)} | {shown} | {link} | {text.plain(rb.severity) if rb.severity else '—'} |")
    return "\n".join([*out, ""]) + "\n"


def tags(site: Site) -> str:
    out = _head("Tags", "Every tag used by a runbook, with the runbooks that carry it.")
    return "\n".join([*out, "<!-- material/tags -->", ""])


def _finding_row(f: Finding, site: Site, page: str) -> str:
    path = site.source_path(f.path)
    where = f"{path}:{f.line}:{f.col}" if f.line else path
    rule = (
        f"[{text.plain(f.rule)}]({ctx.rel(ctx.RULES, page)}#{rule_docs.anchor(f.rule)})" if f.rule in site.rules
        else text.code(f.rule)
    )
    hint = f" — {text.plain(f.hint)}" if f.hint else ""
    return f"| {text.code(where)} | {rule} | {f.severity.value} | {text.plain(f.message)}{hint} |"


def attention(site: Site, findings: list[Finding], meta: bool = True) -> str:
    """Stale runbooks and findings; without ``meta`` (front matter), for replacing a page's markdown."""
    page = ctx.ATTENTION
    others = [f for f in findings if f.rule == NOT_A_RUNBOOK]  # rule files, manifests, CI files: not broken runbooks
    findings = [f for f in findings if f.rule != NOT_A_RUNBOOK]
    stale = [(late, rb) for rb in site.runbooks if (late := ctx.overdue_days(rb, site.today)) is not None]
    never = [rb for rb in site.runbooks if rb.review is None]
    out = _head(
        "Needs attention",
        f"As of {site.today.isoformat()}: {len(stale)} runbooks overdue for review, "
        f"{len(never)} with no review recorded, {len(findings)} findings.",
        meta,
    )
    out += [f"## Review overdue {{ #{text.anchor('stale')} }}", ""]
    if stale:
        out += ["| Runbook | Last reviewed | Every | Overdue by | Owner |", "|---|---|---|---|---|"]
        for late, rb in sorted(stale, key=lambda x: (-x[0], x[1].id)):
            assert rb.review is not None
            owner = site.party(rb.owner, rb.policy, page) if rb.owner else "—"
            out.append(
                f"| {site.runbook_link(rb, page)} | {text.plain(rb.review.last_reviewed)} | "
                f"{format_duration(rb.review.every)} | {late} days | {owner} |"
            )
    else:
        out.append("Every reviewed runbook is within its review interval.")
    out.append("")
    if never:
        out += [
            f"## No review recorded {{ #{text.anchor('unreviewed')} }}",
            "",
            *(f"- {site.runbook_link(rb, page)}" for rb in sorted(never, key=lambda r: r.id)),
            "",
        ]
    out += [f"## Findings {{ #{text.anchor('findings')} }}", ""]
    if findings:
        out += [
            "| Where | Rule | Severity | Message |",
            "|---|---|---|---|",
            *(_finding_row(f, site, page) for f in findings),
            "",
        ]
    else:
        out += ["`validate_runbook` reports nothing.", ""]
    if others:
        out += [f"## Other YAML files {{ #{text.anchor('other-yaml')} }}", "", "Read or skipped, not runbooks:", ""]
        out += [f"- {text.code(f.path)}: {text.plain(f.message)}" for f in others] + [""]
    return "\n".join(out) + "\n"


def rules(site: Site) -> str:
    out = _head("Rule reference", "Every check `validate_runbook` makes, as `runbook rules ID` explains it. "
                "Findings link here by rule id when the `docs_url` setting names this site.")
    infos = site.rules
    out += ["| Rule | Name | Default severity | Summary |", "|---|---|---|---|"]
    out += [
        f"| [{text.plain(r.id)}](#{rule_docs.anchor(r.id)}) | {text.plain(r.name)} | {r.severity.value} "
        f"| {text.plain(r.summary)} |"
        for r in sorted(infos.values(), key=lambda r: r.id)
    ]
    out.append("")
    for r in sorted(infos.values(), key=lambda r: r.id):
        out += [
            f"## {text.plain(r.id)} {text.plain(r.name)} {{ #{rule_docs.anchor(r.id)} }}",  # the anchor findings link to
            "",
            f"Default severity: **{r.severity.value}**",
            "",
            text.plain(r.summary),
            "",
        ]
        # the whole explanation `runbook rules ID` prints, paragraph by paragraph
        paragraphs = [p for p in rule_docs.body(r).split("\n\n") if p.strip()]
        out += [line for paragraph in paragraphs for line in (text.plain(paragraph), "")]
        if r.hint:
            out += [f"Fix: {text.plain(r.hint)}", ""]
    return "\n".join(out) + "\n"

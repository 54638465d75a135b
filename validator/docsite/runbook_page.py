"""The runbook page: everything a responder needs, in the order they need it.

Facts first (severity and its targets, owner, review state), then what the incident looks
like, then the command that starts the guided run, then every step with its own anchor and
``--start-at`` command so an alert or a chat message can point at exactly one step.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable
from pathlib import Path

from validator.docsite import context as ctx
from validator.docsite import flow, flowchart, text
from validator.docsite.context import Site
from validator.docsite.steps import step_block
from validator.durations import format_duration
from validator.model import Runbook


def front_matter(rb: Runbook) -> str:
    tags = [text.tag(t) for t in rb.tags]
    return f"---\ntitle: {text.title(rb.title)}\ntags: {json.dumps(tags)}\n---\n"


def _facts(rb: Runbook, site: Site, page: str) -> list[str]:
    rows: list[str] = []
    level = rb.severity_level
    if rb.severity:
        if level is not None:
            targets = f"respond within {format_duration(level.respond)}"
            if level.resolve:
                targets += f", resolve within {format_duration(level.resolve)}"
            sev_anchor = site.policy_anchor(rb.policy, "severity", level.id) if rb.policy else ""
            target = f"{ctx.rel(ctx.SEVERITIES, page)}#{sev_anchor}"
            rank = min(level.rank, 4) + 1
            badge = f"[{text.plain(level.id)} · {text.plain(level.name)}]({target}){{ .rb-badge .rb-rank-{rank} }}"
            rows.append(f"- **Severity:** {badge} — {targets}")
        else:
            rows.append(f"- **Severity:** {text.code(rb.severity)} (not defined in the policy)")
    services = f"{ctx.rel(ctx.SERVICES, page)}#{text.anchor('service', rb.service)}"
    rows.append(f"- **Service:** [{text.plain(rb.service)}]({services})")
    if rb.owner:
        rows.append(f"- **Owner:** {site.party(rb.owner, rb.policy, page)}")
    if rb.tags:
        rows.append(f"- **Tags:** {', '.join(text.code(t) for t in rb.tags)}")
    if rb.review:
        by = f" by {site.party(rb.review.by, rb.policy, page)}" if rb.review.by else ""
        rows.append(
            f"- **Last reviewed:** {text.plain(rb.review.last_reviewed)}{by}, due every {format_duration(rb.review.every)}"
        )
    rows.append(f"- **Source:** {text.code(site.source_path(rb.source.file))}")
    return rows


def _review_banner(rb: Runbook, site: Site) -> list[str]:
    late = ctx.overdue_days(rb, site.today)
    if late is None or rb.review is None:
        return []
    return [
        '!!! danger "Review overdue"',
        "",
        f"    Last reviewed {text.plain(rb.review.last_reviewed)}; reviews are due every "
        f"{format_duration(rb.review.every)}, so this one is **{late} days overdue**. "
        "Check every command before you trust it.",
        "",
    ]


def _context_sections(rb: Runbook, site: Site, page: str) -> list[str]:
    out: list[str] = []
    if rb.description:
        out += [text.prose(rb.description), ""]
    if rb.symptoms:
        out += ["## Symptoms", "", *(f"- {text.plain(s)}" for s in rb.symptoms), ""]
    if rb.alerts:
        out += [f"## Alerts {{ #{text.anchor('alerts')} }}", "", "This runbook answers these alerts:", ""]
        for a in rb.alerts:
            labels = ", ".join(f"{text.plain(k)}={text.plain(v)}" for k, v in sorted(a.labels.items()))
            out.append(f"- <span id=\"{text.anchor('alert', a.name)}\"></span>{text.code(a.name)}"
                       + (f" with labels {labels}" if labels else ""))
        out.append("")
    if rb.detection:
        out += ["## Detection", ""]
        for d in rb.detection:
            parts = [text.link(d.signal, d.url) if d.url else text.plain(d.signal)]
            if d.source:
                parts.append(f"source: {text.plain(d.source)}")
            if d.threshold:
                parts.append(f"fires when {text.plain(d.threshold)}")
            out.append("- " + " — ".join(parts))
        out.append("")
    if rb.impact:
        out += ["## Impact", "", text.prose(rb.impact), ""]
    if rb.inputs:
        out += ["## Inputs", "", '<div class="rb-stack rb-stack-inputs" markdown="1">', "",
                "| Name | Type | Required | Default | Description |", "|---|---|---|---|---|"]
        for i in rb.inputs:
            kind = i.type + (f" ({', '.join(str(c) for c in i.choices)})" if i.choices else "")
            default = "—" if i.default is None else ("(secret)" if i.secret else text.code(i.default))
            desc = text.plain(i.description) + (
                f" Example: {text.code(i.example)}" if i.example is not None and not i.secret else ""
            )
            required = "yes" if i.required and i.default is None else "no"
            out.append(f"| {text.code('${' + i.name + '}')} | {text.plain(kind)} | {required} | {default} | {desc}")
        out += ["", "</div>", ""]
    return out


def run_command(rb: Runbook) -> str:
    """The exact command that starts this runbook, with every required input as a placeholder."""
    parts = ["runbook", "run", rb.id]
    for i in rb.inputs:
        if i.required and i.default is None:
            parts += ["--input", f"{i.name}={i.name.upper()}"]
    return shlex.join(parts)


def _closing_sections(rb: Runbook, site: Site, page: str) -> list[str]:
    out: list[str] = []
    tasks = rb.post_incident_tasks
    if tasks:
        out += ["## After the incident", ""]
        for item in tasks:
            extra = []
            if item.owner:
                extra.append(f"owner: {site.party(item.owner, rb.policy, page)}")
            if item.within:
                extra.append(f"within {format_duration(item.within)}")
            out.append(f"- [ ] {text.plain(item.task)}" + (f" ({'; '.join(extra)})" if extra else ""))
        out.append("")
    if rb.escalation:
        out += ["## Escalation", "", "```mermaid", flow.escalation_flow(rb.escalation, _names(rb)), "```", ""]
        for level in rb.escalation:
            out.append(
                f"- after {format_duration(level.after)}: {site.parties(level.notify, rb.policy, page)}"
                + (f" — {text.plain(level.description)}" if level.description else "")
            )
        out.append("")
    if rb.links:
        out += ["## Links", "", *(f"- {text.link(lk.title or lk.url, lk.url)}" for lk in rb.links), ""]
    if rb.related:
        out += ["## Related runbooks", "", *(f"- {site.runbook_ref(r, page)}" for r in rb.related), ""]
    return out


def _names(rb: Runbook) -> dict[str, str]:
    if rb.policy is None:
        return {}
    return {**{r.id: r.name for r in rb.policy.roles}, **{c.id: c.name for c in rb.policy.contacts}}


IMAGE_TYPES = (".png", ".jpg", ".jpeg", ".gif", ".webp")  # not SVG: opened on its own it could run script
IMAGE_DIR = "assets/runbook-images"


def _image_resolver(rb: Runbook, site: Site, page: str) -> Callable[[str], str | None]:
    """Relative image paths resolve from the runbook's folder to a file inside the repository, which the
    plugin copies into the site; anything else (outside the repository, missing, not an image) is refused."""
    folder = Path(rb.source.file).resolve().parent
    root = site.root.resolve()

    def resolve(url: str) -> str | None:
        if "://" in url or url.startswith(("/", "\\")) or "?" in url or "#" in url:
            return None
        target = (folder / url).resolve()
        if target.suffix.lower() not in IMAGE_TYPES or not target.is_file() or not target.is_relative_to(root):
            return None
        site_path = f"{IMAGE_DIR}/{target.relative_to(root).as_posix()}"
        text.IMAGES.files[site_path] = target
        return ctx.rel(site_path, page)

    return resolve


def render(rb: Runbook, site: Site) -> str:
    """The whole page as markdown."""
    page = ctx.runbook_page(rb.id)
    text.IMAGES.resolver = _image_resolver(rb, site, page)
    try:
        return _render(rb, site, page)
    finally:
        text.IMAGES.resolver = None


def _render(rb: Runbook, site: Site, page: str) -> str:
    out = [front_matter(rb), f"# {text.plain(rb.title)}", ""]
    if rb.summary:
        out += [text.plain(rb.summary), ""]
    out += _review_banner(rb, site)
    out += [*_facts(rb, site, page), ""]
    edit = site.edit_link(rb.source.file)
    if edit:
        out += [f"[Edit this runbook]({edit}){{ .md-button }}", ""]
    out += _context_sections(rb, site, page)
    out += ["## Run it", "", "Start a guided run (missing inputs are asked for):", "", text.fence(run_command(rb), "bash"), ""]
    out += ["## Flow", "", "```mermaid", flowchart.runbook_flow(rb), "```", ""]
    sections = (("Steps", rb.steps, ""), ("Verify", rb.verify, "V"), ("Rollback", rb.rollback, "R"))
    for heading, steps, prefix in sections:
        if not steps:
            continue
        out += [f"## {heading}", ""]
        for n, step in enumerate(steps, 1):
            out += step_block(rb, step, f"{prefix}{n}", site, page)
    out += _closing_sections(rb, site, page)
    return "\n".join(out) + "\n"

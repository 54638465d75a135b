"""One step of a runbook page: heading with a stable anchor, facts line, what to do (a copyable
command, an instruction, a checklist, a message or a wait), what success looks like, what
happens on failure, and the ``--start-at`` command that resumes a run right here.
"""

from __future__ import annotations

import re
import shlex

from validator.docsite import text
from validator.docsite.context import Site
from validator.durations import format_duration
from validator.model import Runbook, Step

_PLAIN_ARG = re.compile(r"^[\w${}./:=@%+,-]+$")


def step_anchor(step: Step) -> str:
    return text.anchor("step", step.id)


def _script_line(step: Step) -> str:
    args = [a if _PLAIN_ARG.match(a) else shlex.quote(a) for a in step.args]
    return " ".join([shlex.quote(step.script or ""), *args])


def _facts(step: Step, rb: Runbook, site: Site, page: str) -> str:
    facts = [f"`{step.kind}`"]
    if step.phase:
        facts.append(f"phase: {text.plain(step.phase)}")
    if step.owner:
        facts.append(f"owner: {site.party(step.owner, rb.policy, page)}")
    if step.is_command or step.kind == "wait":
        facts.append(f"timeout: {format_duration(step.timeout)}")
    if step.within:
        kind = "" if step.deadline_kind == "service" else f" ({text.plain(step.deadline_kind)} deadline)"
        facts.append(f"done within **{format_duration(step.within)}** of the start{kind}")
    if step.is_command:
        facts.append(f"risk: {text.plain(step.effective_risk)}")
    if step.is_targeted:
        facts.append(_hosts(step))
    return " · ".join(facts)


def _hosts(step: Step) -> str:
    """Where a targeted step runs: its host pattern, its batches and when the rollout stops."""
    out = f"on hosts {text.code(step.targets)}"
    if step.serial:
        out += " in batches of " + ", ".join(text.plain(b) for b in step.serial)
    if step.max_fail_percentage is not None:
        out += f", stopping when more than {step.max_fail_percentage}% of a batch fails"
    return out


def _to(rb: Runbook, step_id: str) -> str:
    target = rb.step(step_id)
    return f"[{text.plain(target.name)}](#{step_anchor(target)})" if target else text.code(step_id)


def _decision(step: Step, rb: Runbook) -> list[str]:
    assert step.decide is not None
    out = [f"**Decide:** {text.plain(step.decide.question)}", "", "| Answer | Then |", "| --- | --- |"]
    for choice in step.decide.choices:
        then = "roll back" if choice.rollback else f"go to {_to(rb, choice.goto)}" if choice.goto else "carry on"
        if choice.severity:
            then += f"; the severity becomes **{text.plain(choice.severity)}**"
        about = f" — {text.plain(choice.description)}" if choice.description else ""
        out.append(f"| {text.code(choice.answer)}{about} | {then} |")
    return [*out, ""]


def _action(step: Step, rb: Runbook, site: Site, page: str) -> list[str]:
    if step.decide is not None:
        return _decision(step, rb)
    if step.call is not None:
        given = ", ".join(f"{text.code(k)} = {text.code(str(v))}" for k, v in step.call_inputs.items())
        return [f"Runs the runbook {site.runbook_ref(step.call, page)} here, in the same run"
                + (f", with {given}" if given else "") + ".", ""]
    if step.run:
        return [text.fence(step.run, "bash"), ""]
    if step.script:
        return [f"Runs the script {text.code(step.script)} (no shell):", "", text.fence(_script_line(step), "bash"), ""]
    if step.manual:
        queries = [part for q in step.queries for part in (
            f"Query{' in ' + text.plain(q.datasource) if q.datasource else ''}:", "", text.fence(q.expr, "text"), "")]
        return [text.prose(step.manual), "", *queries]
    if step.checklist:
        return [*(f"- [ ] {text.plain(item)}" for item in step.checklist), ""]
    if step.notify:
        tpl = site.template(step.template, rb.policy, page) if step.template else "a message"
        return [f"Send {tpl} to {site.parties(step.notify, rb.policy, page)}.", ""]
    if step.wait:
        w = step.wait
        if w.duration:
            line = f"Wait {format_duration(w.duration)}."
            return [line + (f" {text.plain(w.reason)}" if w.reason else ""), ""]
        return [
            f"Poll every {format_duration(w.every)}, for at most {format_duration(w.timeout or 0)}, until this succeeds"
            + (f" ({text.plain(w.reason)})" if w.reason else "")
            + ":",
            "",
            text.fence(w.until or "", "bash"),
            "",
        ]
    return []


def _expect(step: Step) -> list[str]:
    if not step.is_command and not (step.wait and step.wait.until):
        return []
    e = step.expect
    codes = ", ".join(str(c) for c in e.exit_codes)
    line = f"**Expected:** exit code {codes}"
    if e.output:
        line += f"; output matches {text.code(e.output)}"
    if e.not_output:
        line += f"; output does not match {text.code(e.not_output)}"
    return [line + ".", ""]


def _on_failure(step: Step, rb: Runbook) -> str:
    f = step.on_failure
    retry = f"retry {step.retries} times ({format_duration(step.retry_delay)} apart), then " if step.retries else ""
    if f.goto:
        target = rb.step(f.goto)
        where = f"[{text.plain(target.name)}](#{step_anchor(target)})" if target else text.code(f.goto)
        return f"**On failure:** {retry}go to {where} (at most {f.max} times)."
    words = {
        "abort": "stop the run",
        "continue": "carry on with the next step",
        "retry": "try once more, then stop",
        "rollback": "roll back (undo completed steps in reverse, then the rollback steps)",
        "ask": "the responder decides",
    }
    return f"**On failure:** {retry}{words.get(f.action, text.plain(f.action))}."


def step_block(rb: Runbook, step: Step, number: str, site: Site, page: str) -> list[str]:
    """The markdown of one step."""
    anchor = step_anchor(step)
    out = [f"### {number}. {text.plain(step.name)} {{ #{anchor} }}", "", _facts(step, rb, site, page), ""]
    if step.risk == "destructive" or step.needs_confirmation:
        reason = "may lose data or availability" if step.risk == "destructive" else "needs confirmation"
        out += [
            '!!! warning "Destructive step"' if step.risk == "destructive" else '!!! warning "Confirm first"',
            "",
            f"    This step {reason}: the runner asks for confirmation before it runs.",
            "",
        ]
    if step.irreversible:
        out += ['!!! danger "Cannot be undone"', "", f"    {text.prose(step.irreversible)}", ""]
    if step.when:
        out += [f"Runs only when {text.code(step.when)}.", ""]
    if step.description:
        out += [text.prose(step.description), ""]
    out += _action(step, rb, site, page)
    if step.env:
        out += ["Environment:", "", text.fence("\n".join(f"{k}={v}" for k, v in step.env.items()), "bash"), ""]
    out += _expect(step)
    for cap in step.capture:
        what = "secret value" if cap.secret else "value"
        out += [
            f"Captures the {what} {text.code('${' + cap.name + '}')} from {cap.source}"
            + (f" matching {text.code(cap.pattern)}" if cap.pattern else "")
            + ".",
            "",
        ]
    if step.section != "rollback" and step.can_fail:
        out += [_on_failure(step, rb), ""]
    if step.next:
        out += [f"**Then:** continue at {_to(rb, step.next)}.", ""]
    if step.undo:
        where = " (on the hosts where the step succeeded)" if step.is_targeted else ""
        out += [f"Undo with{where}:", "", text.fence(step.undo, "bash"), ""]
    for lk in step.links:
        out += [f"- {text.link(lk.title or lk.url, lk.url)}"]
    if step.links:
        out.append("")
    resume = shlex.join(["runbook", "run", rb.id, "--start-at", step.id])
    out += [f"Start here: {text.code(resume)} · [link to this step](#{anchor})", ""]
    absolute = site.page_url(page, anchor)
    if absolute:
        out += [f"Step address: {text.code(absolute)}", ""]
    return out

"""``runbook timeline``: the post-mortem's first draft, built only from the journal.

Times are shown as UTC clock times and as offsets from the incident start (T+); the SLA
table says whether the respond, resolve and status-update targets were met.  The journal
is already redacted; credential patterns are masked once more on the way out.
"""

from __future__ import annotations

import json
from typing import Any

from validator.durations import format_duration
from validator.hidden_chars import visible
from validator.runner import handoff, paging
from validator.runner.journal import parse_time
from validator.secrets import redact

Event = dict[str, Any]


def _describe(e: Event, titles: dict[str, str]) -> str | None:
    kind, step = e["type"], e.get("step")
    name = f"`{step}`" if step else ""
    match kind:
        case "start":
            return f"Run started ({e.get('mode')}{', DRILL' if e.get('drill') else ''}) by {e.get('user') or 'unknown'}"
        case "resume":
            changed = " — the runbook had changed" if e.get("runbook_changed") else ""
            by = f" by {e['user']}" if e.get("user") else ""
            return f"Run resumed ({e.get('mode')}){by} at `{e.get('next')}`{changed}"
        case "handoff":
            return handoff.timeline_text(e)
        case "step_end" if e.get("outcome") == "skipped":
            return None  # the skipped event already says why
        case "step_end":
            why = f" ({e['reason']})" if e.get("reason") else ""
            return f"{name} {titles.get(step or '', '')}: {e.get('outcome')}{why}"
        case "host":
            return _host(e, name)
        case "command":
            what = "undo" if e.get("undo") else f"attempt {e.get('attempt')}"
            if e.get("hosts") is not None:
                what += f" on {len(e['hosts'])} host(s) of `{e.get('pattern')}`"
            result = ("ok" if e.get("ok") else f"FAILED: {e.get('reason')}") + (" (simulated)" if e.get("drill") else "")
            took = float(e.get("duration") or 0)
            return f"{name} {what}: `{e.get('command')}` exit {e.get('exit_code')} in {took:.2f}s, {result}"
        case "skipped":
            return f"{name} skipped by {e.get('by')}: {e.get('reason')}"
        case "note":
            return f"Note{' on ' + name if name else ''}: {e.get('text')}"
        case "goto":
            if e.get("refused"):
                return f"{name} go-to `{e.get('target')}` refused: already taken {e.get('taken')} time(s)"
            return f"{name} failed: go to `{e.get('target')}` ({e.get('taken')} of {e.get('max')})"
        case "confirm":
            return f"{name} {'confirmed' if e.get('confirmed') else 'NOT confirmed'} by {e.get('by', 'the responder')}"
        case "checklist":
            items = e.get("items") or []
            open_items = [i["item"] for i in items if not i.get("done")]
            return f"{name} checklist: {len(items) - len(open_items)} of {len(items)} done" + (
                f"; not done: {'; '.join(open_items)}" if open_items else "")
        case "warning":
            return f"{name} warning: {e.get('reason')}"
        case "rollback" if e.get("phase") == "end" and e.get("gaps"):
            return f"Rollback INCOMPLETE (after {name} failed): {'; '.join(e['gaps'])}"
        case "rollback":
            return f"Rollback {e.get('phase')} (after {name} failed)"
        case "message":
            how = "sent" if e.get("by", "responder") == "responder" else f"shown, acknowledged by {e.get('by')}"
            return f"Status message {how} ({e.get('template')}) to {'; '.join(e.get('to') or [])}"
        case "page":
            return paging.timeline_text(e)
        case "stopped":
            return f"Stopped at {name}: {e.get('reason')}"
        case "orphan" if e.get("killed") or e.get("reason") in (None, "", "nothing of it is left"):
            return f"Command left running by the cut-off run {'stopped' if e.get('killed') else 'had already ended'}"
        case "decision":
            leads = " (roll back)" if e.get("rollback") else f" → `{e['goto']}`" if e.get("goto") else ""
            return f"{name} {e.get('question')} Answered **{e.get('answer')}** by {e.get('by')}{leads}"
        case "severity":
            return f"Severity raised from {e.get('old')} to **{e.get('new')}** ({e.get('reason')})"
        case "input":
            return f"Input {e.get('name')} given for {name}"
        case "call" if e.get("phase") == "start":
            return f"{name} runs runbook `{e.get('runbook')}`"
        case "call":
            return f"{name} runbook `{e.get('runbook')}` {e.get('outcome')}"
        case "orphan":
            return f"Process group {e.get('pid')} named by the cut-off run was not signalled: {e.get('reason')}"
        case "repaired":
            return f"The journal's torn last line was moved to {e.get('fragment')}"
        case "milestone":
            return _milestone(e)
        case "end":
            return f"Run ended: {str(e.get('outcome')).replace('-', ' ')}" + (f" ({e['reason']})" if e.get("reason") else "")
        case "answer" if e.get("answer") == "abort":
            return f"{name} the responder aborted the run"
    return None


def _host(e: Event, name: str) -> str:
    """One host of a targeted step: its result, exit code, time and last line of output."""
    what = f"{name} {'undo on' if e.get('undo') else 'on'} {e.get('host')}"
    if e.get("status") in ("not run", "stopped"):
        return f"{what}: {e.get('status')} ({e.get('reason') or 'the rollout stopped before it'})"
    last = next((ln.strip() for ln in reversed(str(e.get("output") or "").splitlines()) if ln.strip()), "")
    said = [str(e["reason"])] if not e.get("ok") and e.get("reason") else []
    said += [last] if last and last not in said else []
    took = float(e.get("duration") or 0)
    shown = "ok" if e.get("ok") else str(e.get("status")).upper()
    return (f"{what}: {shown}, exit {e.get('exit_code')} in {took:.2f}s" + (f": {' — '.join(said)}" if said else "")
            + (" (simulated)" if e.get("drill") else ""))


def _milestone(e: Event) -> str:
    name = e.get("name")
    if name in ("responded", "resolved"):
        verdict = "" if "met" not in e else f" (target {e.get('target')}: {'met' if e['met'] else 'MISSED'})"
        return f"{str(name).capitalize()}{verdict}"
    if name == "update_due":
        return f"Status update due (since {e.get('due')})"
    page = e.get("page") or []
    return f"Escalation due: {e.get('level')} (after {e.get('after')})" + (f": page {'; '.join(page)}" if page else "")


def build(events: list[Event]) -> dict[str, Any]:
    start = events[0]
    t0 = parse_time(start["started_at"])
    titles = {e["step"]: e.get("title", "") for e in events if e["type"] == "step_start"}
    who = handoff.responders(events)
    entries = []
    for e, by in zip(events, who, strict=True):
        text = _describe(e, titles)
        if text is not None:
            offset = (parse_time(e["t"]) - t0).total_seconds()
            entries.append({"t": e["t"], "offset": round(offset, 3), "step": e.get("step"), "event": e["type"],
                            "text": redact(text), "user": by})
    ends = [e for e in events if e["type"] == "end"]
    last = ends[-1] if ends else None
    raised = [e for e in events if e["type"] == "severity"]
    return {"runbook": start.get("runbook"), "title": start.get("title"), "service": start.get("service"),
            "severity": raised[-1]["new"] if raised else start.get("severity"),
            "severity_name": None if raised else start.get("severity_name"),
            "severity_at_start": start.get("severity"),
            "started_at": start["started_at"], "paged_at": start.get("paged_at"), "ended_at": last["t"] if last else None,
            "outcome": last.get("outcome") if last else "unfinished (no end event: the run was cut off)",
            "reason": last.get("reason") or "" if last else "",
            "drill": bool(start.get("drill")), "sla": sla(events, t0), "steps": steps(events, who), "entries": entries,
            "responders": list(dict.fromkeys(u for u in who if u)),
            "handoffs": [{"t": e["t"], "from": e.get("from_user"), "to": e.get("to_user"), "reason": e.get("reason") or ""}
                         for e in events if e["type"] == "handoff"]}


def steps(events: list[Event], who: list[str | None] | None = None) -> list[dict[str, Any]]:
    """Each planned step once (rollback steps after them): how it last ended, whether a rollback
    undid it, how many commands it ran, and who ended it.  "started, not finished" is kept for a
    step that was really cut off (interrupted, or the runner died)."""
    planned = list(events[0].get("steps") or [])
    seen = [e["step"] for e in events if e["type"] == "step_start" and e["step"] not in planned]
    users = who if who is not None else handoff.responders(events)
    rows = []
    for sid in planned + list(dict.fromkeys(seen)):
        mine = [e for e in events if e.get("step") == sid]
        by = list(dict.fromkeys(u for e, u in zip(events, users, strict=True)
                                if e.get("step") == sid and e["type"] in ("step_end", "command", "answer") and u))
        ends = [e for e in mine if e["type"] == "step_end"]
        runs = sum(1 for e in mine if e["type"] == "command" and not e.get("undo"))
        started = any(e["type"] == "step_start" for e in mine)
        outcome = ends[-1]["outcome"] if ends else "started, not finished" if started else "not reached"
        last_end = ends[-1]["seq"] if ends and "seq" in ends[-1] else -1
        undos = [e for e in mine if e["type"] == "command" and e.get("undo") and e.get("seq", 0) > last_end]
        if undos:
            outcome = "undone" if undos[-1].get("ok") else f"{outcome}; undo FAILED"
        rows.append({"step": sid, "outcome": outcome, "commands": runs, "passes": len(ends), "by": by})
    return rows


def sla(events: list[Event], t0: Any) -> list[dict[str, str]]:
    raised = [e["targets"] for e in events if e["type"] == "severity" and e.get("targets")]
    targets = raised[-1] if raised else events[0].get("targets") or {}  # a raised severity re-targets the clock
    rows = []
    miles = [e for e in events if e["type"] == "milestone"]
    end_offset = (parse_time(events[-1]["t"]) - t0).total_seconds()
    for key, name, label in (("respond", "responded", "Respond"), ("resolve", "resolved", "Resolve")):
        goal = targets.get(key)
        if not goal:
            continue
        hit = next((m for m in miles if m.get("name") == name), None)
        if hit is not None:
            rows.append({"target": label, "goal": goal, "actual": format_duration(float(hit.get("elapsed", 0))),
                         "result": "met" if hit.get("met") else "missed"})
        else:
            rows.append({"target": label, "goal": goal, "actual": "not reached",
                         "result": "missed" if _seconds(goal) < end_offset else "open"})
    every = targets.get("update_every")
    if every:
        due = sum(1 for m in miles if m.get("name") == "update_due")
        messages = [e for e in events if e["type"] == "message"]
        sent = sum(1 for e in messages if e.get("by", "responder") == "responder")  # a person said it was sent
        shown = len(messages) - sent
        actual = f"{sent} sent, {due} overdue" + (f", {shown} shown unattended (not confirmed sent)" if shown else "")
        rows.append({"target": "Status updates", "goal": f"every {every}", "actual": actual,
                     "result": "met" if due == 0 else "missed"})
    return rows


def _seconds(text: str) -> float:
    from validator.durations import parse_duration

    return float(parse_duration(text))


def _cell(text: Any) -> str:
    """One table cell: pipes escaped, one line, control characters visible (the file is read on terminals too),
    and HTML shown as text (outside `code`, where it already is)."""
    parts = visible(str(text if text is not None else "").replace("|", "\\|").replace("\n", " ")).split("`")
    return "`".join(p if i % 2 else p.replace("&", "&amp;").replace("<", "&lt;") for i, p in enumerate(parts))


def to_markdown(t: dict[str, Any]) -> str:
    sev = f"{t['severity']} ({t['severity_name']})" if t["severity"] and t["severity_name"] else t["severity"] or "none"
    if t.get("severity_at_start") and t["severity_at_start"] != t["severity"]:
        sev += f", raised from {t['severity_at_start']}"
    outcome = t["outcome"] + (f": {t['reason']}" if t.get("reason") else "")
    out = [f"# Incident timeline: {_cell(t['title'])}", "", "| | |", "|---|---|",
           f"| Runbook | `{t['runbook']}` |", f"| Service | {_cell(t['service'])} |", f"| Severity | {sev} |",
           f"| Started | {t['started_at']} |", *([f"| Paged | {t['paged_at']} |"] if t.get("paged_at") else []),
           f"| Ended | {t['ended_at'] or '-'} |", f"| Outcome | {_cell(outcome)} |",
           f"| Drill | {'yes: commands were simulated' if t['drill'] else 'no'} |"]
    several = len(t.get("responders") or []) > 1  # a hand-off: say who did what
    if several:
        out.append(f"| Responders | {_cell(', '.join(t['responders']))} |")
        out += [f"| Hand-off | {_cell(h['t'] + ': ' + str(h['from'] or '?') + ' to ' + str(h['to']))} |"
                for h in t.get("handoffs") or []]
    out.append("")
    if t["sla"]:
        out += ["## SLA targets", "", "| Target | Goal | Actual | Result |", "|---|---|---|---|"]
        out += [f"| {r['target']} | {r['goal']} | {r['actual']} | {r['result']} |" for r in t["sla"]]
        out.append("")
    by = " By |" if several else ""
    out += ["## Steps", "", f"| Step | Outcome | Commands run | Times through |{by}", "|---|---|---|---|" + "---|" * several]
    out += [f"| `{r['step']}` | {r['outcome']} | {r['commands']} | {r['passes']} |"
            + (f" {_cell(', '.join(r.get('by') or []))} |" if several else "") for r in t["steps"]]
    out += ["", "## Events", "", f"| Time (UTC) | T+ |{by} Event |", "|---|---|---|" + "---|" * several]
    for e in t["entries"]:
        clock = parse_time(e["t"]).strftime("%H:%M:%S")
        who = f" {_cell(e.get('user') or '')} |" if several else ""
        out.append(f"| {clock} | {format_duration(e['offset'])} |{who} {_cell(e['text'])} |")
    return "\n".join(out) + "\n"


def to_json(t: dict[str, Any]) -> str:
    return json.dumps(t, indent=2, ensure_ascii=False) + "\n"

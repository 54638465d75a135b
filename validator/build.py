"""Turn a schema-valid document (plain dicts and lists) into the typed model.

The schema has already vouched for shapes and types, so this module only fills in
defaults and converts durations; it never needs to report problems.
"""

from __future__ import annotations

import functools
from typing import Any

from validator import model as m
from validator.durations import parse_duration as _parse_duration

_parse_text = functools.lru_cache(maxsize=4096)(_parse_duration)


def parse_duration(value: str) -> int:
    """A catalogue repeats the same few durations thousands of times ("30s", "5m"): parse each text once."""
    return _parse_text(value) if isinstance(value, str) else _parse_duration(value)

_STEP_KINDS = ("run", "script", "manual", "checklist", "notify", "wait", "decide", "runbook")


def _dur(value: str | None) -> int | None:
    return parse_duration(value) if value is not None else None


def _links(raw: list[dict[str, Any]], at: m.At) -> list[m.Link]:
    return [m.Link(d["url"], d.get("title", d["url"]), (*at, i)) for i, d in enumerate(raw)]


def _escalation(raw: list[dict[str, Any]], at: m.At) -> list[m.EscalationLevel]:
    return [m.EscalationLevel(parse_duration(d["after"]), list(d["notify"]), (*at, i), d.get("name", ""),
                              d.get("description", "")) for i, d in enumerate(raw)]


def _on_failure(raw: Any) -> m.OnFailure:
    if raw is None:
        return m.OnFailure()
    if isinstance(raw, dict):
        return m.OnFailure("goto", raw["goto"], raw.get("max", m.DEFAULT_GOTO_MAX))
    return m.OnFailure(raw)


def _serial(raw: Any) -> list[int | str]:
    """``serial: 2``, ``serial: "25%"`` or ``serial: [1, "50%"]``: always a list of batch sizes."""
    if raw is None:
        return []
    return list(raw) if isinstance(raw, list) else [raw]


def _decision(raw: dict[str, Any] | None, at: m.At) -> m.Decision | None:
    if raw is None:
        return None
    return m.Decision(raw["question"], [m.Choice(c["answer"], (*at, "decide", "choices", i), c.get("goto"), c.get("severity"),
                                                 c.get("rollback", False), c.get("description", ""))
                                        for i, c in enumerate(raw["choices"])])


def _drill(d: dict[str, Any], i: int) -> m.Rehearsal:
    expect = d["expect"]
    return m.Rehearsal(
        d["name"], ("drills", i), expect["outcome"], d.get("severity"), dict(d.get("inputs", {})),
        {k: str(v) for k, v in d.get("answers", {}).items()},
        {k: m.StepResult(v.get("exit_code", 0 if v.get("status", "done") == "done" else 1), v.get("output", ""), v.get("status"),
                         {h: m.StepResult(r.get("exit_code", 0), r.get("output", "")) for h, r in v.get("hosts", {}).items()})
         for k, v in d.get("results", {}).items()},
        list(expect.get("visits", [])), list(expect.get("skips", [])))


def _step(d: dict[str, Any], section: str, index: int) -> m.Step:
    at: m.At = (section, index)
    kind = next(k for k in _STEP_KINDS if k in d)
    expect = d.get("expect", {})
    codes = expect.get("exit_code", 0)
    wait = d.get("wait")
    sim = d.get("simulate")
    return m.Step(
        id=d["id"], kind=kind, section=section, index=index, at=at, raw=d,
        title=d.get("title", ""), description=d.get("description", ""), phase=d.get("phase"), owner=d.get("owner"),
        run=d.get("run"), script=d.get("script"), args=list(d.get("args", [])), manual=d.get("manual"),
        targets=d.get("targets"), serial=_serial(d.get("serial")), max_fail_percentage=d.get("max_fail_percentage"),
        checklist=list(d.get("checklist", [])), notify=list(d.get("notify", [])), template=d.get("template"),
        wait=m.Wait(_dur(wait.get("duration")), wait.get("until"), _dur(wait.get("every")) or m.DEFAULT_POLL_EVERY,
                    _dur(wait.get("timeout")), wait.get("reason", "")) if wait else None,
        decide=_decision(d.get("decide"), at), call=d.get("runbook"), call_inputs=dict(d.get("inputs", {})),
        next=d.get("next"),
        env=dict(d.get("env", {})),
        timeout=_dur(d.get("timeout")) or m.DEFAULT_TIMEOUT,
        retries=d.get("retries", 0),
        retry_delay=_dur(d.get("retry_delay")) if "retry_delay" in d else m.DEFAULT_RETRY_DELAY,  # type: ignore[arg-type]
        expect=m.Expect(tuple(codes) if isinstance(codes, list) else (codes,), expect.get("output"), expect.get("not_output")),
        on_failure=_on_failure(d.get("on_failure")),
        risk=d.get("risk"), confirm=d.get("confirm", False), undo=d.get("undo"), idempotent=d.get("idempotent"),
        irreversible=d.get("irreversible"), within=_dur(d.get("within")), deadline_kind=d.get("deadline_kind", "service"),
        capture=[m.Capture(c["name"], c.get("from", "stdout"), c.get("pattern"), c.get("secret", False))
                 for c in d.get("capture", [])],
        when=d.get("when"),
        simulate=(m.Simulate(sim.get("exit_code", 0), sim.get("output", ""), _dur(sim.get("duration")) or 0,
                             {h: m.Simulate(v.get("exit_code", 0), v.get("output", "")) for h, v in sim.get("hosts", {}).items()})
                  if sim is not None else None),
        links=_links(d.get("links", []), (*at, "links")),
        queries=[m.Query(q["expr"], q.get("datasource", "")) for q in d.get("queries", [])],
        needs_review=d.get("needs_review"),
    )


def _review(raw: dict[str, Any] | None) -> m.Review | None:
    return m.Review(raw["last_reviewed"], parse_duration(raw["every"]), ("review",), raw.get("by")) if raw else None


def _post_incident(raw: list[Any]) -> list[m.PostItem]:
    return [m.PostItem(x, ("post_incident", i)) if isinstance(x, str) else
            m.PostItem(x["task"], ("post_incident", i), x.get("owner"), _dur(x.get("within")))
            for i, x in enumerate(raw)]


def runbook(d: dict[str, Any], source: m.Source) -> m.Runbook:
    return m.Runbook(
        id=d["id"], title=d["title"], service=d["service"], source=source, raw=d,
        summary=d.get("summary", ""), description=d.get("description", ""), policy_id=d.get("policy"),
        severity=d.get("severity"), owner=d.get("owner"), tags=list(d.get("tags", [])),
        review=_review(d.get("review")),
        symptoms=list(d.get("symptoms", [])),
        detection=[m.Detection(x, ("detection", i)) if isinstance(x, str) else
                   m.Detection(x["signal"], ("detection", i), x.get("source", ""), x.get("threshold", ""), x.get("url"))
                   for i, x in enumerate(d.get("detection", []))],
        impact=d.get("impact", ""),
        inputs=[m.Input(name=x["name"], at=("inputs", i), type=x.get("type", "string"), description=x.get("description", ""),
                        default=x.get("default"), required=x.get("required", "default" not in x), pattern=x.get("pattern"),
                        choices=list(x.get("choices", [])), min=x.get("min"), max=x.get("max"), secret=x.get("secret", False),
                        example=x.get("example"), from_label=x.get("from_label"),
                        from_annotation=x.get("from_annotation")) for i, x in enumerate(d.get("inputs", []))],
        steps=[_step(x, "steps", i) for i, x in enumerate(d["steps"])],
        verify=[_step(x, "verify", i) for i, x in enumerate(d.get("verify", []))],
        rollback=[_step(x, "rollback", i) for i, x in enumerate(d.get("rollback", []))],
        post_incident=_post_incident(d.get("post_incident", [])),
        escalation=_escalation(d.get("escalation", []), ("escalation",)),
        links=_links(d.get("links", []), ("links",)),
        related=list(d.get("related", [])),
        drills=[_drill(x, i) for i, x in enumerate(d.get("drills", []))],
        alerts=[m.Alert(x, ("alerts", i)) if isinstance(x, str) else m.Alert(x["name"], ("alerts", i), dict(x.get("labels", {})))
                for i, x in enumerate(d.get("alerts", []))],
    )


def policy(d: dict[str, Any], source: m.Source) -> m.Policy:
    return m.Policy(
        id=d["id"], source=source, raw=d, title=d.get("title", d["id"]), description=d.get("description", ""),
        owner=d.get("owner"), review=_review(d.get("review")), inventory=d.get("inventory"),
        post_incident=_post_incident(d.get("post_incident", [])),
        severities=[m.SeverityLevel(
            id=x["id"], name=x["name"], rank=i, respond=parse_duration(x["respond"]), at=("severities", i),
            description=x.get("description", ""), examples=list(x.get("examples", [])), resolve=_dur(x.get("resolve")),
            update_every=_dur(x.get("update_every")), escalate_after=_dur(x.get("escalate_after")),
            page=list(x.get("page", [])), notify=list(x.get("notify", [])), escalation=x.get("escalation", ""))
            for i, x in enumerate(d["severities"])],
        contacts=[m.Contact(
            id=x["id"], name=x["name"], at=("contacts", i), type=x.get("type", "person"), role=x.get("role", ""),
            phone=x.get("phone"), email=x.get("email"), chat=x.get("chat"), pager=x.get("pager"), backup=x.get("backup"),
            timezone=x.get("timezone"), hours=x.get("hours"), notes=x.get("notes", ""),
            channels=[m.Channel(("contacts", i, "channels", j), ch.get("url"), ch.get("url_env"), ch.get("drills", False),
                                ch.get("name", "")) for j, ch in enumerate(x.get("channels", []))])
            for i, x in enumerate(d.get("contacts", []))],
        roles=[m.Role(x["id"], x["name"], ("roles", i), x.get("description", ""), list(x.get("responsibilities", [])),
                      x.get("primary"), x.get("secondary")) for i, x in enumerate(d.get("roles", []))],
        escalation=_escalation(d.get("escalation", []), ("escalation",)),
        templates=[m.Template(x["id"], x["body"], ("templates", i), x.get("name", x["id"]), x.get("channel"),
                              x.get("audience"), x.get("when", ""), x.get("subject", ""))
                   for i, x in enumerate(d.get("templates", []))],
        objectives=[m.Objective(x["name"], x["target"], ("objectives", i), x.get("description", ""))
                    for i, x in enumerate(d.get("objectives", []))],
        drills=[m.Drill(x["name"], parse_duration(x["every"]), ("drills", i), x.get("description", ""), x.get("runbook"))
                for i, x in enumerate(d.get("drills", []))],
        links=_links(d.get("links", []), ("links",)),
    )

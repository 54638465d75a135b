"""``runbook run --resume JOURNAL``: rebuild a run's state from its journal and continue after
the last finished step.

Everything a resume needs is in the events: the start (runbook file, severity, start time,
drill flag), the inputs (secret ones are re-asked: they were never written), each finished
step with the step that comes next and the captured values, the go-tos taken, the commands
run (for the non-idempotent warning) and the milestones already recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from validator.findings import ConfigError
from validator.runner.journal import parse_time
from validator.runner.state import RunState
from validator.walk import Record

#: ``steps.ID.status`` for each way a step can end (as the walker records it)
STATUS = {"done": "done", "acknowledged": "done", "shown": "done", "failed": "failed", "skipped": "skipped"}


@dataclass
class Resumed:
    start: dict[str, Any]
    inputs: dict[str, Any]
    secret_names: list[str]
    next_step: str | None
    finished: bool
    seq: int
    outputs: dict[str, str] = field(default_factory=dict)
    completed: list[str] = field(default_factory=list)
    runs: dict[str, int] = field(default_factory=dict)
    gotos: dict[str, int] = field(default_factory=dict)
    milestones: list[dict[str, Any]] = field(default_factory=list)
    last_message: str | None = None
    in_flight: int | None = None  # the process group of a command that was running when the runner died
    records: dict[str, Record] = field(default_factory=dict)  # what steps.ID.* conditions saw
    severity: str | None = None  # raised during the run by a decision
    in_flight_id: dict[str, Any] = field(default_factory=dict)  # its start time, boot and host, to tell it from another
    in_flight_tree: bool = False  # ansible-playbook: its workers (each in a session of its own) are stopped too
    unfinished: str | None = None  # a step whose command started but whose result was never recorded
    inventory: str | None = None  # the Ansible inventory the run's targeted steps used
    hosts_ok: dict[str, list[str]] = field(default_factory=dict)  # per targeted step, the hosts it succeeded on


def scan(events: list[dict[str, Any]]) -> Resumed:
    start = events[0]
    inputs_event: dict[str, Any] = next((e for e in events if e["type"] == "inputs"), {"values": {}, "secret": []})
    r = Resumed(start, dict(inputs_event.get("values") or {}), list(inputs_event.get("secret") or []),
                next_step=start.get("first"), finished=False, seq=int(events[-1].get("seq", len(events))))
    flight_step = ""
    for e in events:
        kind = e["type"]
        if e.get("call"):  # inside a runbook a step ran: it starts again from its first step
            continue
        if kind == "step_end":
            r.next_step = e.get("next")
            r.outputs.update(e.get("outputs") or {})
            if e.get("outcome") == "done":
                r.completed.append(e["step"])
            r.records[e["step"]] = Record(STATUS.get(e.get("outcome", ""), e.get("outcome", "")), e.get("answer"),
                                          e.get("exit_code"))
        elif kind == "input" and not e.get("secret"):
            r.inputs[e["name"]] = e.get("value")
        elif kind == "severity":
            r.severity = e.get("new")
        elif kind == "run":  # the intent, written before the command starts
            flight_step, r.unfinished, r.in_flight = e["step"], e["step"], None
        elif kind == "exec":
            r.in_flight, r.in_flight_id = e["pid"], {"start": e.get("start"), "boot": e.get("boot"), "host": e.get("host")}
            r.in_flight_tree = bool(e.get("tree"))
            flight_step = r.unfinished = e["step"]
        elif kind == "command":
            r.in_flight = r.unfinished = None
            if not e.get("undo"):
                r.runs[e["step"]] = r.runs.get(e["step"], 0) + 1
        elif kind == "host" and e.get("ok"):
            _host_done(r.hosts_ok.setdefault(e["step"], []), str(e.get("host")), bool(e.get("undo")))
        elif kind == "inventory":
            r.inventory = e.get("path")
        elif kind == "goto" and not e.get("refused"):
            r.gotos[e["step"]] = int(e.get("taken", 1))
        elif kind == "milestone":
            r.milestones.append(e)
        elif kind == "message" and e.get("by", "responder") == "responder":
            r.last_message = e["t"]
        elif kind == "rollback" and e.get("phase") == "end":
            r.completed.clear()
        elif kind == "end":
            r.finished = e.get("outcome") == "completed"
    if r.unfinished is not None:
        r.runs[flight_step] = r.runs.get(flight_step, 0) + 1  # it started: it may have changed things
    return r


def _host_done(hosts: list[str], host: str, undone: bool) -> None:
    """A host a targeted step succeeded on (for its undo), or one its undo has restored."""
    if undone and host in hosts:
        hosts.remove(host)
    elif not undone and host not in hosts:
        hosts.append(host)


def apply(r: Resumed, state: RunState) -> None:
    """Put what the journal says into a freshly built state (inputs are handled by the caller)."""
    state.outputs.update(r.outputs)
    state.completed.extend(r.completed)
    state.runs.update(r.runs)
    if r.unfinished is not None:
        state.unfinished.add(r.unfinished)
    state.gotos.update(r.gotos)
    state.hosts_ok.update(r.hosts_ok)
    state.records.update(r.records)
    state.section = "rollback" if r.start.get("section") == "rollback" else "steps"
    clock = state.clock
    for m in r.milestones:
        if m.get("name") == "responded":
            clock.responded_at = parse_time(m.get("at") or m["t"])
        elif m.get("name") == "update_due":
            clock.seen.add(f"update_due@{m.get('due')}")
        elif m.get("name") == "escalation_due":
            clock.seen.add(f"escalation_due@{m.get('level')}")
    if r.last_message:
        clock.last_update = parse_time(r.last_message)
    if r.next_step is None:
        state.position = len(state.plan)
        return
    index = state.index_of(r.next_step)
    if index is None:
        raise ConfigError(f"the journal continues at step '{r.next_step}', which the runbook no longer has")
    state.position = index

"""Validation of decisions, jumps, conditions on earlier steps, runbook calls and drills.

These are reference errors, not lint: a condition on a step that cannot have run yet is
decided by an empty value, an answer that jumps to nowhere stops the run mid-incident, and
runbooks that call each other never end.  None of them can be switched off.
"""

from __future__ import annotations

from collections.abc import Iterator

from validator import conditions
from validator.findings import Finding, Severity, clip
from validator.graph import graph
from validator.model import Runbook, Step
from validator.references import _at, suggest
from validator.rules.scalar import place_offset

STATUSES = ("done", "failed", "skipped", "undone")
ASK_ANSWERS = ("retry", "continue", "rollback", "abort")


def _jumps(rb: Runbook, step: Step, plan_ids: list[str]) -> Iterator[Finding]:
    src = rb.source
    if step.next is not None and step.next not in plan_ids:
        yield _at(src, (*step.at, "next"), "R007", f"step '{step.id}' continues at '{step.next}', which is not a step",
                  suggest(step.next, plan_ids))
    if step.decide is None:
        return
    seen: set[str] = set()
    for choice in step.decide.choices:
        if choice.answer in seen:
            yield _at(src, (*choice.at, "answer"), "R004", f"decision '{step.id}' offers the answer '{choice.answer}' twice",
                      "answers must be unique within a decision")
        seen.add(choice.answer)
        if choice.goto is not None and choice.goto not in plan_ids:
            hint = ("a decision enters the rollback section with rollback: true" if rb.step(choice.goto) is not None
                    else suggest(choice.goto, plan_ids))
            yield _at(src, (*choice.at, "goto"), "R007",
                      f"answer '{choice.answer}' of step '{step.id}' goes to '{choice.goto}', which is not a step", hint)
        pol = rb.policy
        if choice.severity and pol is not None and pol.severity(choice.severity) is None:
            yield _at(src, (*choice.at, "severity"), "R001",
                      f"answer '{choice.answer}' raises the severity to '{choice.severity}', "
                      f"which policy '{pol.id}' does not define",
                      suggest(choice.severity, (s.id for s in pol.severities)))


def _in_condition(rb: Runbook, step: Step, word: str, message: str, hint: str) -> Finding:
    """A finding at ``word`` inside the step's condition."""
    text = step.when or ""
    found = text.find(word)
    line, col = place_offset(rb.source, (*step.at, "when"), text, max(found, 0))
    return Finding(rb.source.path, line, col, "R009", Severity.ERROR, message, hint)


def _condition(rb: Runbook, step: Step) -> Iterator[Finding]:
    """``steps.ID.*`` in a condition must name a step that can have run before this one."""
    if not step.when or "steps." not in step.when:
        return
    try:
        node = conditions.parse(step.when)
    except conditions.ConditionError:
        return  # F008 reports it
    g = graph(rb)
    for ref in conditions.references(node):
        if ref.parts[0] != "steps":
            continue
        _, sid, what = ref.parts
        other = g.steps.get(sid)
        if other is None:
            yield _in_condition(rb, step, str(ref), f"condition of step '{step.id}' uses {ref}, but there is no step '{sid}'",
                      suggest(sid, g.steps))
        elif not g.can_precede(sid, step.id):
            yield _in_condition(rb, step, str(ref), f"condition of step '{step.id}' uses {ref}, but step '{sid}' cannot have run "
                      f"before '{step.id}'", "a condition can only look at steps on a path that leads to it")
        elif what == "answer" and other.decide is None:
            yield _in_condition(rb, step, str(ref), f"condition of step '{step.id}' uses {ref}, but '{sid}' is not a decision",
                      "use steps.ID.status, or steps.ID.exit_code for a command")
        elif what == "exit_code" and not other.is_command:
            yield _in_condition(rb, step, str(ref), f"condition of step '{step.id}' uses {ref}, but '{sid}' runs no command",
                      "use steps.ID.status")
    for ref, values in conditions.compared(node):
        if ref.parts[0] != "steps" or ref.parts[1] not in g.steps:
            continue
        other = g.steps[ref.parts[1]]
        allowed: list[str] = []
        if ref.parts[2] == "status":
            allowed = list(STATUSES)
        elif ref.parts[2] == "answer" and other.decide is not None:
            allowed = [c.answer for c in other.decide.choices]
        for value in values if allowed else ():
            if str(value) not in allowed:
                yield _in_condition(rb, step, str(value),
                                    f"condition of step '{step.id}' compares {ref} with '{clip(str(value))}', "
                                    "which it can never be",
                                    f"it is one of: {', '.join(allowed)}")


def _calls(rb: Runbook, step: Step, by_id: dict[str, Runbook], known: set[str]) -> Iterator[Finding]:
    if step.call is None:
        return
    target = by_id.get(step.call)
    if target is None:
        if step.call not in known:
            yield _at(rb.source, (*step.at, "runbook"), "R008",
                      f"step '{step.id}' runs runbook '{step.call}', which does not exist", suggest(step.call, by_id))
        return
    names = [i.name for i in target.inputs]
    for name in step.call_inputs:
        if name not in names:
            yield _at(rb.source, (*step.at, "inputs", name), "R011",
                      f"step '{step.id}' gives input '{name}', which runbook '{target.id}' does not declare",
                      suggest(name, names), key=True)


def _cycles(runbooks: list[Runbook]) -> Iterator[Finding]:
    """Report each runbook that can reach itself through ``runbook:`` steps, at the step that starts the cycle."""
    by_id = {rb.id: rb for rb in runbooks}
    calls = {rb.id: [s for s in rb.all_steps() if s.call in by_id] for rb in runbooks}
    for rb in runbooks:
        for step in calls[rb.id]:
            path = _path(step.call or "", rb.id, calls, [rb.id, step.call or ""])
            if path is not None:
                yield _at(rb.source, (*step.at, "runbook"), "R010",
                          f"runbooks run each other in a cycle: {' → '.join(path)}",
                          "a runbook can run another only if that one never comes back to it")


def _path(node: str, goal: str, calls: dict[str, list[Step]], trail: list[str]) -> list[str] | None:
    if node == goal:
        return trail
    for step in calls.get(node, []):
        nxt = step.call or ""
        if nxt == goal:
            return [*trail, nxt]
        if nxt not in trail:
            found = _path(nxt, goal, calls, [*trail, nxt])
            if found is not None:
                return found
    return None


def _drills(rb: Runbook) -> Iterator[Finding]:
    g = graph(rb)
    src = rb.source
    inputs = [i.name for i in rb.inputs]
    for drill in rb.drills:
        where = f"drill '{drill.name}'"
        for sid, answer in drill.answers.items():
            step = g.steps.get(sid)
            at = (*drill.at, "answers", sid)
            if step is None:
                yield _at(src, at, "R011", f"{where} answers step '{sid}', which does not exist", suggest(sid, g.steps), key=True)
            elif step.decide is not None:
                options = [c.answer for c in step.decide.choices]
                if answer not in options:
                    yield _at(src, at, "R011", f"{where} answers '{clip(answer)}' to '{sid}', which offers {', '.join(options)}",
                              suggest(answer, options))
            elif step.on_failure.action == "ask":
                if answer not in ASK_ANSWERS:
                    yield _at(src, at, "R011", f"{where} answers '{clip(answer)}' to the failure of '{sid}'",
                              f"one of: {', '.join(ASK_ANSWERS)}")
            else:
                yield _at(src, at, "R011", f"{where} answers step '{sid}', which asks nothing",
                          "answers go to decisions and to steps with on_failure: ask", key=True)
        for sid in drill.results:
            if sid not in g.steps:
                yield _at(src, (*drill.at, "results", sid), "R011",
                          f"{where} gives a result for step '{sid}', which does not exist", suggest(sid, g.steps), key=True)
        for key in ("visits", "skips"):
            for i, sid in enumerate(getattr(drill, key)):
                if sid not in g.steps:
                    yield _at(src, (*drill.at, "expect", key, i), "R011", f"{where} expects step '{sid}', which does not exist",
                              suggest(sid, g.steps))
        for name in drill.inputs:
            if name not in inputs:
                yield _at(src, (*drill.at, "inputs", name), "R011", f"{where} sets input '{name}', which is not declared",
                          suggest(name, inputs), key=True)
        if drill.severity and rb.policy is not None and rb.policy.severity(drill.severity) is None:
            yield _at(src, (*drill.at, "severity"), "R001", f"{where} starts at severity '{drill.severity}', which the policy "
                      "does not define", suggest(drill.severity, (s.id for s in rb.policy.severities)))


def check(runbooks: list[Runbook], also_exist: set[str]) -> list[Finding]:
    """Every finding about decisions, jumps, step conditions, runbook calls and drills."""
    findings: list[Finding] = []
    by_id = {rb.id: rb for rb in runbooks}
    known = set(by_id) | also_exist
    for rb in runbooks:
        plan_ids = [s.id for s in (*rb.steps, *rb.verify)]
        for step in rb.all_steps():
            findings.extend(_jumps(rb, step, plan_ids))
            findings.extend(_condition(rb, step))
            findings.extend(_calls(rb, step, by_id, known))
        if rb.drills:
            findings.extend(_drills(rb))
    findings.extend(_cycles(runbooks))
    return findings

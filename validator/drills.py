"""Drills in CI: walk a runbook with simulated results and check the path it takes.

No command runs.  A command step takes the drill's result for it (``results:``), else the
step's own ``simulate:``, else it succeeds; manual, checklist and runbook steps are done
unless the drill says failed or skipped; decisions take the drill's answer.  The walk uses
the same :class:`~validator.walk.Walk` as the runner, so the path is the one a responder
would be led along.  A step that runs another runbook is one step here: that runbook's own
drills test its inside.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from validator import drill_hosts
from validator.graph import END, FAILED, ROLLED_BACK, graph
from validator.model import Rehearsal, Runbook, Step, StepResult
from validator.walk import Walk, check_result

MAX_VISITS = 1000  # a drill that walks this many steps is in a loop the runbook cannot leave
OUTCOMES = {END: "resolved", FAILED: "failed", ROLLED_BACK: "rolled-back"}


@dataclass
class Visit:
    """One step on the path: what happened to it, and where the run went next."""

    step: str
    status: str  # done | failed | skipped | answered
    target: str = ""
    label: str = ""


@dataclass
class DrillResult:
    runbook: Runbook
    drill: Rehearsal
    path: list[Visit] = field(default_factory=list)
    outcome: str = ""
    problems: list[str] = field(default_factory=list)
    diverged_at: str | None = None

    @property
    def passed(self) -> bool:
        return not self.problems

    @property
    def carried_out(self) -> list[str]:
        return [v.step for v in self.path if v.status != "skipped"]

    @property
    def answers(self) -> set[tuple[str, str]]:
        return {(v.step, v.label) for v in self.path if v.status == "answered"}


class _Stop(Exception):
    """The drill cannot go on (a question it gives no answer to)."""


def _inputs(rb: Runbook, drill: Rehearsal) -> dict[str, object]:
    values = {i.name: i.example if i.example is not None else i.default for i in rb.inputs}
    values.update(drill.inputs)
    return values


def _result(step: Step, drill: Rehearsal) -> StepResult:
    given = drill.results.get(step.id)
    if given is not None:
        return given
    if step.simulate is not None:
        return StepResult(step.simulate.exit_code, step.simulate.output, None,
                          {h: StepResult(v.exit_code, v.output) for h, v in step.simulate.hosts.items()})
    return StepResult(step.expect.exit_codes[0] if step.expect.exit_codes else 0, "")


def _capture(walk: Walk, step: Step, output: str) -> None:
    for cap in step.capture:
        if cap.pattern:
            found = re.search(cap.pattern, output, re.M)
            if found is not None:
                walk.outputs[cap.name] = found.group(1) if found.re.groups else found.group(0)
        else:
            walk.outputs[cap.name] = output.strip()


def _perform(walk: Walk, step: Step, drill: Rehearsal, out: DrillResult) -> str:
    """Carry out ``step`` in simulation; returns the node the run goes to next."""
    if step.decide is not None:
        answer = drill.answers.get(step.id)
        if answer is None or step.decide.choice(answer) is None:
            raise _Stop(f"the drill gives no answer to the decision '{step.id}'"
                        f" ({', '.join(c.answer for c in step.decide.choices)})")
        choice = step.decide.choice(answer)
        if choice is not None and choice.severity:
            walk.raise_severity(choice.severity)
        walk.record(step, "done", answer=answer)
        target = walk.after(step, answer)
        out.path.append(Visit(step.id, "answered", target, answer))
        return target
    result = _result(step, drill)
    hosts = ""
    if step.is_targeted:  # on hosts: some may fail, and a failed batch stops the rollout
        ok, hosts = drill_hosts.outcome(walk.runbook, step, result)
        status = "done" if ok else "failed"
        exit_code: int | None = result.exit_code
    elif step.is_command or (step.wait is not None and step.wait.until):
        ok, _ = check_result(step, result.exit_code, result.output)
        status = "done" if ok else "failed"
        exit_code = result.exit_code if step.is_command else None
        if ok:
            _capture(walk, step, result.output)
    else:
        status, exit_code = result.status or "done", None
        if status == "failed" and not step.can_fail:
            status = "done"
    if status == "skipped":
        walk.record(step, "skipped")
        target = walk.after(step)
        out.path.append(Visit(step.id, "skipped", target, "skipped by the responder"))
        return target
    walk.record(step, status, exit_code=exit_code)
    if status == "done":
        target = walk.after(step)
        out.path.append(Visit(step.id, "done", target))
        return target
    action = None
    if step.on_failure.action == "ask":
        action = drill.answers.get(step.id)
        if action is None:
            raise _Stop(f"'{step.id}' failed and asks what to do; the drill gives no answer (retry, continue, rollback, abort)")
        if action == "retry":
            action = "abort"  # the same simulated result fails again
    if step.on_failure.action == "retry":
        action = "abort"
    route = walk.on_failure(step, action)
    label = "failed" + (f" ({hosts})" if hosts else "") + ": " + (action or step.on_failure.action)
    out.path.append(Visit(step.id, "failed", route.target, label))
    if action == "abort":
        out.outcome = "aborted" if step.on_failure.action == "ask" else "failed"
    return route.target


def _rollback(walk: Walk) -> None:
    """Undo the completed steps (the drill runs no undo command) before the rollback steps."""
    for sid, rec in list(walk.records.items()):
        step = walk.step(sid)
        if rec.status == "done" and step is not None and step.undo:
            rec.status = "undone"


def run_drill(rb: Runbook, drill: Rehearsal) -> DrillResult:
    """Walk ``rb`` as ``drill`` says, then compare the path and outcome with what it expects."""
    out = DrillResult(rb, drill)
    walk = Walk(rb, drill.severity or rb.severity, _inputs(rb, drill), drill=True)
    node = walk.start
    rolling = False
    try:
        for _ in range(MAX_VISITS):
            if node in OUTCOMES:
                break
            step = walk.step(node)
            if step is None:
                raise _Stop(f"the run goes to '{node}', which is not a step")
            if step.section == "rollback" and not rolling:
                rolling = True
                _rollback(walk)
            holds, _ = walk.condition(step)
            if not holds:
                walk.record(step, "skipped")
                node = walk.after(step)
                out.path.append(Visit(step.id, "skipped", node, "condition false"))
                continue
            node = _perform(walk, step, drill, out)
        else:
            raise _Stop(f"the run visited {MAX_VISITS} steps without ending: it is caught in a loop")
        if node == ROLLED_BACK and not rolling:
            _rollback(walk)
        out.outcome = out.outcome or OUTCOMES[node]
    except _Stop as stop:
        out.outcome = "stopped"
        out.problems.append(str(stop))
        out.diverged_at = out.path[-1].step if out.path else walk.start
        return out
    _compare(out)
    return out


def _branch_toward(out: DrillResult, wanted: str, upto: int) -> str | None:
    """The last step before position ``upto`` on the path where another way led to ``wanted``."""
    g = graph(out.runbook)
    for visit in reversed(out.path[:upto]):
        for edge in g.out.get(visit.step, ()):
            if edge.target != visit.target and (edge.target == wanted or g.can_precede(edge.target, wanted)):
                return visit.step
    return None


def _compare(out: DrillResult) -> None:
    drill = out.drill
    done = out.carried_out
    if out.outcome != drill.outcome:
        last = out.path[-1] if out.path else None
        where = f" after {last.step} ({last.label or last.status})" if last else ""
        out.problems.append(f"expected outcome {drill.outcome}, the run ended {out.outcome}{where}")
        out.diverged_at = last.step if last else None
    position = 0
    for sid in drill.visits:
        try:
            position = done.index(sid, position) + 1
        except ValueError:
            toward = _branch_toward(out, sid, len(out.path))
            skipped = next((v for v in out.path if v.step == sid and v.status == "skipped"), None)
            if sid in done:
                out.problems.append(f"expected a visit to {sid} in this order, but it came earlier")
            elif skipped is not None:
                out.problems.append(f"expected a visit to {sid}, which was skipped ({skipped.label})")
                toward = sid
            else:
                out.problems.append(f"expected a visit to {sid}, which the run never carried out"
                                    + (f"; paths diverged at {toward}" if toward else ""))
            out.diverged_at = out.diverged_at or toward or sid
    for sid in drill.skips:
        if sid in done:
            index = next(i for i, v in enumerate(out.path) if v.step == sid and v.status != "skipped")
            g = graph(out.runbook)
            branch = next((v.step for v in reversed(out.path[:index])
                           if len({e.target for e in g.out.get(v.step, ())}) > 1), None)
            out.problems.append(f"expected {sid} to be skipped, but the run carried it out"
                                + (f"; paths diverged at {branch}" if branch else ""))
            out.diverged_at = out.diverged_at or branch or sid


@dataclass
class Coverage:
    """What the drills of one runbook reached: steps carried out and decision answers given."""

    runbook: Runbook
    steps: list[str]
    answers: list[tuple[str, str]]
    reached_steps: set[str] = field(default_factory=set)
    reached_answers: set[tuple[str, str]] = field(default_factory=set)

    @property
    def total(self) -> int:
        return len(self.steps) + len(self.answers)

    @property
    def reached(self) -> int:
        return len(self.reached_steps & set(self.steps)) + len(self.reached_answers & set(self.answers))

    @property
    def missed_steps(self) -> list[str]:
        return [s for s in self.steps if s not in self.reached_steps]

    @property
    def missed_answers(self) -> list[tuple[str, str]]:
        return [a for a in self.answers if a not in self.reached_answers]


def coverage(rb: Runbook, results: list[DrillResult]) -> Coverage:
    cov = Coverage(rb, [s.id for s in rb.all_steps()],
                   [(s.id, c.answer) for s in rb.all_steps() if s.decide for c in s.decide.choices])
    for result in results:
        cov.reached_steps.update(result.carried_out)
        cov.reached_answers.update(result.answers)
    return cov


def percent(reached: int, total: int) -> float:
    return 100.0 if total == 0 else 100.0 * reached / total


def run_all(runbooks: Iterable[Runbook]) -> tuple[list[DrillResult], list[Coverage]]:
    """Every drill of every runbook, and each runbook's coverage.

    The loaded runbooks are long-lived: with the collector frozen while the drills walk, its
    collections no longer scan the whole model again and again (half of the time on 1,000
    runbooks)."""
    books = list(runbooks)
    gc.freeze()
    try:
        results = [run_drill(rb, drill) for rb in books for drill in rb.drills]
    finally:
        gc.unfreeze()
    by_book: dict[int, list[DrillResult]] = {}
    for result in results:
        by_book.setdefault(id(result.runbook), []).append(result)
    return results, [coverage(rb, by_book.get(id(rb), [])) for rb in books]


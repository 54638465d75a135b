"""One walk through a runbook's graph: where the run is, what each step did, and where it goes next.

The walker owns the order of a run; whoever performs the steps (the runner in a terminal,
``runbook test`` with simulated results) tells it how each step ended and asks it where to
go.  So a drill in CI follows exactly the path a responder would, and the rules for
``next:``, answers, ``when:`` and failure policies live in one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from validator import conditions
from validator.graph import END, FAILED, Graph, graph
from validator.model import Runbook, Step


@dataclass
class Record:
    """What a condition sees of a step that has run: ``steps.ID.status|answer|exit_code``."""

    status: str  # done | failed | skipped | undone
    answer: str | None = None
    exit_code: int | None = None


@dataclass
class Route:
    """Where a failed step sends the run: ``kind`` is goto, continue, rollback or stop."""

    kind: str
    target: str
    reason: str


@dataclass
class Walk:
    runbook: Runbook
    severity: str | None = None
    inputs: dict[str, Any] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
    records: dict[str, Record] = field(default_factory=dict)
    gotos: dict[str, int] = field(default_factory=dict)  # how often each step's failure goto was taken
    drill: bool = False

    @property
    def graph(self) -> Graph:
        return graph(self.runbook)

    @property
    def start(self) -> str:
        return self.graph.start

    def step(self, step_id: str) -> Step | None:
        return self.graph.steps.get(step_id)

    def context(self) -> dict[str, Any]:
        """What ``when:`` conditions see."""
        return {"severity": self.severity, "service": self.runbook.service, "drill": self.drill,
                "inputs": dict(self.inputs), "outputs": dict(self.outputs),
                "steps": {sid: {"status": r.status, "answer": r.answer, "exit_code": r.exit_code}
                          for sid, r in self.records.items()}}

    def condition(self, step: Step) -> tuple[bool, str]:
        """Whether the step's ``when:`` holds, and the reason to give when it does not."""
        if not step.when:
            return True, ""
        try:
            node = conditions.parse(step.when)
        except conditions.ConditionError as err:
            return False, f"condition '{step.when}' cannot be read ({err})"
        holds = conditions.evaluate(node, self.context())
        return holds, "" if holds else f"condition '{step.when}' is false"

    def record(self, step: Step, status: str, answer: str | None = None, exit_code: int | None = None) -> None:
        self.records[step.id] = Record(status, answer, exit_code)

    def follow(self, step: Step) -> str:
        """The step after ``step`` in its section (or the end of the run)."""
        return self.graph.next_in_section.get(id(step), END)

    def after(self, step: Step, answer: str | None = None) -> str:
        """Where the run goes once ``step`` is done or skipped (a decision: by its answer)."""
        if step.decide is not None and answer is not None:
            choice = step.decide.choice(answer)
            if choice is not None and choice.rollback:
                return self.graph.rollback_entry
            if choice is not None and choice.goto:
                return choice.goto
        return step.next or self.follow(step)

    def raise_severity(self, severity: str) -> bool:
        """Move the incident to ``severity`` when it is more severe than the current one."""
        policy = self.runbook.policy
        new = policy.severity(severity) if policy else None
        old = policy.severity(self.severity) if policy and self.severity else None
        if new is None or (old is not None and new.rank >= old.rank):
            return False
        self.severity = severity
        return True

    def on_failure(self, step: Step, action: str | None = None) -> Route:
        """Where the failure of ``step`` leads under its policy (or ``action``, the responder's choice)."""
        policy = step.on_failure
        action = action or policy.action
        if action == "continue":
            return Route("continue", step.next or self.follow(step), "failed; continued")
        if action == "rollback" and step.section != "rollback":
            return Route("rollback", self.graph.rollback_entry, "failed; rolling back")
        if action == "goto" and policy.goto:
            taken = self.gotos.get(step.id, 0)
            if taken >= policy.max:
                return Route("stop", FAILED, f"{step.id} failed and its go-to {policy.goto} was already taken {taken} "
                             f"time(s) (max {policy.max}); the run stops here.")
            self.gotos[step.id] = taken + 1
            return Route("goto", policy.goto, f"go to {policy.goto}")
        return Route("stop", FAILED, f"{step.id} failed; the run stops here (on_failure: {action}).")


def check_result(step: Step, exit_code: int | None, output: str) -> tuple[bool, str]:
    """Whether a command's result is what the step expects, and why not."""
    if exit_code not in step.expect.exit_codes:
        wanted = " or ".join(str(c) for c in step.expect.exit_codes)
        return False, f"exit code {exit_code}, expected {wanted}"
    try:
        if step.expect.output and re.search(step.expect.output, output, re.M) is None:
            return False, f"the output does not match /{step.expect.output}/"
        if step.expect.not_output and re.search(step.expect.not_output, output, re.M) is not None:
            return False, f"the output matches /{step.expect.not_output}/"
    except re.error as err:
        return False, f"the expected-output pattern is not a valid regular expression ({err})"
    return True, ""

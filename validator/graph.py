"""A runbook as the graph a responder walks: which step can follow which, and why.

One place answers "where can the run go from here" for everyone who needs it: the validation
checks (a condition naming a step that cannot have run yet), the graph lint rules
(unreachable steps, loops with no way out), drills and coverage, and the docs site's flow
diagram.  The runner's walker follows the same rules one step at a time (:mod:`validator.walk`).

Edges leave a step when it is done (to ``next:`` or the following step), for each answer of a
decision, when its ``when:`` is false (skipped, on to the following step) and when it fails
(its ``on_failure``).  The run ends at :data:`END` (resolved), :data:`FAILED` (stopped by a
failure or an abort) or :data:`ROLLED_BACK`; the rollback section is entered at its first step.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from validator.model import Runbook, Step

END, FAILED, ROLLED_BACK = "(end)", "(failed)", "(rolled back)"
TERMINALS = (END, FAILED, ROLLED_BACK)


@dataclass(frozen=True)
class Edge:
    """``kind``: next (done), jump (``next:``), skip (``when:`` false), answer, failure."""

    source: str
    target: str
    kind: str
    label: str = ""


class Graph:
    """The edges of one runbook, computed once (they are kept on the runbook)."""

    def __init__(self, rb: Runbook) -> None:
        self.runbook = rb
        self.plan: list[Step] = [*rb.steps, *rb.verify]
        self.steps: dict[str, Step] = {}
        for step in (*self.plan, *rb.rollback):
            self.steps.setdefault(step.id, step)
        self.rollback_entry = rb.rollback[0].id if rb.rollback else ROLLED_BACK
        self.edges: list[Edge] = []
        for i, step in enumerate(self.plan):
            self.edges += step_edges(step, self.plan[i + 1].id if i + 1 < len(self.plan) else END, self.rollback_entry)
        for i, step in enumerate(rb.rollback):
            follow = rb.rollback[i + 1].id if i + 1 < len(rb.rollback) else ROLLED_BACK
            self.edges += step_edges(step, follow, ROLLED_BACK, in_rollback=True)
        self.out: dict[str, list[Edge]] = {}
        for edge in self.edges:
            self.out.setdefault(edge.source, []).append(edge)
        self.next_in_section: dict[int, str] = {}  # by id(step): the step after it in its section, or the end
        for section, end in ((self.plan, END), (rb.rollback, ROLLED_BACK)):
            for i, step in enumerate(section):
                self.next_in_section[id(step)] = section[i + 1].id if i + 1 < len(section) else end

    @property
    def start(self) -> str:
        return self.plan[0].id if self.plan else END

    def reachable(self, start: str, kinds: Iterable[str] | None = None) -> set[str]:
        """Every node reachable from ``start`` by at least one edge (``start`` itself only through a loop)."""
        allowed = set(kinds) if kinds is not None else None
        seen: set[str] = set()
        todo = deque([start])
        while todo:
            node = todo.popleft()
            for edge in self.out.get(node, ()):
                if (allowed is None or edge.kind in allowed) and edge.target not in seen:
                    seen.add(edge.target)
                    todo.append(edge.target)
        return seen

    def can_precede(self, earlier: str, later: str) -> bool:
        """Whether step ``earlier`` can have run (or been skipped) by the time ``later`` starts."""
        cache: dict[str, set[str]] = self.__dict__.setdefault("_reach", {})
        if earlier not in cache:
            cache[earlier] = self.reachable(earlier)
        return later in cache[earlier]

    def unreachable(self) -> list[Step]:
        """Steps and verification steps no path from the first step leads to."""
        seen = self.reachable(self.start) | {self.start}
        return [s for s in self.plan if s.id not in seen]

    def stuck(self) -> list[Step]:
        """Reachable steps from which no way forward (done, skipped or answered, never failing)
        leads to the end of the run: a loop with no way out."""
        ahead = {"next", "jump", "skip", "answer"}
        back: dict[str, list[str]] = {}
        for edge in self.edges:
            if edge.kind in ahead:
                back.setdefault(edge.target, []).append(edge.source)
        free = set(TERMINALS)
        todo = deque(TERMINALS)
        while todo:
            for source in back.get(todo.popleft(), ()):
                if source not in free:
                    free.add(source)
                    todo.append(source)
        seen = self.reachable(self.start) | {self.start}
        return [s for s in self.plan if s.id in seen and s.id not in free]


def step_edges(step: Step, follow: str, rollback_entry: str, in_rollback: bool = False) -> list[Edge]:
    """The edges out of one step, ``follow`` being the step after it in its section."""
    done = step.next or follow
    edges: list[Edge] = []
    if step.when:
        edges.append(Edge(step.id, done, "skip", f"not: {step.when}"))
    if step.decide is not None:
        for choice in step.decide.choices:
            target = rollback_entry if choice.rollback else choice.goto or done
            edges.append(Edge(step.id, target, "answer", choice.answer))
    else:
        edges.append(Edge(step.id, done, "jump" if step.next else "next"))
    if step.can_fail:
        policy = step.on_failure
        action = policy.action
        if action == "goto" and policy.goto:
            edges.append(Edge(step.id, policy.goto, "failure", f"failed (at most {policy.max}×)"))
            edges.append(Edge(step.id, FAILED, "failure", "failed again"))
        elif action == "continue":
            edges.append(Edge(step.id, done, "failure", "failed: continue"))
        elif action == "rollback" and not in_rollback:
            edges.append(Edge(step.id, rollback_entry, "failure", "failed: roll back"))
        elif action == "ask":
            edges.append(Edge(step.id, done, "failure", "failed: continue"))
            if not in_rollback:
                edges.append(Edge(step.id, rollback_entry, "failure", "failed: roll back"))
            edges.append(Edge(step.id, FAILED, "failure", "failed: abort"))
        else:
            edges.append(Edge(step.id, FAILED, "failure", "failed"))
    return edges


def graph(rb: Runbook) -> Graph:
    """The runbook's graph, built once and kept on the runbook."""
    found: Graph | None = rb.__dict__.get("_graph")
    if found is None:
        found = rb.__dict__["_graph"] = Graph(rb)
    return found

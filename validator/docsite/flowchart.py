"""A runbook's flow diagram: the real graph a responder walks, from :mod:`validator.graph`.

Decisions are diamonds with an edge per answer; steps that run only ``when:`` something holds
are reached by edges labelled with the condition (so the systemd and docker alternatives are
drawn side by side, with an "otherwise" edge past them); failure policies are dashed edges; the
rollback section is joined to every step and answer that enters it; destructive steps are
marked.  Runs of plain steps (one way in, one way out, nothing to decide) are folded into one
node, so a runbook of sixty steps still fits a screen.
"""

from __future__ import annotations

from validator import conditions
from validator.docsite import flow
from validator.graph import END, FAILED, ROLLED_BACK, Edge, Graph, graph
from validator.model import Runbook, Step

FOLD = 3  # a run of this many plain steps or more becomes one node
# Drawn at its own size and scrolled sideways when wider than the page, never shrunk to fit:
# a branching runbook shrunk to the column would have unreadable labels.
NATURAL_SIZE = '%%{init: {"flowchart": {"useMaxWidth": false}}}%%'
WRAP = 26  # characters per label line: narrow nodes keep a branching diagram readable at page width
TERMINAL_NODES = {END: ("done", "resolved"), ROLLED_BACK: ("rolledback", "rolled back"), FAILED: ("stopped", "stopped")}


def label(text: str) -> str:
    return flow.label(text, WRAP)


def _names(condition: str) -> frozenset[str]:
    """The names a condition reads (empty when it does not parse)."""
    try:
        return frozenset(str(ref) for ref in conditions.references(conditions.parse(condition)))
    except conditions.ConditionError:
        return frozenset()


def _shape(step: Step, text: str) -> str:
    if step.decide is not None:
        return "{" + label(text) + "}"
    if step.call is not None:
        return "[[" + label(text) + "]]"
    if step.kind == "wait":
        return "{{" + label(text) + "}}"
    if step.kind in ("manual", "checklist"):
        return "([" + label(text) + "])"
    return "[" + label(text) + "]"


class _Diagram:
    def __init__(self, rb: Runbook) -> None:
        self.rb = rb
        self.g: Graph = graph(rb)
        self.ids = {s.id: f"s{n}" for n, s in enumerate(rb.all_steps())}
        self.numbers = {s.id: f"{p}{i}." for section, p in ((rb.steps, ""), (rb.verify, "V"), (rb.rollback, "R"))
                        for i, s in enumerate(section, 1)}
        self.folded = self._fold()
        self.lines: list[str] = [NATURAL_SIZE, "flowchart TD", '  start(("start"))']
        self.used_terminals: set[str] = set()

    def _plain(self, step: Step, incoming: dict[str, int]) -> bool:
        out = self.g.out.get(step.id, [])
        edges = [e for e in out if e.kind != "failure" or e.target != FAILED]
        return (step.decide is None and step.call is None and not step.when and step.risk != "destructive"
                and len(edges) == 1 and edges[0].kind == "next" and incoming.get(step.id, 0) <= 1)

    def _fold(self) -> dict[str, list[Step]]:
        """First step id → the run of plain steps it stands for (only runs of FOLD or more)."""
        incoming: dict[str, int] = {}
        for edge in self.g.edges:
            if edge.kind != "skip":
                incoming[edge.target] = incoming.get(edge.target, 0) + 1
        runs: dict[str, list[Step]] = {}
        for section in (self.rb.steps, self.rb.verify, self.rb.rollback):
            run: list[Step] = []
            for step in [*section, None]:
                if step is not None and self._plain(step, incoming) and (not run or incoming.get(step.id, 0) == 1):
                    run.append(step)
                    continue
                if len(run) >= FOLD:
                    runs[run[0].id] = run
                run = [step] if step is not None and self._plain(step, incoming) else []
        return runs

    def node_of(self, step_id: str) -> str:
        if step_id in TERMINAL_NODES:
            self.used_terminals.add(step_id)
            return TERMINAL_NODES[step_id][0]
        for first, run in self.folded.items():
            if any(s.id == step_id for s in run):
                return self.ids[first]
        return self.ids[step_id]

    def nodes(self, steps: list[Step], name: str, title: str) -> None:
        """The nodes of one section; verification and rollback are framed, the main steps are not
        (a frame around them all only widens the drawing)."""
        if not steps:
            return
        if name:
            self.lines.append(f'  subgraph {name}["{title}"]')
        hidden = {s.id for run in self.folded.values() for s in run[1:]}
        for step in steps:
            if step.id in hidden:
                continue
            run = self.folded.get(step.id)
            if run is not None:
                first, last = self.numbers[run[0].id].rstrip("."), self.numbers[run[-1].id].rstrip(".")
                text = f"{first}–{last}. {len(run)} steps: {run[0].name} … {run[-1].name}"
                self.lines.append(f"    {self.ids[step.id]}[{label(text)}]")
                continue
            mark = "⚠ " if step.risk == "destructive" else ""
            self.lines.append(f"    {self.ids[step.id]}{_shape(step, f'{mark}{self.numbers[step.id]} {step.name}')}")
        if name:
            self.lines.append("  end")

    def arrow(self, source: str, target: str, text: str = "", dashed: bool = False) -> None:
        a, b = self.node_of(source) if source != "start" else "start", self.node_of(target)
        if a == b and source != target:
            return  # inside a folded run
        if dashed:
            self.lines.append(f"  {a} -. {label(text)} .-> {b}" if text else f"  {a} -.-> {b}")
        else:
            self.lines.append(f"  {a} -- {label(text)} --> {b}" if text else f"  {a} --> {b}")

    def group(self, step_id: str) -> list[str]:
        """The alternatives starting at ``step_id``: it and the steps right after it whose ``when:``
        reads the same names (``inputs.deployment == 'systemd'`` / ``== 'docker'``)."""
        first = self.g.steps.get(step_id)
        if first is None or not first.when:
            return []
        names = _names(first.when)
        members = [step_id]
        while True:
            nxt = next((e.target for e in self.g.out.get(members[-1], []) if e.kind == "skip"), None)
            step = self.g.steps.get(nxt or "")
            if step is None or not step.when or not names or _names(step.when) != names:
                return members
            members.append(step.id)

    def past(self, members: list[str]) -> str:
        return next((e.target for e in self.g.out.get(members[-1], []) if e.kind == "skip"), END)

    def branch(self, source: str, target: str, text: str = "") -> None:
        """An edge to ``target``; when that step runs only under a condition, one labelled edge to
        it and to each alternative beside it ("if", "else if"), and an "else" edge past them."""
        head = f"{text}, " if text else ""
        seen: set[str] = set()
        word = "if"
        while (members := self.group(target)) and target not in seen:
            seen.update(members)
            for member in members:
                self.arrow(source, member, f"{head}{word} {self.g.steps[member].when}")
                word = "else if"
            target = self.past(members)
        self.arrow(source, target, f"{head}else" if seen else text)

    def edges(self) -> None:
        self.branch("start", self.g.start)
        for edge in self.g.edges:
            if edge.kind == "skip":
                continue  # drawn as the labelled branches into the step
            self.edge(edge)

    def edge(self, edge: Edge) -> None:
        step = self.g.steps[edge.source]
        if edge.kind == "answer":
            choice = step.decide.choice(edge.label) if step.decide else None
            text = edge.label + (f" ⚠ severity {choice.severity}" if choice and choice.severity else "")
            self.branch(edge.source, edge.target, text)
        elif edge.kind in ("next", "jump"):
            target = edge.target
            members = self.group(self._group_start(edge.source))
            if edge.kind == "next" and target in members:
                target = self.past(members)  # alternatives: after one of them, the run goes on past them all
            self.branch(edge.source, target, "then" if edge.kind == "jump" else "")
        elif edge.target == self.g.rollback_entry and edge.kind == "failure":
            self.arrow(edge.source, edge.target, "on failure: roll back", dashed=True)
        elif edge.kind == "failure" and step.on_failure.goto == edge.target:
            self.arrow(edge.source, edge.target, f"on failure, max {step.on_failure.max}", dashed=True)

    def _group_start(self, step_id: str) -> str:
        """The first of the alternatives ``step_id`` belongs to (itself when it has none)."""
        for step in self.g.plan:
            members = self.group(step.id)
            if step_id in members:
                return step.id
        return step_id

    def render(self) -> str:
        rb = self.rb
        self.nodes(rb.steps, "", "Steps")
        self.nodes(rb.verify, "check", "Verify")
        self.nodes(rb.rollback, "back", "Rollback")
        self.edges()
        for terminal in sorted(self.used_terminals):
            node, text = TERMINAL_NODES[terminal]
            self.lines.append(f'  {node}(("{text}"))')
        destructive = [self.ids[s.id] for s in rb.all_steps() if s.risk == "destructive" and s.id in self.ids]
        if destructive:
            self.lines.append("  classDef destructive stroke:#c62828,stroke-width:3px")
            self.lines.append(f"  class {','.join(destructive)} destructive")
        return "\n".join(self.lines)


def runbook_flow(rb: Runbook) -> str:
    """The Mermaid source of the runbook's flow diagram."""
    return _Diagram(rb).render()

"""The run's state: what a resume must rebuild from the journal, and nothing else.

Kept apart from the step loop so :mod:`resume` can reconstruct it event by event and the
loop can stay a pipeline of small functions that read and update it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from validator.model import Runbook, Step
from validator.runner.clock import Clock
from validator.walk import Record, Walk


@dataclass
class Mode:
    """How the run is driven: interactive by default; --yes, --dry-run, --drill change it."""

    yes: bool = False
    dry_run: bool = False
    drill: bool = False
    ack_manual: bool = False
    answers: dict[str, str] = field(default_factory=dict)  # --answer STEP=ANSWER: decisions answered before they are asked

    @property
    def name(self) -> str:
        return "dry-run" if self.dry_run else "yes" if self.yes else "interactive"

    @property
    def interactive(self) -> bool:
        return not self.yes and not self.dry_run


@dataclass
class Outcome:
    """How a step ended: ``status`` for the record (done, failed, skipped …); ``answer`` a decision's;
    ``goto`` jumps; ``rollback`` enters the rollback section; ``stop`` ends the run."""

    status: str
    goto: str | None = None
    stop: str | None = None
    reason: str = ""
    by: str = ""  # "condition" when a when: condition skipped the step
    answer: str | None = None
    rollback: bool = False
    backed_out: bool = False  # the responder chose to roll back at this step's prompt: it did not run


@dataclass
class RunState:
    runbook: Runbook
    clock: Clock
    root: Path
    inputs: dict[str, Any] = field(default_factory=dict)
    secret_inputs: set[str] = field(default_factory=set)
    outputs: dict[str, str] = field(default_factory=dict)
    secret_outputs: set[str] = field(default_factory=set)
    completed: list[str] = field(default_factory=list)  # steps done, in order: rollback undoes them in reverse
    runs: dict[str, int] = field(default_factory=dict)  # how often each step's command ran
    gotos: dict[str, int] = field(default_factory=dict)  # how often each step's goto was taken
    records: dict[str, Record] = field(default_factory=dict)  # what steps.ID.status|answer|exit_code see
    exit_codes: dict[str, int | None] = field(default_factory=dict)  # each step's last command exit code
    position: int = 0
    severity: str | None = None
    paged_at: datetime | None = None  # when the responder was paged (--paged-at), for the record
    unknown_inputs: set[str] = field(default_factory=set)  # a dry run's inputs nobody gave: shown as <name>
    library: dict[str, Runbook] = field(default_factory=dict)  # runbooks a `runbook:` step can run, by id
    unfinished: set[str] = field(default_factory=set)  # started before the runner stopped, result never recorded
    section: str = "steps"  # "rollback" when the run was started at a rollback step (--start-at)
    inventory: Path | None = None  # the Ansible inventory targeted steps run against
    inventory_origin: str = ""  # who named it: --inventory, the configuration, the policy
    forks: int = 10  # hosts a targeted step runs on at once
    hosts_ok: dict[str, list[str]] = field(default_factory=dict)  # per targeted step, the hosts it succeeded on

    @property
    def plan(self) -> list[Step]:
        """The steps a run walks through: steps, then verification; rollback steps only on rollback,
        or when the run starts at one of them (it then walks the rollback section to its end)."""
        if self.section == "rollback":
            return list(self.runbook.rollback)
        return [*self.runbook.steps, *self.runbook.verify]

    def start_at(self, step_id: str) -> bool:
        """Begin at ``step_id``, a step, verification or rollback step; False when there is none."""
        for section in ("steps", "rollback"):
            self.section = section
            index = self.index_of(step_id)
            if index is not None:
                self.position = index
                return True
        self.section = "steps"
        return False

    def index_of(self, step_id: str) -> int | None:
        return next((i for i, s in enumerate(self.plan) if s.id == step_id), None)

    def capture_names(self) -> set[str]:
        return {c.name for s in self.runbook.all_steps() for c in s.capture}

    def lookup(self, name: str) -> str | None:
        """The text ``${name}`` stands for; None leaves it to the shell (an environment variable)."""
        if name in self.inputs:
            value = self.inputs[name]
            return "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
        if name in self.outputs:
            return self.outputs[name]
        if name in self.capture_names() or self.runbook.input(name) is not None:
            return ""  # declared but not captured (the step was skipped): empty, never the shell's variable
        return None

    def variable(self, name: str) -> str:
        """The environment variable a value travels in to the command (see :mod:`validator.runner.quoting`)."""
        return f"RUNBOOK_INPUT_{name}" if name in self.inputs or self.runbook.input(name) else f"RUNBOOK_OUTPUT_{name}"

    def is_secret(self, name: str) -> bool:
        if name in self.inputs or self.runbook.input(name) is not None:
            return name in self.secret_inputs
        return name in self.secret_outputs or any(c.name == name and c.secret
                                                  for s in self.runbook.all_steps() for c in s.capture)

    def walk(self, drill: bool = False) -> Walk:
        """The walker's view of this run (sharing its records, values and go-to counts): where
        each outcome leads, and what conditions see."""
        return Walk(self.runbook, self.severity, self.inputs, self.outputs, self.records, self.gotos, drill=drill)

    def context(self) -> dict[str, Any]:
        """What ``when:`` conditions see."""
        return self.walk().context()

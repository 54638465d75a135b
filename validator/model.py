"""The typed model of policies and runbooks that lint rules, the docs plugin and the runner share.

Objects are built only from documents that passed the schema check, so fields hold the
types the schema promises; durations are already seconds.  Every object keeps ``at``, its
path inside the document, so any later stage can point back at the source line.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import field
from typing import Any, TypeVar, dataclass_transform

from validator.locate import Locator

_T = TypeVar("_T")


def _repr(self: object) -> str:
    shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in dataclasses.fields(self) if f.repr)  # type: ignore[arg-type]
    return f"{type(self).__name__}({shown})"


@dataclass_transform(eq_default=False, field_specifiers=(field,))
def dataclass(cls: type[_T]) -> type[_T]:
    """``@dataclass`` without a generated ``__eq__`` and ``__repr__`` per class.

    ``dataclasses`` compiles each generated method from source; for the classes here that
    was half the time of importing this module, which every command pays.  Model objects
    compare by identity (the same step id in two runbooks is two steps) and share one
    ``__repr__``.  A class without a docstring gets its name as one, instead of the
    signature ``dataclasses`` would compute for it through ``inspect``.
    """
    if not cls.__doc__:
        cls.__doc__ = cls.__name__
    made = dataclasses.dataclass(eq=False, repr=False)(cls)
    made.__repr__ = _repr  # type: ignore[method-assign]
    return made


At = tuple[str | int, ...]
DEFAULT_TIMEOUT = 300
DEFAULT_RETRY_DELAY = 5
DEFAULT_POLL_EVERY = 10
DEFAULT_GOTO_MAX = 3


@dataclass
class Source:
    """The file a document came from: a display path, its text and a locator for positions."""

    path: str
    file: str
    locator: Locator

    def position(self, at: At, key: bool = False) -> tuple[int, int]:
        return self.locator.locate(list(at), key=key)


@dataclass
class Link:
    url: str
    title: str
    at: At


@dataclass
class Expect:
    exit_codes: tuple[int, ...] = (0,)
    output: str | None = None
    not_output: str | None = None


@dataclass
class OnFailure:
    action: str = "abort"  # abort | continue | retry | rollback | ask | goto
    goto: str | None = None
    max: int = DEFAULT_GOTO_MAX


@dataclass
class Wait:
    duration: int | None = None
    until: str | None = None
    every: int = DEFAULT_POLL_EVERY
    timeout: int | None = None
    reason: str = ""


@dataclass
class Capture:
    name: str
    source: str = "stdout"
    pattern: str | None = None
    secret: bool = False


@dataclass
class Simulate:
    exit_code: int = 0
    output: str = ""
    duration: int = 0
    hosts: dict[str, Simulate] = field(default_factory=dict)  # a targeted step's hosts that do otherwise

    def on(self, host: str) -> Simulate:
        """What the drill pretends on ``host``."""
        return self.hosts.get(host, self)


@dataclass
class Choice:
    """One answer to a decision: where it leads (``goto``, ``rollback``, else the next step) and
    the severity it raises the incident to."""

    answer: str
    at: At
    goto: str | None = None
    severity: str | None = None
    rollback: bool = False
    description: str = ""


@dataclass
class Decision:
    question: str
    choices: list[Choice]

    def choice(self, answer: str) -> Choice | None:
        return next((c for c in self.choices if c.answer == answer), None)


@dataclass
class Query:
    """A query for a monitoring tool, shown to the responder with where to run it."""

    expr: str
    datasource: str = ""


@dataclass
class Step:
    id: str
    kind: str  # run | script | manual | checklist | notify | wait | decide | runbook
    section: str  # steps | verify | rollback
    index: int
    at: At
    raw: dict[str, Any]
    title: str = ""
    description: str = ""
    phase: str | None = None
    owner: str | None = None
    run: str | None = None
    script: str | None = None
    args: list[str] = field(default_factory=list)
    targets: str | None = None  # an Ansible host pattern: the command runs on those hosts, through Ansible
    serial: list[int | str] = field(default_factory=list)  # batch sizes (Ansible's serial); empty: one batch
    max_fail_percentage: int | None = None
    manual: str | None = None
    checklist: list[str] = field(default_factory=list)
    notify: list[str] = field(default_factory=list)
    template: str | None = None
    wait: Wait | None = None
    decide: Decision | None = None
    call: str | None = None  # ``runbook:``: the id of the runbook this step runs
    call_inputs: dict[str, Any] = field(default_factory=dict)
    next: str | None = None
    env: dict[str, str] = field(default_factory=dict)
    timeout: int = DEFAULT_TIMEOUT
    retries: int = 0
    retry_delay: int = DEFAULT_RETRY_DELAY
    expect: Expect = field(default_factory=Expect)
    on_failure: OnFailure = field(default_factory=OnFailure)
    risk: str | None = None
    confirm: bool = False
    undo: str | None = None
    irreversible: str | None = None  # why the step cannot be undone (a burnt token, a revoked key)
    idempotent: bool | None = None
    within: int | None = None
    deadline_kind: str = "service"  # what `within` is: service, or legal | regulatory | contractual
    capture: list[Capture] = field(default_factory=list)
    when: str | None = None
    simulate: Simulate | None = None
    links: list[Link] = field(default_factory=list)
    queries: list[Query] = field(default_factory=list)
    needs_review: str | None = None

    @property
    def name(self) -> str:
        """What to call the step on screen: its title, else its id."""
        return self.title or self.id

    @property
    def is_command(self) -> bool:
        return self.kind in ("run", "script")

    @property
    def is_targeted(self) -> bool:
        """Runs on the hosts of an inventory (through Ansible), not on the responder's machine."""
        return self.targets is not None and self.is_command

    @property
    def can_fail(self) -> bool:
        """Commands fail by exit code; people report manual, checklist and runbook steps failed."""
        return self.kind in ("run", "script", "manual", "checklist", "runbook") or (
            self.wait is not None and self.wait.until is not None)

    @property
    def effective_risk(self) -> str:
        """The declared risk; undeclared, a ``run`` command counts as read-only but a script as
        mutating (what a script does cannot be read from its name), and so does an imported step
        nobody has reviewed yet."""
        return self.risk or ("mutating" if self.kind == "script" or self.needs_review else "read-only")

    @property
    def needs_confirmation(self) -> bool:
        return self.confirm or self.risk == "destructive" or bool(self.irreversible)

    @property
    def service_within(self) -> int | None:
        """``within`` when it is a service target, checked against the severity's targets; None for
        an external deadline (a regulator's 72 hours), which may run past them."""
        return self.within if self.deadline_kind == "service" else None

    @property
    def is_idempotent(self) -> bool:
        if self.idempotent is not None:
            return self.idempotent
        return self.effective_risk == "read-only"


@dataclass
class Input:
    name: str
    at: At
    type: str = "string"
    description: str = ""
    default: Any = None
    required: bool = True
    pattern: str | None = None
    choices: list[Any] = field(default_factory=list)
    min: int | None = None
    max: int | None = None
    secret: bool = False
    example: Any = None
    from_label: str | None = None
    from_annotation: str | None = None


@dataclass
class Alert:
    """An alert a runbook answers: a name as the alerting rules define it, and labels it must carry."""

    name: str
    at: At
    labels: dict[str, str] = field(default_factory=dict)

    def matches(self, name: str, labels: dict[str, str]) -> bool:
        return name == self.name and all(labels.get(k) == v for k, v in self.labels.items())


@dataclass
class Detection:
    signal: str
    at: At
    source: str = ""
    threshold: str = ""
    url: str | None = None


@dataclass
class PostItem:
    task: str
    at: At
    owner: str | None = None
    within: int | None = None


@dataclass
class EscalationLevel:
    after: int
    notify: list[str]
    at: At
    name: str = ""
    description: str = ""


@dataclass
class Review:
    last_reviewed: str
    every: int
    at: At
    by: str | None = None


@dataclass
class StepResult:
    """What a drill pretends a step did."""

    exit_code: int = 0
    output: str = ""
    status: str | None = None  # done | failed | skipped, for steps a person carries out
    hosts: dict[str, StepResult] = field(default_factory=dict)  # a targeted step's hosts that did otherwise

    def on(self, host: str) -> StepResult:
        return self.hosts.get(host, self)


@dataclass
class Rehearsal:
    """A drill of a runbook (``drills:``): answers and results given, path and outcome expected."""

    name: str
    at: At
    outcome: str
    severity: str | None = None
    inputs: dict[str, Any] = field(default_factory=dict)
    answers: dict[str, str] = field(default_factory=dict)
    results: dict[str, StepResult] = field(default_factory=dict)
    visits: list[str] = field(default_factory=list)
    skips: list[str] = field(default_factory=list)


@dataclass
class Runbook:
    id: str
    title: str
    service: str
    source: Source
    raw: dict[str, Any]
    summary: str = ""
    description: str = ""
    policy_id: str | None = None
    severity: str | None = None
    owner: str | None = None
    tags: list[str] = field(default_factory=list)
    review: Review | None = None
    symptoms: list[str] = field(default_factory=list)
    detection: list[Detection] = field(default_factory=list)
    impact: str = ""
    inputs: list[Input] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    verify: list[Step] = field(default_factory=list)
    rollback: list[Step] = field(default_factory=list)
    post_incident: list[PostItem] = field(default_factory=list)
    escalation: list[EscalationLevel] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    drills: list[Rehearsal] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    policy: Policy | None = None

    def all_steps(self) -> Iterator[Step]:
        """Steps, then verification steps, then rollback steps: everything with an id."""
        yield from self.steps
        yield from self.verify
        yield from self.rollback

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.all_steps() if s.id == step_id), None)

    def input(self, name: str) -> Input | None:
        return next((i for i in self.inputs if i.name == name), None)

    @property
    def severity_level(self) -> SeverityLevel | None:
        return self.policy.severity(self.severity) if self.policy and self.severity else None

    @property
    def post_incident_tasks(self) -> list[PostItem]:
        """The tasks the policy sets for every incident, then the runbook's own (the order the schema
        documents; the runner and the docs site both list them this way).  A runbook item that repeats
        a policy item word for word is listed once, with the runbook's owner and deadline."""
        own = {item.task: item for item in self.post_incident}
        inherited = self.policy.post_incident if self.policy else []
        return [own.pop(item.task, item) for item in inherited] + list(own.values())


@dataclass
class SeverityLevel:
    id: str
    name: str
    rank: int
    respond: int
    at: At
    description: str = ""
    examples: list[str] = field(default_factory=list)
    resolve: int | None = None
    update_every: int | None = None
    escalate_after: int | None = None
    page: list[str] = field(default_factory=list)
    notify: list[str] = field(default_factory=list)
    escalation: str = ""


@dataclass
class Channel:
    """Where messages to a contact are delivered: an Apprise URL, or the variable that holds one."""

    at: At
    url: str | None = None
    url_env: str | None = None
    drills: bool = False
    name: str = ""


@dataclass
class Contact:
    id: str
    name: str
    at: At
    type: str = "person"
    role: str = ""
    phone: str | None = None
    email: str | None = None
    chat: str | None = None
    pager: str | None = None
    backup: str | None = None
    timezone: str | None = None
    hours: str | None = None
    notes: str = ""
    channels: list[Channel] = field(default_factory=list)


@dataclass
class Role:
    id: str
    name: str
    at: At
    description: str = ""
    responsibilities: list[str] = field(default_factory=list)
    primary: str | None = None
    secondary: str | None = None


@dataclass
class Template:
    id: str
    body: str
    at: At
    name: str = ""
    channel: str | None = None
    audience: str | None = None
    when: str = ""
    subject: str = ""


@dataclass
class Objective:
    name: str
    target: str
    at: At
    description: str = ""


@dataclass
class Drill:
    name: str
    every: int
    at: At
    description: str = ""
    runbook: str | None = None


@dataclass
class Policy:
    id: str
    source: Source
    raw: dict[str, Any]
    title: str = ""
    description: str = ""
    owner: str | None = None
    review: Review | None = None
    inventory: str | None = None  # the Ansible inventory targeted steps run against, from the repository root
    severities: list[SeverityLevel] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    escalation: list[EscalationLevel] = field(default_factory=list)
    templates: list[Template] = field(default_factory=list)
    objectives: list[Objective] = field(default_factory=list)
    drills: list[Drill] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    post_incident: list[PostItem] = field(default_factory=list)

    def severity(self, sid: str) -> SeverityLevel | None:
        return next((s for s in self.severities if s.id == sid), None)

    def contact(self, cid: str) -> Contact | None:
        return next((c for c in self.contacts if c.id == cid), None)

    def role(self, rid: str) -> Role | None:
        return next((r for r in self.roles if r.id == rid), None)

    def template(self, tid: str) -> Template | None:
        return next((t for t in self.templates if t.id == tid), None)

    def party(self, pid: str) -> Contact | Role | None:
        """A contact or a role: references such as owner and notify accept either."""
        return self.contact(pid) or self.role(pid)

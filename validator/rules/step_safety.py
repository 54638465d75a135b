"""Steps (S4xx), safety: what can destroy data or availability must ask first, be verifiable
and be reversible; secrets stay off command lines; retried changes must be safe to repeat.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

from validator import commands
from validator.findings import Finding, Severity
from validator.model import At, Step
from validator.rules.base import Context, rule
from validator.rules.memo import per_run
from validator.rules.scalar import place_offset
from validator.rules.scripts import scripts
from validator.rules.shellcheck import is_shell
from validator.rules.step_text import step_texts, steps_of

_SCRIPT_LIMIT = 256 * 1024


@dataclasses.dataclass(frozen=True)
class Hazard:
    """A destructive command and where it is: in a command (``text`` is the value at ``at``), in
    the script's path and arguments (``exact`` false), or inside the script file (``in_script``)."""

    at: At
    text: str
    danger: commands.Danger
    in_script: bool = False
    exact: bool = True
    undo: bool = False  # in the step's undo command, which runs during a rollback


def _script_dangers(path: Path) -> tuple[str, tuple[commands.Danger, ...]]:
    """Destructive commands in a shell script, comments left out (other languages are not read)."""
    try:
        if is_shell(path) and path.stat().st_size <= _SCRIPT_LIMIT:
            text = path.read_text(encoding="utf-8", errors="replace")
            code = re.sub(r"(?m)^[ \t]*#.*$", lambda m: " " * len(m.group(0)), text)  # same offsets, no comments
            return text, commands.destructive(code)
    except OSError:
        pass
    return "", ()


def _every_step(ctx: Context) -> dict[int, list[Hazard]]:
    located = {id(s.step): s for s in scripts(ctx)}
    in_scripts: dict[Path, tuple[str, tuple[commands.Danger, ...]]] = {}
    out: dict[int, list[Hazard]] = {}
    for rb in ctx.runbooks:
        for step in steps_of(rb):
            found = [Hazard(at, text, d, undo=key == "undo") for key, at, text in step_texts(step)
                     if key in ("run", "wait.until", "undo") for d in commands.destructive(text)]
            if step.script:
                line = " ".join([step.script, *step.args])
                found += [Hazard((*step.at, "script"), line, d, exact=False) for d in commands.destructive(line)]
            script = located.get(id(step))
            if script is not None and script.real is not None:
                if script.real not in in_scripts:
                    in_scripts[script.real] = _script_dangers(script.real)
                text, dangers = in_scripts[script.real]
                found += [Hazard((*step.at, "script"), text, d, True) for d in dangers]
            if found:
                out[id(step)] = found
    return out


def hazards(ctx: Context) -> dict[int, list[Hazard]]:
    """For every step (by ``id``) that has some, the destructive commands it would run: in
    ``run``/``wait.until``, in its script's arguments, inside its script, or in its ``undo``."""
    return per_run(ctx, "hazards", lambda: _every_step(ctx))


def is_destructive(found: dict[int, list[Hazard]], step: Step) -> bool:
    """Declared destructive, or runs a command whose damage lasts (a restart passes by itself)."""
    return step.risk == "destructive" or any(h.danger.lasting and not h.undo for h in found.get(id(step), ()))


def changes_state(ctx: Context, found: dict[int, list[Hazard]], step: Step) -> bool:
    """Declared mutating or destructive, or runs a command that leaves something to take back."""
    return (step.risk in ("mutating", "destructive") or is_destructive(found, step)
            or any(commands.mutating(text) for key, _, text in step_texts(step) if key in ("run", "wait.until")))


_LOOKING = re.compile(r"(?i)^\W*(?:check|look|inspect|review|open|find|identify|confirm|compare|note|read|see|determine|"
                      r"investigate|query|list|search|watch|monitor|observe|view|examine|collect|gather|record|capture|"
                      r"ask|tell|page|notify|post|escalate|decide|estimate|is|are|does|do|has|was|which|what|who|where|why|how)\b")


def _may_change(ctx: Context, found: dict[int, list[Hazard]], step: Step) -> bool:
    """Changes state; or runs a script that does not say it only looks (its effect is unknown); or
    asks a person to act rather than to look (``Block the IPs`` rather than ``Check the graph``)."""
    if changes_state(ctx, found, step):
        return True
    if step.risk == "read-only":
        return False
    if step.kind == "script":
        return True
    texts = [step.manual or ""] if step.kind == "manual" else step.checklist if step.kind == "checklist" else []
    return any(not _LOOKING.match(t) for t in texts if t.strip())


def _is_verification(step: Step) -> bool:
    return step.section == "verify" or step.phase == "verify"


def _checks(step: Step) -> bool:
    """A verification that runs something; a checklist of "verified" ticks is not evidence."""
    return _is_verification(step) and step.kind in ("run", "script", "wait")


@rule("S405", "destructive-unconfirmed", Severity.ERROR,
      "A destructive command (rm -r, DROP TABLE, kubectl delete, a service stop …) in a step that does not ask first.",
      "mark the step risk: destructive (the runner asks before running it) or confirm: true")
def destructive_unconfirmed(ctx: Context) -> Iterator[Finding]:
    """At 3 a.m. a responder runs what the runbook says.  A command that deletes data or takes a
    service down must make the runner stop and ask, so that the responder reads it first.

    Commands are read as shell: only what runs counts (``echo 'kubectl delete pod x'`` runs
    ``echo``), wrappers such as ``sudo``, ``timeout``, ``xargs``, ``ssh host '…'`` and
    ``kubectl exec … --`` are looked through, and SQL counts where a client reads it (``psql -c``,
    a here-document).  The destructive verbs of each tool (kubectl/oc, helm, terraform, aws, az,
    gcloud, docker, crictl, systemctl, knife, etcdctl, redis-cli, SQL and more) are listed, with
    examples, in ``validator/command_catalogue.yaml``.

    An ``undo`` is a command too: it runs during a rollback, often unattended, so a destructive
    undo needs the same mark on its step; the runner then asks (or, under ``--yes``, does not run it).

    Add ``risk: destructive`` (or ``confirm: true``) to the step, and preferably an ``undo``.
    """
    every = hazards(ctx)
    for rb in ctx.runbooks:
        for step in steps_of(rb):
            found = every.get(id(step))
            if not found or step.needs_confirmation:
                continue
            undo = [h for h in found if h.undo]
            if undo:
                names = ", ".join(dict.fromkeys(h.danger.what for h in undo))
                line, col = place_offset(rb.source, undo[0].at, undo[0].text, undo[0].danger.start)
                yield dataclasses.replace(ctx.report(rb.source, undo[0].at, f"the undo of step '{step.id}' runs a destructive "
                                                     f"command ({names}) without asking first"), line=line, col=col)
            found = [h for h in found if not h.undo]
            if not found:
                continue
            first = found[0]
            names = ", ".join(dict.fromkeys(h.danger.what for h in found))
            if first.in_script:
                line = first.text.count("\n", 0, first.danger.start) + 1
                yield ctx.report(rb.source, first.at, f"step '{step.id}' runs a script with a destructive command ({names}, "
                                 f"script line {line}) without asking first")
                continue
            message = f"step '{step.id}' runs a destructive command ({names}) without asking first"
            finding = ctx.report(rb.source, first.at, message)
            if first.exact:
                line, col = place_offset(rb.source, first.at, first.text, first.danger.start)
                finding = dataclasses.replace(finding, line=line, col=col)
            yield finding


@rule("S407", "no-verification", Severity.WARNING, "The runbook has no verification step.",
      "add a verify: section that proves the incident is over (a health check, a metric back to normal)")
def no_verification(ctx: Context) -> Iterator[Finding]:
    """Without a check that the fix worked, incidents are closed on hope and reopened an hour later.

    A runbook that changes nothing (pure diagnosis: every step only looks, and none is declared
    mutating or destructive) has nothing to verify and is not asked for it.

    Add a ``verify:`` section (or steps with ``phase: verify``) that shows the service is healthy again.
    """
    found = hazards(ctx)
    for rb in ctx.runbooks:
        if not any(_is_verification(s) for s in (*rb.verify, *rb.steps, *rb.rollback)) and (  # verify: likeliest first
                any(_may_change(ctx, found, s) for s in steps_of(rb))):
            yield ctx.report(rb.source, ("steps",), f"runbook '{rb.id}' has no verification step", key=True)


@rule("S408", "destructive-no-safety-net", Severity.WARNING,
      "A destructive step has no undo and no verification that runs a check after it.",
      "add undo: to the step, or a verification step that runs a check after it")
def destructive_no_safety_net(ctx: Context) -> Iterator[Finding]:
    """After a destructive step, the responder needs either a way back or a way to see that it worked;
    with neither, a mistake is found by customers.  A checklist that says "data verified" is not a
    way to see: the verification must run something (a command, a script or a poll).  A restart
    needs neither, since it passes by itself.

    Give the step an ``undo`` command, or follow it with a verification step (``verify:`` or
    ``phase: verify``) that runs a check.  A step that cannot be undone by nature (a revoked key,
    a burnt token) says so with ``irreversible: "<why>"``; it is then not asked for an undo, but
    still for a check after it.
    """
    found = hazards(ctx)
    for rb in ctx.runbooks:
        steps = steps_of(rb)
        for i, step in enumerate(steps):
            if step.undo or not is_destructive(found, step):
                continue
            if not any(_checks(later) and later.section != "rollback" for later in steps[i + 1:]):
                message = (f"irreversible step '{step.id}' has no verification that runs a check after it" if step.irreversible
                           else f"destructive step '{step.id}' has no undo and no verification that runs a check after it")
                yield ctx.report(rb.source, (*step.at, "id"), message)


@rule("S409", "no-rollback-path", Severity.WARNING,
      "A step changes things but the runbook has no way back (no undo, no rollback section).",
      "add undo: to the step or a rollback: section to the runbook")
def no_rollback_path(ctx: Context) -> Iterator[Finding]:
    """When a change makes things worse, the fastest fix is to take it back; a runbook that changes
    state with no ``undo`` and no ``rollback:`` section leaves the responder to improvise.  A step
    changes state when it says so (``risk: mutating`` or ``destructive``) or when its command does:
    a deploy, a revert, an SQL write, a copied file, a destructive command.  Starting or restarting
    a service does not: it leaves nothing to take back.

    Give mutating steps an ``undo`` command, or add a ``rollback:`` section that restores the previous state.
    A step that cannot be taken back by nature (burning tokens, revoking a key, cancelling a query)
    says so instead, with the reason: ``irreversible: "revoked keys cannot be restored"``.
    """
    found = hazards(ctx)
    for rb in ctx.runbooks:
        if rb.rollback:
            continue
        for step in rb.steps:
            if not step.undo and not step.irreversible and changes_state(ctx, found, step):
                at = (*step.at, "risk") if step.risk else (*step.at, "id")
                yield ctx.report(rb.source, at,
                                 f"step '{step.id}' changes state, but it has no undo and the runbook has no rollback")


@rule("S412", "retry-not-idempotent", Severity.WARNING, "A step that changes state is retried but not marked idempotent.",
      "make the command safe to repeat and set idempotent: true, or remove the retries")
def retry_not_idempotent(ctx: Context) -> Iterator[Finding]:
    """A change that failed half-way may have been applied; retrying it can apply it twice (two
    failovers, a double refund).  Retries are safe only for idempotent steps.

    Make the command safe to repeat and say so with ``idempotent: true``, or drop the retries.
    """
    for rb in ctx.runbooks:
        for step in steps_of(rb):
            retried = step.retries > 0 or step.on_failure.action == "retry"
            if retried and not step.is_idempotent and step.effective_risk != "read-only":
                key = "retries" if step.retries > 0 else "on_failure"
                yield ctx.report(rb.source, (*step.at, key),
                                 f"step '{step.id}' ({step.effective_risk}) is retried but not idempotent")

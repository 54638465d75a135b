"""One attempt of a targeted step (or of its undo) in a run: on the screen, in the journal, in the state.

Before: the intent (``run``, with the hosts).  During: one ``host`` event and one line per host
as each finishes, and a line per batch.  After: a summary line and the ``command`` event with
the counts, so the timeline, a resume and the rollback read the same record.  A drill runs
nothing: every host gets the step's simulated result (see :func:`simulated`).
"""

from __future__ import annotations

import contextlib
import time
from typing import TYPE_CHECKING

from validator import rollout
from validator.model import Step
from validator.runner import remote, targeted
from validator.runner.executor import identity
from validator.runner.journal import JournalError
from validator.runner.targeted import NotRunnable

if TYPE_CHECKING:
    from validator.runner.session import Session


def attempt(s: Session, step: Step, attempt: int, command: str | None = None, quiet: bool = False) -> str:
    """``ok``, ``failed`` or ``interrupted``, as :func:`validator.runner.commands.attempt_once`."""
    undo = command is not None
    s.last_exit, s.last_reason, s.last_output = None, "", ""
    try:
        hosts = targeted.hosts_for(s, step, undo, later=not s.mode.drill)
        job, shown = targeted.job(step, s.state, hosts or [], command)
    except NotRunnable as err:
        return _refused(s, step, attempt, undo, str(err))
    except Exception as err:  # Ansible's own error on a broken inventory
        return _refused(s, step, attempt, undo, f"the inventory {s.state.inventory} cannot be read: {err}")
    if hosts == []:
        s.console.say(f"Undo {step.id}: it succeeded on no host; nothing to undo." if undo
                      else f"{step.id} already succeeded on every host.")
        return "ok"
    s.state.runs[step.id] = s.state.runs.get(step.id, 0) + 1
    view = _View(s, step, undo)
    if s.mode.drill:
        assert hosts is not None
        rollout = simulated(s, step, view.show(hosts), undo, view.width)
    else:
        s.journal.write("run", step=step.id, attempt=attempt, undo=undo, pattern=step.targets,
                        **({"hosts": view.show(hosts)} if hosts is not None else {}))
        job.pattern = step.targets if hosts is None else None
        resolve = None if hosts is not None else lambda: view.show(remote.resolve(job.inventory, step.targets or ""))
        try:
            rollout = remote.run(job, lambda r: _host(s, step, attempt, undo, r, view.width),
                                 lambda b: _batch(s, step, view.hosts, b), lambda pid: _started(s, step, attempt, pid),
                                 resolve)
        except Exception as err:  # Ansible's own error on a broken inventory
            return _refused(s, step, attempt, undo, f"the inventory {s.state.inventory} cannot be read: {err}")
        if not rollout.hosts and not rollout.interrupted:
            return _refused(s, step, attempt, undo, targeted.no_host(s.state, step))
    return _finish(s, step, attempt, undo, shown, rollout, quiet, view.width)


class _View:
    """The hosts of an attempt once known, announced once, and the width their names take on screen."""

    def __init__(self, s: Session, step: Step, undo: bool) -> None:
        self.s, self.step, self.undo = s, step, undo
        self.hosts: list[str] = []
        self.width = 12

    def show(self, hosts: list[str]) -> list[str]:
        self.hosts, self.width = hosts, min(max([len(h) for h in hosts] or [12]), 32)
        if hosts:
            self.s.console.say(f"{'Undo' if self.undo else 'Running'} on {targeted.plan(hosts, self.step)}", bold=True)
        return hosts


def _started(s: Session, step: Step, attempt: int, pid: int) -> None:
    """Record ansible-playbook's process group: a resume after the runner died stops what is left of it
    (:func:`validator.runner.executor.kill_orphan`) instead of letting the rollout go on unseen."""
    with contextlib.suppress(JournalError):
        s.journal.write("exec", step=step.id, attempt=attempt, pid=pid, tree=True, **identity(pid))


def _refused(s: Session, step: Step, attempt: int, undo: bool, why: str) -> str:
    s.console.say(why, bold=True)
    s.journal.write("command", step=step.id, attempt=attempt, undo=undo, ok=False, reason=why)
    s.last_reason = why
    return "failed"


def _batch(s: Session, step: Step, hosts: list[str], number: int) -> None:
    if step.serial:
        batches = rollout.batches(hosts, step.serial)
        size = len(batches[number - 1]) if number <= len(batches) else 0
        s.console.say(f"  batch {number} of {len(batches)} ({size} host(s))", dim=True)


def _host(s: Session, step: Step, attempt: int, undo: bool, result: remote.HostResult, width: int) -> None:
    """A host finished: judge it, show its line, record it before anything else happens."""
    ok, reason = targeted.verdict(step, result, undo)
    if result.status == "ok" and not ok:
        result.status, result.message = "failed", reason
    s.console.say(targeted.host_line(result, width), bold=not ok)
    s.journal.write("host", step=step.id, attempt=attempt, undo=undo, ok=ok, reason=reason, drill=s.mode.drill,
                    **result.record())
    done = s.state.hosts_ok.setdefault(step.id, [])
    if ok and not undo and result.host not in done:
        done.append(result.host)
    elif ok and undo and result.host in done:
        done.remove(result.host)


def simulated(s: Session, step: Step, hosts: list[str], undo: bool, width: int) -> remote.Rollout:
    """A drill: each host gets the step's ``simulate:`` result, or the one it names for that host
    (an undo succeeds); batches stop as Ansible's would, after the longest simulated duration."""
    sim = step.simulate
    started = time.monotonic()

    def pretend(host: str) -> tuple[int, str]:
        if undo:
            return 0, "(drill: the undo was not run)"
        if sim is None:
            return step.expect.exit_codes[0] if step.expect.exit_codes else 0, "(drill: no simulated result declared)"
        return sim.on(host).exit_code, sim.on(host).output

    def fails(host: str) -> bool:
        code, output = pretend(host)
        return not targeted.verdict(step, remote.HostResult(host, "ok", code, 0.0, output), undo)[0]

    run = set(hosts if undo else rollout.reached(hosts, step.serial, step.max_fail_percentage, fails))
    results = []
    for host in hosts:
        code, output = pretend(host)
        result = remote.HostResult(host, "ok" if host in run else "not run", code if host in run else None, 0.0,
                                   output if host in run else "")
        if host in run:
            _host(s, step, 1, undo, result, width)
        results.append(result)
    if sim is not None and not undo:
        time.sleep(sim.duration)
    return remote.Rollout(results, time.monotonic() - started)


def _finish(s: Session, step: Step, attempt: int, undo: bool, shown: str, rollout: remote.Rollout, quiet: bool,
            width: int) -> str:
    for result in rollout.hosts:
        if result.status in ("not run", "stopped"):
            _host(s, step, attempt, undo, result, width)
    verdicts = [(r, *targeted.verdict(step, r, undo)) for r in rollout.hosts]
    failed = [r for r, ok, _ in verdicts if not ok]
    ok = not failed and not rollout.error and not rollout.interrupted
    reason = _reason(step, rollout, verdicts)
    counts = rollout.counts()
    first = next((r for r in failed if r.exit_code is not None), None)
    s.last_exit = 0 if ok else first.exit_code if first is not None else None
    s.last_reason, s.last_output = reason, "\n".join(f"{r.host}: {r.last_line}" for r in rollout.hosts)
    s.journal.write("command", step=step.id, attempt=attempt, undo=undo, command=shown, pattern=step.targets,
                    hosts=[r.host for r in rollout.hosts], counts=counts, ok=ok, reason=reason,
                    exit_code=s.last_exit, duration=round(rollout.duration, 3), interrupted=rollout.interrupted,
                    drill=s.mode.drill)
    if not quiet:
        summary = ", ".join(f"{n} {targeted.STATUS[k]}" for k, n in counts.items())
        status = "ok" if ok else f"FAILED: {reason}"
        s.console.say(f"[{step.id}] {len(rollout.hosts)} host(s): {summary}, in {rollout.duration:.2f}s: {status}",
                      bold=not ok)
    s.milestones()
    return "interrupted" if rollout.interrupted else "ok" if ok else "failed"


def _reason(step: Step, rollout: remote.Rollout, verdicts: list[tuple[remote.HostResult, bool, str]]) -> str:
    if rollout.error:
        return rollout.error
    if rollout.interrupted:
        return "interrupted by the responder; the commands still running were stopped"
    bad = [(r.host, why) for r, ok, why in verdicts if not ok and r.status not in ("not run", "stopped")]
    unrun = sum(1 for r in rollout.hosts if r.status == "not run")
    if not bad and not unrun:
        return ""
    text = "; ".join(f"{host}: {why}" for host, why in bad[:3]) + (f" and {len(bad) - 3} more" if len(bad) > 3 else "")
    if unrun:
        limit = f"more than {step.max_fail_percentage}% of a batch" if step.max_fail_percentage is not None else "a whole batch"
        text += f"; the rollout stopped ({limit} failed), {unrun} host(s) not run"
    return text.lstrip("; ")

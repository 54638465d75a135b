"""Run one command or script on many hosts through Ansible (``ansible-runner``'s Python interface).

The step becomes a one-task play: Ansible's ``shell`` module (with bash, as local steps) or its
``script`` module, on the hosts chosen, ``serial`` batches and ``max_fail_percentage`` as Ansible
itself applies them, ``forks`` hosts at a time, the step's timeout as the task's.

Nothing the runbook's inputs hold becomes code, on the host or on the controller:

* the command text and each script argument are marked ``!unsafe`` in the play, so Ansible never
  reads them as Jinja templates (``{{ … }}`` in a ``docker --format`` stays text);
* each value travels as on the responder's machine, in an environment variable that the command
  references (:mod:`validator.runner.quoting`): the runner puts it in ansible-playbook's own
  environment and the task's ``environment:`` reads it with ``lookup('env', …)``, whose result
  Ansible never templates again; the play file holds no value at all;
* script arguments are play variables marked ``!unsafe``, shell-quoted one by one by Ansible's
  ``quote`` filter (the ``script`` module hands them to the host's shell), with the host's name
  put in where an argument says ``${target}``.

ansible-runner keeps its working files (the play, the command line and environment it ran with)
in a private folder (mode 0700) that is removed when the step ends, and no event or output file is
written there: the journal, redacted, is the only record.
"""

from __future__ import annotations

import contextlib
import io
import os
import queue
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from validator.runner.executor import processes, running

KEEP_CHARS = 16 * 1024  # of each host's output, for the journal
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")  # what may stand inside the play's lookup('env', '…')
TARGET = "@@RUNBOOK_TARGET@@"  # stands for the host's name in a script argument until Ansible fills it in


@dataclass
class Job:
    """What to run where: ``text`` is the bash command (kind ``shell``) or the script's path (``script``)."""

    kind: str
    text: str
    hosts: list[str]
    inventory: Path
    args: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    serial: list[int | str] = field(default_factory=list)
    max_fail_percentage: int | None = None
    timeout: int = 300
    exit_codes: tuple[int, ...] = (0,)
    forks: int = 10
    pattern: str | None = None  # run on the pattern's hosts (resolved meanwhile), instead of ``hosts``


@dataclass
class HostResult:
    host: str
    status: str  # ok | failed | unreachable | not run | stopped (by Ctrl-C, maybe part-way)
    exit_code: int | None = None
    duration: float = 0.0
    stdout: str = ""
    stderr: str = ""
    message: str = ""  # Ansible's own word on a failure (a timeout, a host it could not reach)

    @property
    def output(self) -> str:
        return self.stdout + ("\n" if self.stdout and self.stderr else "") + self.stderr

    @property
    def last_line(self) -> str:
        lines = [ln for ln in self.output.splitlines() if ln.strip()]
        return lines[-1].strip() if lines else self.message.splitlines()[0] if self.message else ""

    def record(self) -> dict[str, Any]:
        """What the journal keeps of one host."""
        return {"host": self.host, "status": self.status, "exit_code": self.exit_code,
                "duration": round(self.duration, 3), "output": self.output[-KEEP_CHARS:], "message": self.message}


@dataclass
class Rollout:
    hosts: list[HostResult]
    duration: float
    interrupted: bool = False
    error: str = ""  # Ansible could not run at all

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for h in self.hosts:
            out[h.status] = out.get(h.status, 0) + 1
        return out


class _Unsafe(str):
    """A string Ansible must never template (written with the ``!unsafe`` tag)."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Unsafe, lambda dumper, value: dumper.represent_scalar("!unsafe", str(value), style="'"))


def play(job: Job) -> str:
    """The play, as YAML: one task, every value read from the environment, the command unsafe."""
    if job.kind == "shell":
        task: dict[str, Any] = {"ansible.builtin.shell": {"cmd": _Unsafe(job.text), "executable": "/bin/bash"}}
    else:  # the arguments are data: each quoted for the host's shell, the host's name put in for ${target}
        task = {"ansible.builtin.script": {"cmd": "{{ runbook_script | quote }} {{ runbook_args | map('replace', "
                                                  f"'{TARGET}', inventory_hostname) | map('quote') | join(' ') }}}}"},
                "vars": {"runbook_script": _Unsafe(job.text), "runbook_args": [_Unsafe(a) for a in job.args]}}
    if not all(_NAME.fullmatch(name) for name in job.env):
        raise ValueError(f"not an environment variable name: {sorted(n for n in job.env if not _NAME.fullmatch(n))}")
    codes = ", ".join(str(int(c)) for c in job.exit_codes)
    task.update({
        "name": "runbook step", "register": "step_result", "timeout": job.timeout,
        "environment": {name: f"{{{{ lookup('env', '{name}') }}}}" for name in job.env} | {
            "RUNBOOK_TARGET": "{{ inventory_hostname }}"},
        "failed_when": f"step_result.rc is not defined or step_result.rc not in [{codes}]",
    })
    body: dict[str, Any] = {"name": "runbook", "hosts": _Unsafe(job.pattern or ",".join(job.hosts)), "gather_facts": False,
                            "tasks": [task]}
    if job.serial:
        body["serial"] = list(job.serial)
    if job.max_fail_percentage is not None:
        body["max_fail_percentage"] = job.max_fail_percentage
    return yaml.dump([body], Dumper=_Dumper, sort_keys=False, allow_unicode=True)


def resolve(inventory: Path, pattern: str) -> list[str]:
    """The hosts ``pattern`` names in ``inventory``, as Ansible resolves them (its own order)."""
    from ansible.inventory.manager import InventoryManager
    from ansible.parsing.dataloader import DataLoader

    with _quiet_ansible():
        manager = InventoryManager(loader=DataLoader(), sources=[str(inventory)])
        return [h.name for h in manager.get_hosts(pattern)]


@contextlib.contextmanager
def _quiet_ansible() -> Iterator[None]:
    """Ansible's inventory warnings ("could not match pattern") go to stderr: keep them off the runner's screen."""
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        yield


def playbook_binary() -> str | None:
    beside = Path(sys.executable).parent / "ansible-playbook"
    return str(beside) if beside.exists() else shutil.which("ansible-playbook")


def _created(event: dict[str, Any]) -> float:
    try:
        return datetime.fromisoformat(str(event.get("created"))).timestamp()
    except ValueError:
        return time.time()


def _result(host: str, kind: str, res: dict[str, Any], took: float) -> HostResult:
    status = {"runner_on_ok": "ok", "runner_on_failed": "failed", "runner_on_unreachable": "unreachable"}[kind]
    rc = res.get("rc")
    message = "" if status == "ok" else str(res.get("msg") or "")
    return HostResult(host, status, rc if isinstance(rc, int) else None, _delta(res.get("delta")) or took,
                      str(res.get("stdout") or ""), str(res.get("stderr") or ""), message)


def _delta(text: object) -> float | None:
    """How long the command itself ran on the host (the shell module's ``delta``: ``0:00:01.250311``)."""
    try:
        hours, minutes, seconds = str(text).split(":")
        return int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    except ValueError:
        return None


def run(job: Job, on_host: Callable[[HostResult], None], on_batch: Callable[[int], None] | None = None,
        on_start: Callable[[int], object] | None = None, resolve: Callable[[], list[str]] | None = None) -> Rollout:
    """Run ``job``; ``on_host`` hears each host as it finishes, ``on_batch`` each batch as it starts,
    ``on_start`` the process group of ``ansible-playbook`` (what a resume stops if the runner dies).
    With ``job.pattern``, ``resolve`` gives the hosts while ansible-playbook starts (both read the
    same inventory with Ansible; the runner then need not wait for one before the other).
    Ctrl-C cancels the rollout (Ansible stops its workers); hosts not reached are ``not run``."""
    import ansible_runner

    started = time.monotonic()
    binary = playbook_binary()
    if binary is None:
        return Rollout([HostResult(h, "not run") for h in job.hosts], 0.0, error="ansible-playbook was not found "
                       "(install ansible-core in the runner's environment)")
    if any("\0" in v for v in job.env.values()):
        return Rollout([HostResult(h, "not run") for h in job.hosts], 0.0,
                       error="a value contains a NUL character, which no environment variable can hold")
    events: queue.Queue[dict[str, Any]] = queue.Queue()
    cancel = threading.Event()
    private = Path(tempfile.mkdtemp(prefix="runbook-ansible-"))
    try:
        (private / "project").mkdir()
        (private / "project" / "step.yml").write_text(play(job), encoding="utf-8")
        thread, runner = ansible_runner.run_async(
            private_data_dir=str(private), playbook="step.yml", inventory=str(job.inventory.resolve()),
            forks=job.forks, quiet=True, suppress_output_file=True, rotate_artifacts=1,
            envvars={**job.env, "PATH": os.pathsep.join([str(Path(binary).parent), os.environ.get("PATH", "")]),
                     "ANSIBLE_RETRY_FILES_ENABLED": "False", "ANSIBLE_NOCOLOR": "1", "ANSIBLE_DEPRECATION_WARNINGS": "False"},
            event_handler=lambda e: _keep(events, e), cancel_callback=cancel.is_set)
        interrupted = False
        if resolve is not None:
            try:
                job.hosts = resolve()
            except BaseException as err:
                if (group := _playbook_group()) is not None:
                    stop_tree(group)
                cancel.set()
                if not isinstance(err, KeyboardInterrupt):
                    thread.join()
                    raise
                interrupted = True
        done, stopped = _collect(thread, events, cancel, on_host, on_batch, on_start)
        interrupted = interrupted or stopped
    finally:
        shutil.rmtree(private, ignore_errors=True)
    error = ""
    if not done and not interrupted and runner.status in ("failed", "error") and runner.rc not in (2, 4):
        error = f"ansible-playbook ended with status {runner.status} (exit {runner.rc}) before running the step"
    results = [done.get(h) or HostResult(h, "stopped" if interrupted else "not run") for h in job.hosts]
    return Rollout(results, time.monotonic() - started, interrupted, error)


def _keep(events: queue.Queue[dict[str, Any]], event: dict[str, Any]) -> bool:
    """Hand the event to the runner's thread; False: ansible-runner writes nothing of it to disk."""
    events.put(event)
    return False


def _playbook_group() -> int | None:
    """The process group of the ``ansible-playbook`` this process started: a child of ours that
    leads its own session (ansible-runner starts it in a pseudo-terminal of its own)."""
    me = os.getpid()
    return next((pid for pid, f in processes() if int(f[1]) == me and int(f[2]) == pid and running(f)), None)


def _tree_groups(pid: int) -> set[int]:
    """The process groups of ``pid`` and of everything it started.  Ansible puts each worker in a
    session of its own, so killing ansible-playbook's group alone leaves the hosts' commands
    running; they are found by walking the parent links before anything is killed."""
    children: dict[int, list[int]] = {}
    groups: dict[int, int] = {}
    for child, fields in processes():
        children.setdefault(int(fields[1]), []).append(child)
        groups[child] = int(fields[2])
    found, todo = {pid}, [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return {groups[p] for p in found if p in groups} - {0, 1, os.getpgrp()}


def stop_tree(pid: int, grace: float = 2.0) -> list[int]:
    """Stop ansible-playbook (``pid`` leads its group) and every host command it started: SIGTERM to
    each group, a grace period, then SIGKILL to whatever is left of them.

    Returns the groups still running afterwards: those of another account (a run taken over from
    a colleague), which this user may not signal, so the caller never claims they were stopped."""
    groups = _tree_groups(pid)
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 0.0)):
        for group in groups:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(group, sig)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and any(_group_alive(g) for g in groups):
            time.sleep(0.05)
    return [g for g in groups if _group_alive(g)]


def _group_alive(group: int) -> bool:
    """Something of the group still runs: a member that is not a zombie (a zombie is dead, only
    not reaped yet), whether or not this user may signal it."""
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # running as another account, or only its zombies are left: /proc tells
    return any(int(f[2]) == group and running(f) for _, f in processes())


def _collect(thread: threading.Thread, events: queue.Queue[dict[str, Any]], cancel: threading.Event,
             on_host: Callable[[HostResult], None], on_batch: Callable[[int], None] | None,
             on_start: Callable[[int], object] | None) -> tuple[dict[str, HostResult], bool]:
    done: dict[str, HostResult] = {}
    began: dict[str, float] = {}
    batch = 0
    interrupted = False
    group: int | None = None  # ansible-playbook's process group, once it has started
    while thread.is_alive() or not events.empty():
        try:
            try:
                event = events.get(timeout=0.1)
            except queue.Empty:
                continue
            kind = str(event.get("event", ""))
            if kind == "playbook_on_start" and (found := _playbook_group()) is not None:
                group = found
                if on_start is not None:
                    on_start(group)
            data = event.get("event_data") or {}
            host = str(data.get("host") or "")
            if kind == "playbook_on_task_start":
                batch += 1
                if on_batch is not None:
                    on_batch(batch)
            elif kind == "runner_on_start":
                began[host] = _created(event)
            elif kind in ("runner_on_ok", "runner_on_failed", "runner_on_unreachable"):
                took = max(0.0, _created(event) - began.get(host, _created(event)))
                done[host] = _result(host, kind, data.get("res") or {}, took)
                on_host(done[host])
        except KeyboardInterrupt:  # stop the rollout and the hosts' commands; the thread then ends
            interrupted = True
            if group is not None:
                stop_tree(group)
            cancel.set()
    thread.join()
    return done, interrupted

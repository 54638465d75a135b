"""A targeted step (``targets:``) in a run: which hosts, what the responder sees, what is recorded.

The hosts are resolved by Ansible from the run's inventory.  A step already done on some hosts
(a retry, a resume after a crash) runs only on the others; a step run again after it completed
(a go-to loop) runs on all of them.  Its undo runs on exactly the hosts it succeeded on.  Each
host's result is journalled as it arrives (a crash loses none), shown as one line, and the
step's ``command`` record sums them up; exit codes and output patterns are checked per host.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from validator import inventory, rollout
from validator.findings import ConfigError
from validator.model import Step
from validator.runner import prepare, remote
from validator.runner.executor import ExecResult
from validator.runner.quoting import Values, fill_shell, substitute_arg
from validator.runner.state import RunState

if TYPE_CHECKING:
    from validator.runner.session import Session

STATUS = {"ok": "ok", "failed": "FAILED", "unreachable": "UNREACHABLE", "not run": "not run", "stopped": "STOPPED"}


class NotRunnable(Exception):
    """The targeted step cannot start (no inventory, no host, a value that must not reach its place)."""


def choose_inventory(state: RunState, given: Path | None, forks: int) -> None:
    """Which inventory the run's targeted steps use: ``--inventory`` (or the one a resumed run
    used), else the lint configuration's ``inventory`` setting, else the policy's."""
    from validator.discovery import find_root
    from validator.rules import config, registry

    state.forks = forks
    rb = state.runbook
    if not any(st.is_targeted for st in rb.all_steps()):
        return
    root = find_root(Path(rb.source.file))
    setting = config.load(root, None, registry.rule_infos()).inventory
    chosen = inventory.chosen(root, setting, rb.policy, given)
    if chosen is not None:
        state.inventory, state.inventory_origin = chosen[0].absolute(), chosen[1]
        if given is None and not chosen[0].resolve().is_relative_to(root.resolve()):
            raise ConfigError(f"the inventory {chosen[0]} ({chosen[1]}) is outside the repository {root}")
        if not chosen[0].exists():
            raise ConfigError(f"the inventory {chosen[0]} ({chosen[1]}) does not exist")


def _values(state: RunState) -> Values:
    """The run's values, plus ``${target}``: the host's name, set by Ansible on each host."""
    base = prepare.values(state)
    return Values(lambda n: remote.TARGET if n == "target" else base.lookup(n),
                  lambda n: "RUNBOOK_TARGET" if n == "target" else base.variable(n), base.secret)


def job(step: Step, state: RunState, hosts: list[str], command: str | None = None) -> tuple[remote.Job, str]:
    """The job for ``step`` (or for ``command``, its undo) on ``hosts``, and the command as shown."""
    if state.inventory is None:
        raise NotRunnable(f"step {step.id} runs on hosts ('{step.targets}'), and no inventory was given: pass "
                          "--inventory, or set inventory in the policy or the lint configuration")
    common = {"hosts": hosts, "inventory": state.inventory, "timeout": step.timeout, "forks": state.forks,
              "serial": list(step.serial), "max_fail_percentage": step.max_fail_percentage}
    text = command if command is not None else step.run
    if text is not None:
        filled = fill_shell(text, _values(state))
        if filled.problems:
            raise NotRunnable(f"step {step.id}: " + "; ".join(filled.problems))
        env = {k: v for k, v in filled.env.items() if k != "RUNBOOK_TARGET"}
        if command is None:
            env = {**{k: substitute_arg(v, state.lookup) for k, v in step.env.items()}, **env}
        codes = step.expect.exit_codes if command is None else (0,)
        shown = filled.shown.replace(remote.TARGET, "${target}")
        return remote.Job("shell", filled.text, env=env, exit_codes=codes, **common), shown  # type: ignore[arg-type]
    try:
        built = prepare.build(step, _state_with_target(state))
    except prepare.PrepareError as err:
        raise NotRunnable(str(err)) from None
    env = {k: v for k, v in built.env.items()}
    shown = built.shown.replace(remote.TARGET, "${target}")
    return remote.Job("script", built.argv[0], args=built.argv[1:], env=env, exit_codes=step.expect.exit_codes,
                      **common), shown  # type: ignore[arg-type]


def _state_with_target(state: RunState) -> RunState:
    """A view of the state in which ``${target}`` in a script argument is the placeholder Ansible replaces."""
    import copy

    view = copy.copy(state)
    view.inputs = {**state.inputs, "target": remote.TARGET}
    return view


def hosts_for(s: Session, step: Step, undo: bool, later: bool = False) -> list[str] | None:
    """The hosts this attempt runs on: for an undo, where the step succeeded; else the pattern's
    hosts the step has not succeeded on yet in this pass.  None (only when ``later``): all of the
    pattern's hosts, which Ansible resolves as the play starts."""
    if undo:
        return list(s.state.hosts_ok.get(step.id, []))
    if s.state.inventory is None or step.targets is None:
        raise NotRunnable(f"step {step.id} runs on hosts ('{step.targets}'), and no inventory was given: pass "
                          "--inventory, or set inventory in the policy or the lint configuration")
    if step.id in s.state.completed:  # run again after it completed (a go-to): a new pass, on every host
        s.state.hosts_ok[step.id] = []
    if later and not s.state.hosts_ok.get(step.id):
        return None
    resolved = remote.resolve(s.state.inventory, step.targets)
    if not resolved:
        raise NotRunnable(no_host(s.state, step))
    done = s.state.hosts_ok.get(step.id, [])
    pending = [h for h in resolved if h not in done]
    if done and pending:
        s.console.say(f"Already done on {len(done)} host(s) ({_names(done)}); running on the {len(pending)} other(s).")
    return pending


def no_host(state: RunState, step: Step) -> str:
    return f"'{step.targets}' matches no host of the inventory {state.inventory}"


def _names(hosts: list[str], limit: int = 6) -> str:
    return ", ".join(hosts[:limit]) + (f" and {len(hosts) - limit} more" if len(hosts) > limit else "")


def plan(hosts: list[str], step: Step) -> str:
    """``4 host(s): web1, web2, …`` and, with ``serial:``, the batches they go out in."""
    text = f"{len(hosts)} host(s): {_names(hosts)}"
    if step.serial:
        sizes = [len(b) for b in rollout.batches(hosts, step.serial)]
        text += f"; in {len(sizes)} batch(es) of {', '.join(map(str, sizes))}"
        if step.max_fail_percentage is not None:
            text += f", stopping when more than {step.max_fail_percentage}% of a batch fails"
    return text


def show_hosts(s: Session, step: Step) -> None:
    """The dry run's view of a targeted step: the hosts Ansible resolves, and the batches."""
    if s.state.inventory is None:
        s.console.say(f"Runs on the hosts '{step.targets}' names: no inventory given (--inventory, or the policy's)", bold=True)
        return
    try:
        hosts = remote.resolve(s.state.inventory, step.targets or "")
    except Exception as err:  # Ansible's own error on a broken inventory, for the responder to read
        s.console.say(f"Runs on '{step.targets}': the inventory {s.state.inventory} cannot be read ({err})", bold=True)
        return
    if not hosts:
        s.console.say(f"Runs on '{step.targets}': NO HOST of {s.state.inventory} matches; a real run fails here.", bold=True)
        return
    s.console.say(f"Runs on {plan(hosts, step)} (inventory {s.state.inventory}, {s.state.inventory_origin})")


def host_line(result: remote.HostResult, width: int = 12) -> str:
    """One compact line: status, host (padded to ``width``), exit code, time, last output line."""
    code = "-" if result.exit_code is None else str(result.exit_code)
    return (f"  {STATUS[result.status]:<11} {result.host:<{width}} exit {code:<3} {result.duration:6.2f}s  "
            f"{result.last_line}")[:300].rstrip()


def verdict(step: Step, result: remote.HostResult, undo: bool) -> tuple[bool, str]:
    """Whether the host's run counts as a success, and why not: the local step's checks, on its result."""
    if result.status == "not run":
        return False, "the rollout stopped before this host"
    if result.status == "stopped":
        return False, "stopped by the responder before it finished (it may have run in part)"
    if result.status == "unreachable":
        return False, f"unreachable: {result.message.splitlines()[0] if result.message else 'no answer'}"
    if result.exit_code is None:
        return False, result.message.splitlines()[0] if result.message else "no exit code"
    if undo:
        return result.exit_code == 0, "" if result.exit_code == 0 else f"exit code {result.exit_code}, expected 0"
    from validator.runner.commands import check

    return check(step, ExecResult(result.exit_code, result.stdout, result.stderr, result.output, result.duration))

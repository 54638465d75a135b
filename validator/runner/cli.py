"""``runbook run`` and ``runbook timeline``; registered through the ``runbook.commands``
entry-point group, so the CLI package never imports the runner (and vice versa)."""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from types import FrameType

import click

from validator.findings import ConfigError
from validator.runner import alert_start, paging, preflight, resume, start, takeover, targeted
from validator.runner import journal as journal_mod
from validator.runner import lock as lock_mod
from validator.runner import timeline as timeline_mod
from validator.runner.executor import kill_orphan, orphan_check
from validator.runner.prompts import Console, EndOfInput
from validator.runner.redact import Redactor
from validator.runner.session import Session
from validator.runner.state import Mode

USAGE = """which runbook? Give its id or the path to its file:
  runbook run db-failover                  (an id: `runbook list` shows them)
  runbook run runbooks/db-failover.yaml --dry-run
or continue a run that was cut off:
  runbook run --resume .runbook-runs/JOURNAL.jsonl"""


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # SIGTERM / SIGHUP end the run like Ctrl-C: the command's group is stopped, the journal closed


class Refused(click.ClickException):
    exit_code = 1


def _hold(request: takeover.Request) -> takeover.Claim:
    """Hold the journal's lock until this command ends (taking the run over when asked), or refuse."""
    try:
        claim = takeover.claim(request, Console(Redactor()))
    except takeover.Refused as err:
        raise Refused(str(err)) from None
    except OSError as err:
        raise ConfigError(f"{request.journal}: cannot lock the journal ({err.strerror}); on shared storage the "
                          "journal's folder must be writable by every responder (see the docs on hand-off)") from None
    click.get_current_context().call_on_close(claim.lock.release)
    return claim


def _recover(resumed: resume.Resumed, torn: Path | None, journal: journal_mod.Journal, console: Console) -> None:
    """What the interrupted run left: a torn last line (kept aside) and a command still running."""
    if torn is not None:
        journal.write("repaired", fragment=str(torn))
        console.say(f"The journal's last line was cut short (a full disk or a kill while writing); moved to {torn}.")
    if resumed.in_flight is None:
        return
    if resumed.in_flight_tree and not orphan_check(resumed.in_flight, **resumed.in_flight_id):
        from validator.runner.remote import stop_tree

        left = stop_tree(resumed.in_flight)  # a rollout: the hosts' commands too, each in a session of Ansible's
        killed = not left
        why = "" if killed else (f"process group(s) {', '.join(map(str, left))} belong to another account; "
                                 f"stop them as that user or with sudo kill -- -{left[0]}")
    else:
        killed, why = kill_orphan(resumed.in_flight, **resumed.in_flight_id)
    journal.write("orphan", pid=resumed.in_flight, killed=killed, reason=why)
    if killed:
        console.say(f"Stopped the command left running by the interrupted run (process group {resumed.in_flight}).")
    elif why != "nothing of it is left":
        console.say(f"Did not signal process group {resumed.in_flight!r}: {why}.", bold=True)


@click.command("run")
@click.argument("runbook", required=False)
@click.option("--path", "search", type=click.Path(path_type=Path),
              help="Folder to find runbook ids in (default: the nearest runbooks/ at or above the working directory).")
@click.option("--input", "-i", "pairs", multiple=True, metavar="NAME=VALUE", help="An input value (repeatable).")
@click.option("--severity", help="The incident's severity (default: the runbook's).")
@click.option("--started-at", metavar="TIME",
              help="When the incident started: 02:10, '20m ago' or an ISO time (default: now).")
@click.option("--paged-at", metavar="TIME", help="When you were paged (same forms), for the record.")
@click.option("--yes", "-y", is_flag=True, help="Unattended: run read-only and mutating command steps; stop at anything else.")
@click.option("--ack-manual", is_flag=True, help="With --yes: acknowledge manual, notify and confirm steps instead of stopping.")
@click.option("--dry-run", is_flag=True, help="Show every step and command; run nothing, write nothing.")
@click.option("--drill", is_flag=True, help="Practice run: each command is replaced by its step's simulated result.")
@click.option("--start-at", metavar="STEP", help="Begin at this step id.")
@click.option("--answer", "answers", multiple=True, metavar="STEP=ANSWER",
              help="Answer a decision before it is asked (repeatable); --yes stops at a decision not answered here.")
@click.option("--force", is_flag=True, help="Run even though lint reports errors (never when the runbook is invalid).")
@click.option("--journal-dir", type=click.Path(file_okay=False, path_type=Path), default=Path(".runbook-runs"),
              show_default=True, envvar="RUNBOOK_JOURNAL_DIR", show_envvar=True,
              help="Where run journals are written (a team's shared folder lets another responder take a run over).")
@click.option("--resume", "resume_path", type=click.Path(exists=True, dir_okay=False, readable=False, path_type=Path),
              help="Continue the run recorded in this journal after its last finished step.")
@click.option("--take-over", is_flag=True,
              help="With --resume: take over a run another responder held, after a confirmation naming them.")
@click.option("--force-take-over", is_flag=True,
              help="Take over even while the holder's runner still holds the lock: stop it (same host) or set its lock aside.")
@click.option("--approve-take-over", is_flag=True, help="Take over without the confirmation question (scripts, --yes).")
@click.option("--reason", "takeover_reason", metavar="TEXT", help="Why the run is taken over (recorded in the journal).")
@click.option("--alert", "alert_name", metavar="NAME", help="Run the runbook that answers this alert.")
@click.option("--from-alert", "alert_payload", metavar="FILE",
              help="An Alertmanager webhook payload (- for stdin): picks the runbook and fills inputs from the alert's labels.")
@click.option("--inventory", "inventory_path", type=click.Path(exists=True, path_type=Path),
              help="The Ansible inventory for steps with targets: (default: the lint configuration's, else the policy's).")
@click.option("--forks", type=click.IntRange(1, 200), default=10, show_default=True,
              help="How many hosts a targeted step runs on at once.")
def run(runbook: str | None, search: Path | None, pairs: tuple[str, ...], severity: str | None, started_at: str | None,
        paged_at: str | None, yes: bool, ack_manual: bool, dry_run: bool, drill: bool, start_at: str | None,
        answers: tuple[str, ...], force: bool, journal_dir: Path, resume_path: Path | None, take_over: bool,
        force_take_over: bool, approve_take_over: bool, takeover_reason: str | None,
        alert_name: str | None, alert_payload: str | None, inventory_path: Path | None, forks: int) -> int:
    """Walk through RUNBOOK (a file or a runbook id) one step at a time, keeping the incident clock and a journal.

    \b
    Inputs not given with --input are asked for (secret ones without echo), or read from
    RUNBOOK_INPUT_<NAME> in the environment.
    \b
    Exit codes: 0 completed; 1 refused (invalid runbook, lint errors), aborted, failed,
    stopped or rolled back; 2 usage error; 130 interrupted.  `runbook run --resume JOURNAL`
    continues any run that did not complete.
    """
    chosen = None
    if alert_name is not None or alert_payload is not None:
        if runbook is not None or resume_path is not None:
            raise click.UsageError("--alert and --from-alert choose the runbook: give no RUNBOOK and no --resume")
        chosen = alert_start.choose(alert_name, alert_payload, search)
        runbook, pairs, started_at = chosen.runbook.source.path, (*chosen.pairs, *pairs), started_at or chosen.started_at
    if runbook is None and resume_path is None:
        raise click.UsageError(USAGE)
    if runbook is not None and resume_path is not None:
        raise click.UsageError("give a RUNBOOK or --resume JOURNAL, not both (a resumed run already knows its runbook)")
    taking = take_over or force_take_over or approve_take_over or takeover_reason is not None
    if taking and resume_path is None:
        raise click.UsageError("--take-over, --force-take-over, --approve-take-over and --reason need --resume JOURNAL")
    if not yes and not dry_run and not sys.stdin.isatty():
        click.echo("runbook run needs a terminal to ask questions; use --yes (unattended) or --dry-run.", err=True)
        return 2
    mode = Mode(yes=yes, dry_run=dry_run, drill=drill, ack_manual=ack_manual)
    resumed, torn, claim = None, None, None
    if resume_path is not None:  # hold it before reading: a live runner may still be appending to it
        claim = _hold(takeover.Request(resume_path, taking, force_take_over, approve_take_over, takeover_reason,
                                       interactive=not yes and not dry_run and sys.stdin.isatty()))
        try:
            torn = journal_mod.repair(resume_path)
            resumed = resume.scan(journal_mod.read(resume_path))
        except PermissionError as err:
            raise ConfigError(f"{resume_path}: cannot read and append to the journal ({err.strerror}); a run another "
                              "responder takes over must be group-writable (see the docs on hand-off)") from None
        except (ValueError, OSError) as err:
            raise ConfigError(str(err)) from None
        if resumed.finished:
            raise ConfigError(f"{resume_path}: this run already completed; nothing to resume")
        first = resumed.start
        runbook, severity, started_at = first["file"], resumed.severity or first.get("severity"), first["started_at"]
        paged_at = first.get("paged_at")
        mode.drill = bool(first.get("drill"))
    assert runbook is not None
    if inventory_path is None and resumed is not None and resumed.inventory:
        inventory_path = Path(resumed.inventory)  # the hosts the interrupted run was working on
    try:
        loaded = preflight.load(runbook, search, force, dry_run, severity, own_inventory=inventory_path is not None)
    except preflight.Refused as refused:
        click.echo(f"error: {refused}", err=True)
        for finding in refused.findings:
            click.echo("  " + preflight.format_finding(finding), err=True)
        return 1
    mode.answers = start.parse_answers(answers, loaded.runbook)
    console = Console(Redactor())
    setup = start.Setup(loaded.runbook, mode, severity, started_at, pairs, journal_dir, resume_path, resumed, paged_at)
    state = start.build_state(setup, console)
    targeted.choose_inventory(state, inventory_path, forks)
    for line in alert_start.describe(chosen) if chosen is not None else []:
        console.say(line)
    for line in preflight.banner(loaded, dry_run):
        console.say(line, bold=line[:1] != " ")
    state.library = loaded.library
    try:
        start.gather_inputs(setup, state, console)
    except EndOfInput:
        click.echo("No input given; nothing was run.", err=True)
        return 2
    if resumed is not None:
        resume.apply(resumed, state)
    elif start_at is not None and not state.start_at(start_at):
        every = [s.id for s in (*state.plan, *loaded.runbook.rollback)]
        raise ConfigError(f"--start-at {start_at}: no such step in {loaded.runbook.id} (steps: {', '.join(every)})")
    journal = start.open_journal(setup, state, console)
    if resume_path is None and not dry_run:
        claim = _hold(takeover.Request(journal.path))
    if claim is not None:
        journal.user, journal.guard = lock_mod.user(), claim.lock.still_ours
    start.intro(setup, state, console, None if dry_run else journal.path)
    old = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        if claim is not None and claim.handoff is not None:
            journal.write("handoff", **claim.handoff)
            console.say(f"You took the run over from {claim.handoff['from_user'] or 'its last responder'}.", bold=True)
        start.first_events(setup, state, journal, console)
        if state.inventory is not None and not dry_run:
            journal.write("inventory", path=str(state.inventory), origin=state.inventory_origin)
        if resumed is not None:
            _recover(resumed, torn, journal, console)
        session = Session(state, mode, console, journal)
        if mode.interactive and paging.chain(session):  # the [p] key, wherever there is someone to page
            console.pager = paging.Pager(session).page
        return session.run()
    except journal_mod.TakenOver as err:
        click.echo(f"error: {err}.", err=True)
        return 1
    except journal_mod.JournalError as err:
        click.echo(f"error: {err}.\nThe run stops here: nothing runs that the journal cannot record. Once it can be "
                   f"written again (free some space): runbook run --resume {journal.path}", err=True)
        return 1
    finally:
        journal.close()
        for sig, handler in old.items():
            signal.signal(sig, handler)


@click.command("timeline")
@click.argument("journal", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file.")
def timeline(journal: Path, fmt: str, output: Path | None) -> int:
    """The incident timeline of a run journal, for the post-mortem: times, steps, outcomes,
    notes and whether the SLA targets were met, as markdown or JSON."""
    try:
        events = journal_mod.read(journal)
    except (ValueError, OSError) as err:
        raise ConfigError(str(err)) from None
    built = timeline_mod.build(events)
    text = timeline_mod.to_json(built) if fmt == "json" else timeline_mod.to_markdown(built)
    if output is not None:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    return 0

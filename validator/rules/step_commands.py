"""Steps (S4xx), commands as written: secrets on the command line, commands that never exit,
and placeholders left for a person to fill in.

One pass over every command finds all three (runbooks repeat commands, and the analyses are
cached by text); each rule reports its kind of hit.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from validator import command_flaws, commands
from validator.durations import format_duration
from validator.findings import Finding, Severity
from validator.model import At, Runbook, Step
from validator.rules.base import Context, rule
from validator.rules.memo import per_run
from validator.rules.scalar import place_offset
from validator.rules.step_text import step_texts, steps_of


@dataclasses.dataclass(frozen=True)
class Hit:
    kind: str  # secret | endless | placeholder
    runbook: Runbook
    step: Step
    at: At
    text: str
    offset: int
    what: str


def _scan(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    for rb in ctx.runbooks:
        steps = steps_of(rb)
        secret = {i.name: "input" for i in rb.inputs if i.secret}
        secret.update({c.name: "captured value" for st in steps for c in st.capture if c.secret})
        for step in steps:
            for key, at, text in step_texts(step):  # most texts have no hit: no list is built for them
                if secret and key != "env":
                    hits += [Hit("secret", rb, step, at, text, offset, f"{secret[name]} '{name}'")
                             for name, offset in commands.references(text) if name in secret]
                endless = command_flaws.endless(text) if key not in ("args", "env") else ()
                if endless:
                    hits += [Hit("endless", rb, step, at, text, f.start, f.what) for f in endless]
                placeholders = command_flaws.placeholders(text)
                if placeholders:
                    hits += [Hit("placeholder", rb, step, at, text, f.start, f.what) for f in placeholders]
    return hits


def _hits(ctx: Context, kind: str) -> Iterator[Hit]:
    return (h for h in per_run(ctx, "command-hits", lambda: _scan(ctx)) if h.kind == kind)


def _report(ctx: Context, hit: Hit, message: str) -> Finding:
    line, col = place_offset(hit.runbook.source, hit.at, hit.text, hit.offset)
    return dataclasses.replace(ctx.report(hit.runbook.source, hit.at, message), line=line, col=col)


@rule("S411", "secret-on-command-line", Severity.WARNING, "A secret input or capture is inserted into a command line.",
      "pass it in env: (e.g. env: {PGPASSWORD: '${db_password}'}) and use $PGPASSWORD in the command")
def secret_on_command_line(ctx: Context) -> Iterator[Finding]:
    """Command lines are visible to every user of the host in the process list (``ps``) and often in
    audit logs, so a secret inserted there is no longer secret.  Environment variables are not shown.

    Put the value in the step's ``env:`` and refer to the variable in the command.
    """
    for hit in _hits(ctx, "secret"):
        yield _report(ctx, hit, f"secret {hit.what} is put on the command line of step '{hit.step.id}', "
                      "where the process list shows it")


@rule("S413", "endless-command", Severity.WARNING, "A command never exits on its own (tail -f, watch, kubectl logs -f, top …).",
      "show a bounded slice instead: tail -n 200, journalctl --since '15 min ago', kubectl logs --tail=200")
def endless_command(ctx: Context) -> Iterator[Finding]:
    """The runner waits for each command to finish.  ``tail -f`` and friends never do, so the step
    hangs until its timeout and is then reported as failed although it showed what it should.

    Show a bounded slice (``tail -n 200``, ``journalctl --since``, ``kubectl logs --tail``), or turn
    the step into a ``wait: {until: ...}`` poll for the line you are waiting for.
    """
    for hit in _hits(ctx, "endless"):
        yield _report(ctx, hit, f"'{hit.what}' in step '{hit.step.id}' never exits: "
                      f"the step hangs until its timeout ({format_duration(hit.step.timeout)})")


@rule("S414", "command-placeholder", Severity.ERROR, "A command or argument still holds a placeholder (<IP>, YOUR_API_KEY …).",
      "declare an input and write ${name}; the runner asks for it and inserts it quoted")
def command_placeholder(ctx: Context) -> Iterator[Finding]:
    """Copied from a wiki, ``--ip <IP>`` is an instruction to a person; run as written, bash reads
    ``<IP>`` as "take input from a file named IP" and the command fails, or the script receives the
    literal text ``<IP>``.

    Declare an input (``inputs: [{name: ip_address}]``) and write ``${ip_address}``: the runner asks
    for the value when the runbook starts and inserts it, quoted.
    """
    for hit in _hits(ctx, "placeholder"):
        yield _report(ctx, hit, f"step '{hit.step.id}' passes the placeholder {hit.what} as written")

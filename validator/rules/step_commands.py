"""Steps (S4xx), commands as written: secrets on the command line, commands that never exit,
and placeholders left for a person to fill in.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from validator import command_flaws, commands
from validator.findings import Finding, Severity
from validator.rules.base import Context, rule
from validator.rules.scalar import place_offset
from validator.rules.step_text import all_texts, steps_of


@rule("S411", "secret-on-command-line", Severity.WARNING, "A secret input or capture is inserted into a command line.",
      "pass it in env: (e.g. env: {PGPASSWORD: '${db_password}'}) and use $PGPASSWORD in the command")
def secret_on_command_line(ctx: Context) -> Iterator[Finding]:
    """Command lines are visible to every user of the host in the process list (``ps``) and often in
    audit logs, so a secret inserted there is no longer secret.  Environment variables are not shown.

    Put the value in the step's ``env:`` and refer to the variable in the command.
    """
    texts = all_texts(ctx)
    for rb in ctx.repo.runbooks:
        secret_inputs = {i.name for i in rb.inputs if i.secret}
        secret_captures = {c.name for s in steps_of(rb) for c in s.capture if c.secret}
        if not secret_inputs and not secret_captures:
            continue
        for step in steps_of(rb):
            for key, at, text in texts[id(step)]:
                if key == "env" or "${" not in text:
                    continue
                for name, offset in commands.references(text):
                    if name in secret_inputs or name in secret_captures:
                        what = "input" if name in secret_inputs else "captured value"
                        line, col = place_offset(rb.source, at, text, offset)
                        finding = ctx.report(rb.source, at, f"secret {what} '{name}' is put on the command line of step "
                                             f"'{step.id}', where the process list shows it")
                        yield dataclasses.replace(finding, line=line, col=col)


@rule("S413", "endless-command", Severity.WARNING, "A command never exits on its own (tail -f, watch, kubectl logs -f, top …).",
      "show a bounded slice instead: tail -n 200, journalctl --since '15 min ago', kubectl logs --tail=200")
def endless_command(ctx: Context) -> Iterator[Finding]:
    """The runner waits for each command to finish.  ``tail -f`` and friends never do, so the step
    hangs until its timeout and is then reported as failed although it showed what it should.

    Show a bounded slice (``tail -n 200``, ``journalctl --since``, ``kubectl logs --tail``), or turn
    the step into a ``wait: {until: ...}`` poll for the line you are waiting for.
    """
    texts = all_texts(ctx)
    for rb in ctx.repo.runbooks:
        for step in steps_of(rb):
            for key, at, text in texts[id(step)]:
                if key in ("args", "env"):
                    continue
                for flaw in command_flaws.endless(text):
                    line, col = place_offset(rb.source, at, text, flaw.start)
                    finding = ctx.report(rb.source, at, f"'{flaw.what}' in step '{step.id}' never exits: "
                                         f"the step hangs until its timeout ({step.timeout // 60 or 1}m)")
                    yield dataclasses.replace(finding, line=line, col=col)


@rule("S414", "command-placeholder", Severity.ERROR, "A command or argument still holds a placeholder (<IP>, YOUR_API_KEY …).",
      "declare an input and write ${name}; the runner asks for it and inserts it quoted")
def command_placeholder(ctx: Context) -> Iterator[Finding]:
    """Copied from a wiki, ``--ip <IP>`` is an instruction to a person; run as written, bash reads
    ``<IP>`` as "take input from a file named IP" and the command fails, or the script receives the
    literal text ``<IP>``.

    Declare an input (``inputs: [{name: ip_address}]``) and write ``${ip_address}``: the runner asks
    for the value when the runbook starts and inserts it, quoted.
    """
    texts = all_texts(ctx)
    for rb in ctx.repo.runbooks:
        for step in steps_of(rb):
            for _, at, text in texts[id(step)]:
                for flaw in command_flaws.placeholders(text):
                    line, col = place_offset(rb.source, at, text, flaw.start)
                    finding = ctx.report(rb.source, at, f"step '{step.id}' passes the placeholder {flaw.what} as written")
                    yield dataclasses.replace(finding, line=line, col=col)

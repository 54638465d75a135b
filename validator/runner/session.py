"""A run in progress: its state, mode, console and journal, the incident clock's milestones,
notes, and the summary at the end.  The order of the steps belongs to the walker
(:mod:`validator.runner.walker`); the steps are performed by their handlers.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from validator.model import Step
from validator.runner.display import RULE, status
from validator.runner.journal import Journal, JournalError
from validator.runner.prompts import Console, EndOfInput
from validator.runner.render import escalation_contacts
from validator.runner.state import Mode, RunState
from validator.runner.walker import Walker

EXIT_CODES = {"completed": 0, "aborted": 1, "failed": 1, "stopped": 1, "rolled-back": 1, "rollback-incomplete": 1,
              "interrupted": 130}


class Session:
    def __init__(self, state: RunState, mode: Mode, console: Console, journal: Journal) -> None:
        self.state, self.mode, self.console, self.journal = state, mode, console, journal
        self.stop_reason = ""
        self.last_exit: int | None = None  # the last command's result, for retries and polls
        self.last_reason = ""
        self.last_output = ""
        self.rolling_back = False  # inside a rollback: no prompt offers another one

    def run(self) -> int:
        try:
            return self.finish(Walker(self).run())
        except (KeyboardInterrupt, EndOfInput):
            self.console.say("")
            self.stop_reason = "interrupted at a prompt (Ctrl-C, end of input or a signal)"
            return self.finish("interrupted")
        except JournalError:
            raise
        except Exception as err:  # a bug: the record still says the run ended, and how
            with contextlib.suppress(JournalError):
                self.journal.write("end", outcome="error", reason=f"internal error: {type(err).__name__}: {err}",
                                   elapsed=round(self.state.clock.elapsed(), 3), completed=list(self.state.completed))
            raise

    def responded(self) -> None:
        """Record the respond milestone at the responder's first answer (see :meth:`Console.line`):
        a person at the keyboard acknowledging the run, whatever they answered.  An unattended run
        (``--yes``) never records one: nobody acknowledged anything."""
        answered = self.console.first_answer
        if answered is None or self.mode.dry_run:
            return
        event = self.state.clock.respond(answered)
        if event is not None:
            self.journal.write("milestone", **event)

    def milestones(self) -> None:
        if self.mode.dry_run:
            return
        self.responded()
        for event in self.state.clock.due_milestones():
            if event["name"] == "update_due":
                self.journal.write("milestone", **event)
                self.console.say(f"** STATUS UPDATE DUE (since {event['due']}). **", fg="yellow", bold=True)
                continue
            whom = escalation_contacts(self.state, str(event["level"]))
            self.journal.write("milestone", **event, page=whom)
            self.console.say(f"** ESCALATION DUE: {event['level']} (after {event['after']}). **", fg="red", bold=True)
            for line in whom or ["nobody: the policy names no one to escalate to; call your incident commander"]:
                self.console.say(f"   page {line}")
            if whom and self.console.pager is not None:
                self.console.say("   (p at the prompt pages the next escalation level through its channels)")

    def note(self, step: Step | None) -> None:
        text = self.console.line("Note")
        if text:
            self.journal.write("note", step=step.id if step else None, text=text)
            self.console.say("Noted.")

    def visible_outputs(self) -> dict[str, Any]:
        """Captured values for the record (a resume restores them); secret ones never leave memory."""
        return {k: v for k, v in self.state.outputs.items() if k not in self.state.secret_outputs}

    def finish(self, outcome: str) -> int:
        clock = self.state.clock
        self.responded()
        if outcome == "completed" and not self.mode.dry_run:
            resolved = clock.resolved()
            self.journal.write("milestone", **resolved)
        elapsed = round(clock.elapsed(), 3)
        self.journal.write("end", outcome=outcome, reason=self.stop_reason, elapsed=elapsed, completed=list(self.state.completed))
        self.summary(outcome)
        return EXIT_CODES.get(outcome, 1)

    def dry_run_epilogue(self, outcome: str) -> None:
        """What a dry run cannot reach by walking the steps: the rollback and the post-incident tasks."""
        rb, say = self.state.runbook, self.console.say
        if outcome == "completed" and rb.rollback:
            say(f"If the run is rolled back: each completed step's undo, last first, then these {len(rb.rollback)} step(s):",
                bold=True)
            walker = Walker(self)
            for index, step in enumerate(rb.rollback, 1):
                walker.visit(step, index, len(rb.rollback))
            say(RULE)
        tasks = rb.post_incident_tasks
        if tasks:
            say("After the incident (listed when the run completes):", bold=True)
            for item in tasks:
                say(f"  post-incident: {item.task}")

    def summary(self, outcome: str) -> None:
        say = self.console.say
        say(RULE)
        if self.mode.dry_run:
            self.dry_run_epilogue(outcome)
            say("Dry run finished: nothing was run and no journal was written.")
            return
        say(f"Run {outcome.replace('-', ' ')}.", bold=True)
        status(self.console, self.state)
        if outcome == "completed":
            for item in self.state.runbook.post_incident_tasks:
                say(f"  post-incident: {item.task}")
        path = Path(self.journal.path)
        say(f"Journal: {path}")
        if outcome != "completed":
            say(f"Resume with:\n  $ runbook run --resume {path}")
        say(f"Timeline:\n  $ runbook timeline {path}")

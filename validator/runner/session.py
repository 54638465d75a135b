"""The step loop: one step at a time, each one a short pipeline — show it, check its ``when``,
let the responder (or the mode) decide, act, record — then move to the next step or a go-to.

A step is recorded as finished (``step_end``, with the step that comes next) only once it is
done, skipped or handled by its failure policy, so a resume continues exactly after the last
finished step and a crash loses at most the step in flight.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from validator import conditions
from validator.model import Step
from validator.runner import actions
from validator.runner.display import RULE, heading, show_step, status
from validator.runner.journal import Journal, JournalError
from validator.runner.prepare import shown_command
from validator.runner.prompts import Console, EndOfInput
from validator.runner.render import escalation_contacts
from validator.runner.state import Mode, Outcome, RunState

KNOWN_BEFORE_RUN = {"severity", "service", "drill", "inputs"}
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
            return self.finish(self.loop())
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

    def loop(self) -> str:
        plan = self.state.plan
        while self.state.position < len(plan):
            step = plan[self.state.position]
            outcome = self.step(step, self.state.position + 1, len(plan))
            self.responded()
            if outcome.stop:
                if outcome.stop != "interrupted":  # the step ended (failed, aborted, stopped): a resume tries it again
                    self.journal.write("step_end", step=step.id, outcome=outcome.status, reason=outcome.reason,
                                       next=step.id, outputs=self.visible_outputs())
                if outcome.reason:
                    self.console.say(outcome.reason, bold=True)
                self.stop_reason = outcome.reason
                return outcome.stop
            nxt = self.state.position + 1
            if outcome.goto is not None:
                target = self.state.index_of(outcome.goto)
                if target is None:
                    self.console.say(f"go-to target '{outcome.goto}' is not a step of this run; stopping.", bold=True)
                    return "failed"
                nxt = target
            self.journal.write("step_end", step=step.id, outcome=outcome.status, reason=outcome.reason,
                               next=plan[nxt].id if nxt < len(plan) else None, outputs=self.visible_outputs())
            self.state.position = nxt
        return "completed"

    def step(self, step: Step, number: int, total: int) -> Outcome:
        """Show, check the condition, then hand over to the step kind's action."""
        self.milestones()
        command = shown_command(step, self.state)
        reason, note = self.condition(step)
        self.journal.write("step_start", step=step.id, n=number, total=total, kind=step.kind, section=step.section,
                           title=step.name, phase=step.phase, owner=step.owner,
                           risk=step.effective_risk if step.is_command else None, command=command)
        if reason is not None:  # one line: a skipped step's card is noise at 3 a.m.
            self.console.say(f"{heading(step, number, total)}: skipped, {reason}", dim=True)
            self.journal.write("skipped", step=step.id, by="condition", reason=reason)
            return Outcome("skipped", reason=reason, by="condition")
        show_step(self.console, self.state, step, number, total, command, condition=note)
        if self.mode.dry_run:
            return actions.dry_run(self, step)
        return actions.HANDLERS[step.kind](self, step)

    def condition(self, step: Step) -> tuple[str | None, str | None]:
        """``(skip reason, note for the card)``.  A dry run never skips: it shows the condition and
        evaluates it only when everything it names is known before the run."""
        if not step.when:
            return None, None
        try:
            node = conditions.parse(step.when)
        except conditions.ConditionError as err:
            return f"condition '{step.when}' cannot be read ({err})", None
        ctx = self.state.context()
        ctx["drill"] = self.mode.drill
        holds = conditions.evaluate(node, ctx)
        if not self.mode.dry_run:
            return (None if holds else f"condition '{step.when}' is false"), None
        unknown = sorted({str(ref) for ref in conditions.references(node)
                          if ref.parts[0] not in KNOWN_BEFORE_RUN
                          or (ref.parts[0] == "inputs" and ref.parts[1:2] and ref.parts[1] in self.state.unknown_inputs)})
        if unknown:
            return None, f"Runs only when: {step.when}  (not evaluated: {', '.join(unknown)} unknown before the run)"
        verdict = "runs" if holds else "a real run skips it"
        return None, f"Runs only when: {step.when}  (with the severity and inputs given: {verdict})"

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
            for index, step in enumerate(rb.rollback, 1):
                self.step(step, index, len(rb.rollback))
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

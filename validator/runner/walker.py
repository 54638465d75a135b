"""The one place that owns the order of a run: which step comes next, what a failure leads to,
when the rollback section runs, and when another runbook is entered.

The step handlers (:mod:`actions`, :mod:`decisions`, :mod:`waiting`, :mod:`commands`) only
perform a step and say how it ended; the rules for ``next:``, answers, ``when:`` and failure
policies come from :class:`validator.walk.Walk`, the same walker ``runbook test`` drills use.

A step is recorded as finished (``step_end``, with the step that comes next) only once it is
done, skipped or handled by its failure policy, so a resume continues exactly after the last
finished step (on the branch chosen) and a crash loses at most the step in flight.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from validator import conditions
from validator.graph import END, ROLLED_BACK
from validator.model import Step
from validator.runner import actions, decisions, failure, needed
from validator.runner.display import heading, show_step
from validator.runner.journal import Journal
from validator.runner.prepare import shown_command
from validator.runner.resume import STATUS
from validator.runner.state import Outcome, RunState
from validator.runner.undo import run_undo

if TYPE_CHECKING:
    from validator.runner.session import Session

KNOWN_BEFORE_RUN = {"severity", "service", "drill", "inputs"}  # what a dry run can evaluate a condition on



class Walker:
    def __init__(self, session: Session) -> None:
        self.s = session

    @property
    def state(self) -> RunState:
        return self.s.state

    def run(self) -> str:
        """Walk from the current position to the end; returns how the run ended."""
        plan = self.state.plan
        while self.state.position < len(plan):
            step = plan[self.state.position]
            outcome = self.visit(step, self.state.position + 1, len(plan))
            self.s.responded()
            if outcome.rollback:
                ended = self.rollback(step, outcome)
                self.s.journal.write("step_end", step=step.id, outcome=outcome.status, reason=outcome.reason, next=step.id,
                                     answer=outcome.answer, exit_code=self.state.exit_codes.get(step.id),
                                     outputs=self.s.visible_outputs())
                return ended
            if outcome.stop:
                if outcome.stop != "interrupted":  # the step ended (failed, aborted, stopped): a resume tries it again
                    self.s.journal.write("step_end", step=step.id, outcome=outcome.status, reason=outcome.reason,
                                         next=step.id, answer=outcome.answer, exit_code=self.state.exit_codes.get(step.id),
                                         outputs=self.s.visible_outputs())
                if outcome.reason:
                    self.s.console.say(outcome.reason, bold=True)
                self.s.stop_reason = outcome.reason
                return outcome.stop
            target = self.next_of(step, outcome)
            nxt = len(plan) if target in (END, ROLLED_BACK) else self.state.index_of(target)
            if nxt is None:
                self.s.console.say(f"go-to target '{target}' is not a step of this run; stopping.", bold=True)
                return "failed"
            self.finished(step, outcome, plan[nxt].id if nxt < len(plan) else None)
            self.state.position = nxt
        return "completed"

    def next_of(self, step: Step, outcome: Outcome) -> str:
        if self.s.mode.dry_run:  # a dry run shows every step once, in order
            return self.state.walk().follow(step)
        if outcome.goto is not None:
            return outcome.goto
        return self.state.walk().after(step, outcome.answer)

    def finished(self, step: Step, outcome: Outcome, nxt: str | None) -> None:
        self.state.walk().record(step, STATUS.get(outcome.status, outcome.status), outcome.answer,
                                 self.state.exit_codes.get(step.id))
        self.s.journal.write("step_end", step=step.id, outcome=outcome.status, reason=outcome.reason, next=nxt,
                             answer=outcome.answer, exit_code=self.state.exit_codes.get(step.id),
                             outputs=self.s.visible_outputs())

    def visit(self, step: Step, number: int, total: int) -> Outcome:
        """Check the step's condition, show it, let its handler perform it, then apply its failure policy."""
        s = self.s
        s.milestones()
        if not s.mode.dry_run:
            needed.ask_inputs(s, step, condition_only=True)  # what the condition reads, before it is read
        reason, note = self.condition(step)
        if reason is None and not s.mode.dry_run:
            needed.ask_inputs(s, step)
        s.responded()  # typing an input may have been the responder's first answer
        command = shown_command(step, self.state)
        s.journal.write("step_start", step=step.id, n=number, total=total, kind=step.kind, section=step.section,
                        title=step.name, phase=step.phase, owner=step.owner,
                        risk=step.effective_risk if step.is_command else None, command=command)
        if reason is not None:  # one line: a skipped step's card is noise at 3 a.m.
            s.console.say(f"{heading(step, number, total)}: skipped, {reason}", dim=True)
            s.journal.write("skipped", step=step.id, by="condition", reason=reason)
            return Outcome("skipped", reason=reason, by="condition")
        show_step(s.console, self.state, step, number, total, command, condition=note)
        if s.mode.dry_run:
            return actions.dry_run(s, step)
        outcome = self.perform(step)
        if outcome.status == "failed" and not outcome.stop and outcome.goto is None:
            outcome = failure.handle(s, step, lambda: self.perform(step, again=True))
        return outcome

    def perform(self, step: Step, again: bool = False) -> Outcome:
        if step.decide is not None:
            return decisions.decide_step(self.s, step)
        if step.call is not None:
            return self.call(step)
        if again and step.is_command:
            return actions.after_command(self.s, step)
        return actions.HANDLERS[step.kind](self.s, step)

    def condition(self, step: Step) -> tuple[str | None, str | None]:
        """``(skip reason, note for the card)``.  A dry run never skips: it shows the condition and
        evaluates it only when everything it names is known before the run."""
        if not step.when:
            return None, None
        holds, reason = self.state.walk(drill=self.s.mode.drill).condition(step)
        if not self.s.mode.dry_run:
            return (None if holds else reason), None
        try:
            node = conditions.parse(step.when)
        except conditions.ConditionError:
            return reason or None, None
        unknown = sorted({str(ref) for ref in conditions.references(node)
                          if ref.parts[0] not in KNOWN_BEFORE_RUN
                          or (ref.parts[0] == "inputs" and ref.parts[1:2] and ref.parts[1] in self.state.unknown_inputs)})
        if unknown:
            return None, f"Runs only when: {step.when}  (not evaluated: {', '.join(unknown)} unknown before the run)"
        verdict = "runs" if holds else "a real run skips it"
        return None, f"Runs only when: {step.when}  (with the severity and inputs given: {verdict})"

    def rollback(self, failed: Step, why: Outcome) -> str:
        """Undo completed steps in reverse, then run the rollback steps.

        The run ends ``rolled-back`` only when every undo and every rollback step succeeded; otherwise
        ``rollback-incomplete``, naming each undo that failed or was not run and each rollback step
        that failed or was skipped, so nobody reads "rolled back" over a half-restored system.
        """
        s, rb = self.s, self.state.runbook
        by_answer = why.answer is not None and why.status != "failed"
        s.console.say(f"Rolling back: the answer to {failed.id} was '{why.answer}'." if by_answer
                      else f"Rolling back at {failed.id}, as asked." if why.backed_out
                      else f"Rolling back after {failed.id} failed.", bold=True)
        s.rolling_back = True
        s.journal.write("rollback", step=failed.id, phase="start", undo=[sid for sid in reversed(self.state.completed)
                                                                         if (st := rb.step(sid)) is not None and st.undo])
        gaps: list[str] = []
        if failed.undo and not by_answer and not why.backed_out:
            gaps += self.partial_undo(failed)
        for sid in reversed(list(self.state.completed)):
            done = rb.step(sid)
            if done is None or not done.undo:
                continue
            result = run_undo(s, done)
            if result == "declined":
                gaps.append(f"the undo of {sid} was not run")
                continue  # not undone: the step stays done
            if result != "ok":
                s.console.say(f"The undo of {sid} failed; continue the rollback by hand.", bold=True)
                gaps.append(f"the undo of {sid} failed")
            self.state.completed.remove(sid)
            if sid in self.state.records:
                self.state.records[sid].status = "undone"
        index = 0
        while index < len(rb.rollback):
            step = rb.rollback[index]
            outcome = self.visit(step, index + 1, len(rb.rollback))
            s.journal.write("step_end", step=step.id, outcome=outcome.status, reason=outcome.reason, next=None,
                            answer=outcome.answer, outputs=s.visible_outputs())
            if outcome.status not in ("done", "acknowledged") and outcome.by != "condition":
                gaps.append(f"rollback step {step.id} {outcome.status}")
            if outcome.stop or outcome.rollback:
                left = [st.id for st in rb.rollback[index + 1:]]
                if left:
                    gaps.append(f"rollback step(s) {', '.join(left)} not run")
                break
            self.state.walk().record(step, STATUS.get(outcome.status, outcome.status), outcome.answer,
                                     self.state.exit_codes.get(step.id))
            target = outcome.goto or self.state.walk().after(step, outcome.answer)
            if target == ROLLED_BACK:
                break
            index = next((i for i, st in enumerate(rb.rollback) if st.id == target), len(rb.rollback))
        s.journal.write("rollback", step=failed.id, phase="end", complete=not gaps, gaps=gaps)
        reason = ("Rollback INCOMPLETE: " + "; ".join(gaps) + ".") if gaps else \
            "Rolled back: every undo and rollback step succeeded."
        s.stop_reason = reason
        s.console.say(reason, bold=True)
        return "rollback-incomplete" if gaps else "rolled-back"

    def partial_undo(self, failed: Step) -> list[str]:
        """The step that failed: on hosts, undone on exactly those it succeeded on; else not undone."""
        if not failed.is_targeted:
            return [f"the undo of {failed.id} (the step that failed) was not run"]
        if not self.state.hosts_ok.get(failed.id):
            return []  # it changed no host
        result = run_undo(self.s, failed)
        if result == "declined":
            return [f"the undo of {failed.id} on the hosts it succeeded on was not run"]
        return [] if result == "ok" else [f"the undo of {failed.id} failed on some hosts"]

    def call(self, step: Step) -> Outcome:
        """A ``runbook:`` step: walk the other runbook here, in the same journal and on the same clock."""
        s = self.s
        callee = self.state.library.get(step.call or "")
        if callee is None:
            return Outcome("failed", reason=f"runbook '{step.call}' is not loaded")
        values = needed.call_inputs(s, step, callee)
        sub_state = RunState(callee, self.state.clock, self.state.root, inputs=values, severity=self.state.severity,
                             library=self.state.library)
        sub_state.secret_inputs = {i.name for i in callee.inputs if i.secret}
        child = copy.copy(s)
        child.state, child.journal = sub_state, Tagged(s.journal, step.id)
        s.journal.write("call", step=step.id, runbook=callee.id, phase="start",
                        inputs={k: v for k, v in values.items() if k not in sub_state.secret_inputs})
        s.console.say(f"Running runbook {callee.id} ({callee.title}) for step {step.id}.", bold=True)
        ended = Walker(child).run()
        if sub_state.severity != self.state.severity and sub_state.severity is not None:
            self.state.severity = sub_state.severity
        s.journal.write("call", step=step.id, runbook=callee.id, phase="end", outcome=ended)
        s.console.say(f"Back in {self.state.runbook.id}: runbook {callee.id} {ended}.", bold=True)
        if ended == "completed":
            self.state.completed.append(step.id)
            return Outcome("done", reason=f"runbook {callee.id} completed")
        if ended in ("aborted", "interrupted"):
            return Outcome(ended, stop=ended, reason=f"{ended.capitalize()} inside runbook {callee.id} (step {step.id}).")
        return Outcome("failed", reason=f"runbook {callee.id} {ended}: {child.stop_reason}".rstrip(": "))


class Tagged(Journal):
    """The journal of a run inside a run: every event says which ``runbook:`` step it belongs to,
    so a resume and the timeline keep the two apart."""

    def __init__(self, journal: Journal, call: str) -> None:  # the outer run's file, not a new one
        self.journal, self.tag = journal, call
        self.path, self.redactor, self.seq = journal.path, journal.redactor, journal.seq

    def write(self, type_: str, **fields: Any) -> dict[str, Any]:
        event: dict[str, Any] = self.journal.write(type_, call=self.tag, **fields)
        return event

    def close(self) -> None:
        """The outer run closes the journal."""


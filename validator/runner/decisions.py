"""Decision steps: the question on screen, answered by number or by name (or beforehand with
``--answer STEP=ANSWER``), recorded with who answered; an answer may raise the severity.

Where the answer leads is the walker's business; this module only asks and records.
"""

from __future__ import annotations

import getpass
from typing import TYPE_CHECKING

from validator.durations import format_duration
from validator.model import Choice, Step
from validator.runner import answers
from validator.runner.state import Outcome

if TYPE_CHECKING:
    from validator.runner.session import Session

HELP = """  Type the number of an answer or the answer itself.
  'note' adds a note to the journal; 'abort' ends the run (`runbook run --resume JOURNAL` continues it)."""


def user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def match(step: Step, typed: str) -> Choice | None:
    """The choice ``typed`` names: its number, or its answer (any case)."""
    assert step.decide is not None
    choices = step.decide.choices
    text = typed.strip()
    if text.isdigit() and 1 <= int(text) <= len(choices):
        return choices[int(text) - 1]
    return next((c for c in choices if c.answer == text), None) or \
        next((c for c in choices if c.answer.lower() == text.lower()), None)


def decide_step(s: Session, step: Step) -> Outcome:
    decision = step.decide
    assert decision is not None
    given = s.mode.answers.get(step.id)
    if given is not None:
        choice = match(step, given)
        assert choice is not None  # --answer is checked against the choices before the run starts
        s.console.say(f"{decision.question}  -> {choice.answer} (--answer)")
        return _answered(s, step, choice, "--answer")
    if not s.mode.interactive:
        why = f"the decision '{step.id}' needs an answer (pass --answer {step.id}=ANSWER to answer it beforehand)"
        s.journal.write("stopped", step=step.id, reason=why)
        return Outcome("stopped", stop="stopped", reason=f"Stopped at {step.id}: {why}.")
    for number, choice in enumerate(decision.choices, 1):
        lead = "roll back" if choice.rollback else f"go to {choice.goto}" if choice.goto else "carry on"
        extra = f"; severity {choice.severity}" if choice.severity else ""
        about = f" - {choice.description}" if choice.description else ""
        s.console.say(f"  [{number}] {choice.answer}{about}  ({lead}{extra})")
    while True:
        pager = s.console.pager
        typed = s.console.line(f"Answer (1-{len(decision.choices)} or the answer; {'p to page, ' if pager else ''}? for help)")
        choice = match(step, typed)
        if choice is not None:
            return _answered(s, step, choice, user() or "the responder")
        if pager is not None and typed.lower() in ("p", "page"):
            pager()
        elif typed == "?":
            s.console.say(HELP)
        elif typed.lower() == "note":
            s.note(step)
        elif typed.lower() == "abort":
            s.journal.write("answer", step=step.id, answer="abort")
            return answers.abort(step)
        else:
            s.console.say(f"'{typed}' is not one of the answers.")


def _answered(s: Session, step: Step, choice: Choice, by: str) -> Outcome:
    assert step.decide is not None
    s.journal.write("decision", step=step.id, question=step.decide.question, answer=choice.answer, by=by,
                    goto=choice.goto, rollback=choice.rollback or None)
    if choice.severity:
        raise_severity(s, choice.severity, f"answer '{choice.answer}' to {step.id}")
    s.state.completed.append(step.id)
    return Outcome("done", answer=choice.answer, goto=choice.goto, rollback=choice.rollback,
                   reason=f"answered {choice.answer}")


def raise_severity(s: Session, severity: str, why: str) -> None:
    """Move the incident to a more severe level: the clock re-targets, the journal records it."""
    old = s.state.severity
    walk = s.state.walk()
    if not walk.raise_severity(severity):
        s.console.say(f"Severity stays {old} ({severity} is not more severe).")
        return
    policy = s.state.runbook.policy
    level = policy.severity(severity) if policy else None
    s.state.severity = severity
    s.state.clock.level = level
    s.journal.write("severity", old=old, new=severity, reason=why,
                    targets={k: format_duration(v) if v else None for k, v in s.state.clock.targets().items()})
    name = f" ({level.name})" if level is not None else ""
    s.console.say(f"** Severity raised from {old} to {severity}{name}: the clock now runs against its targets. **", bold=True)
    s.console.say(s.state.clock.header())

"""Steps (S4xx), flow and names: failure policies that loop, ``${name}`` and ``when:`` references
that resolve to nothing, and inputs nobody uses.

Duplicate step ids and jumps to unknown steps are reference errors (R004, R007), not lint.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from validator import commands, conditions
from validator.findings import Finding, Severity
from validator.model import Runbook, Step
from validator.references import suggest
from validator.rules.base import Context, rule
from validator.rules.step_text import located, step_texts, steps_of, word_at


@rule("S401", "failure-loop", Severity.WARNING,
      "A failure policy that loops: a jump to itself or back without `max`, or `retry` without `retries`.",
      "use retries with retry_delay for a repeat, and give every backward goto an explicit max")
def failure_loop(ctx: Context) -> Iterator[Finding]:
    """A step that fails for a reason that does not go away (a wrong password, a full disk) fails
    the same way on every pass of a loop; a loop whose bound nobody chose keeps the responder
    watching repeats instead of escalating.  Jumps back to an earlier step (or the step itself)
    without ``max`` stop only at the runner's default limit, and ``on_failure: retry`` without
    ``retries`` repeats at once, with no delay.

    Say what you mean: ``retries: N`` with ``retry_delay`` to repeat a step, and an explicit
    ``max`` on every ``goto`` that goes back.
    """
    for rb in ctx.runbooks:
        steps = steps_of(rb)
        order: dict[str, int] | None = None
        for i, step in enumerate(steps):
            policy = step.on_failure
            if policy.goto is None and policy.action != "retry":  # nothing below can apply (most steps)
                continue
            if order is None:
                order = {s.id: n for n, s in enumerate(steps)}
            raw = step.raw.get("on_failure")
            at = (*step.at, "on_failure")
            if policy.goto == step.id:
                yield ctx.report(rb.source, (*at, "goto"),
                                 f"on failure, step '{step.id}' jumps to itself and reruns the same command at once",
                                 "use retries: N with retry_delay, which waits between attempts")
            elif policy.goto in order and order[policy.goto] < i and not (isinstance(raw, dict) and "max" in raw):
                yield ctx.report(rb.source, (*at, "goto"),
                                 f"on failure, step '{step.id}' jumps back to '{policy.goto}' with no max: a lasting "
                                 f"failure repeats the steps in between until the default limit of {policy.max}",
                                 "set max to the number of attempts worth making, then let the runbook abort and escalate")
            elif policy.action == "retry" and "retries" not in step.raw:
                yield ctx.report(rb.source, at,
                                 f"step '{step.id}' retries on failure with no retries or retry_delay: it repeats at once",
                                 "write retries: N and retry_delay: 30s instead of on_failure: retry")


@rule("S402", "undeclared-reference", Severity.ERROR, "`${name}` names no input and no capture of an earlier step.",
      "declare the input under inputs:, or capture the value in an earlier step")
def undeclared_reference(ctx: Context) -> Iterator[Finding]:
    """The runner inserts ``${name}`` from the runbook's inputs and from values captured by steps
    that already ran; anything else has no value when the command runs, so the command is wrong
    exactly when it is needed.

    A step with ``targets:`` also has ``${target}``, the inventory name of the host it runs on.

    Declare the name under ``inputs:``, capture it in an earlier step, or fix the spelling.  For a
    shell or environment variable, write ``$NAME`` without braces: only ``${name}`` is substituted.
    """
    for rb in ctx.runbooks:
        inputs = {i.name for i in rb.inputs}
        later: dict[str, Step] | None = None  # who captures each name; built at the first unknown name
        before = set(inputs)
        for step in steps_of(rb):
            own = {c.name for c in step.capture} if step.capture else set()
            for key, at, text in step_texts(step):
                if "${" not in text:
                    continue
                known = before | own if key == "undo" else before
                if step.is_targeted:
                    known = known | {"target"}  # the host it runs on, for a step with targets:
                for name, offset in commands.references(text):
                    if name in known:
                        continue
                    if later is None:
                        later = {c.name: s for s in steps_of(rb) for c in s.capture}
                    if name in later:
                        message = f"'${{{name}}}' is captured by step '{later[name].id}', which runs after step '{step.id}'"
                        hint = "capture it in an earlier step, or move this step after that one"
                    else:
                        message = f"'${{{name}}}' is neither an input nor a value captured by an earlier step"
                        hint = suggest(name, known) if known else "declare it under inputs:"
                        if name.isupper() and name not in {k.upper() for k in known}:
                            hint = f"for the shell variable write ${name}: the runner substitutes every ${{...}}"
                    yield located(ctx, rb.source, at, text, offset, message, hint)
            if own:
                before |= own


def used_inputs(rb: Runbook, names: list[str]) -> set[str]:
    """Which of ``names`` the runbook mentions as ``${name}`` or ``inputs.name`` (in a step, a
    condition, or a template one of its steps sends).  A plain text search of the file: cheap, and a
    mention in a comment or a description counts, which errs on the quiet side."""
    texts = [rb.source.locator.text]
    if rb.policy is not None:
        sent = {st.template for st in steps_of(rb) if st.template}
        texts += [t.subject + t.body for t in rb.policy.templates if t.id in sent]
    text = "\n".join(texts)
    return {n for n in names if "${" + n + "}" in text or re.search(rf"\binputs\.{n}\b", text)}


@rule("S403", "unused-input", Severity.WARNING, "An input is declared but no step uses it.",
      "use it as ${name} in a step, or remove it")
def unused_input(ctx: Context) -> Iterator[Finding]:
    """Every input is a question the responder must answer before the first step runs; one that no
    step uses wastes time under pressure and usually means a step lost its ``${name}`` in an edit.

    Use the input in the step that needs it (``${name}``, ``inputs.name`` in ``when:``) or delete it.
    """
    for rb in ctx.runbooks:
        if not rb.inputs:
            continue
        used = used_inputs(rb, [i.name for i in rb.inputs])
        for inp in rb.inputs:
            if inp.name not in used:
                yield ctx.report(rb.source, (*inp.at, "name"), f"input '{inp.name}' is never used by any step")


@lru_cache(maxsize=4096)
def parsed(text: str) -> conditions.Node | None:
    """The parsed condition (runbooks repeat the same few), or None when it does not parse."""
    try:
        return conditions.parse(text)
    except conditions.ConditionError:
        return None


def _severity_literals(node: conditions.Node) -> Iterator[str]:
    """Values compared with ``severity`` in a parsed condition (``severity in [P0, P1]`` → P0, P1)."""
    if not isinstance(node, tuple):
        return
    if node[0] in ("and", "or", "not"):
        for child in node[1:]:
            yield from _severity_literals(child)
        return
    sides = node[1:]
    if any(isinstance(s, conditions.Ref) and s.parts == ("severity",) for s in sides) and node[0] != "matches":
        for side in sides:
            for value in side if isinstance(side, list) else [side]:
                if isinstance(value, str | int) and not isinstance(value, bool):
                    yield str(value)


Looked = tuple[tuple[tuple[str, str, str], ...], tuple[str, ...]]


@lru_cache(maxsize=4096)
def _looked_up(text: str) -> Looked | None:
    """What a condition names, as ``(kind, name, as written)``, and the severities it compares
    with; None when it does not parse.  Kept per text, like :func:`parsed`: runbooks repeat the same few."""
    node = parsed(text)
    if node is None:
        return None
    refs = []
    for ref in conditions.references(node):
        kind, name = (*ref.parts, "")[:2]
        refs.append((kind, name, str(ref)))
    return tuple(refs), tuple(_severity_literals(node))


@rule("S404", "condition-reference", Severity.ERROR, "A `when:` condition names an unknown input, output or severity.",
      "declare the input, capture the output in an earlier step, or use a severity the policy defines")
def condition_reference(ctx: Context) -> Iterator[Finding]:
    """An unknown name in a condition is simply empty at run time, so the step is silently skipped
    (or always run) instead of failing loudly; a severity the policy does not define never matches.

    Check the spelling against ``inputs:``, the ``capture:`` names of earlier steps and the policy's severities.
    """
    for rb in ctx.runbooks:
        inputs = {i.name for i in rb.inputs}
        severities = [s.id for s in rb.policy.severities] if rb.policy else []
        outputs: set[str] = set()  # captured by the steps before this one
        for step in steps_of(rb):
            looked = _looked_up(step.when) if step.when else None
            if looked is None:  # no condition, or one F008 already reports
                if step.capture:
                    outputs.update(c.name for c in step.capture)
                continue
            at, text = (*step.at, "when"), step.when or ""
            refs, literals = looked
            for kind, name, shown in refs:
                if kind == "inputs" and name not in inputs:
                    yield word_at(ctx, rb.source, at, text, shown,
                                f"condition of step '{step.id}' uses inputs.{name}, which is not declared",
                                suggest(name, inputs) if inputs else "declare it under inputs:")
                elif kind == "outputs" and name not in outputs:
                    yield word_at(ctx, rb.source, at, text, shown,
                                f"condition of step '{step.id}' uses outputs.{name}, which no earlier step captures",
                                suggest(name, outputs) if outputs else "capture it in an earlier step")
            for value in literals if rb.policy is not None else ():
                if value not in severities:
                    yield word_at(ctx, rb.source, at, text, value, f"condition of step '{step.id}' compares with severity "
                                f"'{value}', which the policy does not define", suggest(value, severities))
            outputs.update(c.name for c in step.capture)

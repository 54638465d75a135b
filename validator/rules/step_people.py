"""Steps (S4xx) meant for people: messages whose placeholders the runner cannot fill, and
manual or checklist steps that give the responder nothing to do.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

from validator import placeholders
from validator.findings import Finding, Severity
from validator.rules.base import Context, rule
from validator.rules.scalar import place_offset
from validator.rules.step_text import steps_of

_EMPTY = re.compile(r"(?i)^[\s\W]*(?:tbd|todo|tba|fixme|n/?a|none|placeholder|\[[^\]]*\]|<[^>]*>)?[\s\W]*$")
_KNOWN = ", ".join(sorted(placeholders.KNOWN))
# [SEVERITY], [Brief description]: a placeholder for a person; not a markdown link or a checkbox.
_BRACKETED = re.compile(r"\[[^\[\]{}\n]*[A-Za-z][^\[\]{}\n]{0,78}\](?![(\[:])")
# Placeholders of other template languages, which this runner sends as written: ${x}, {x}, %(x)s, <%= x %>.
_FOREIGN = re.compile(r"\$\{\s*([A-Za-z_][\w.]*)\s*\}|(?<![{$])\{\s*([A-Za-z_][\w.]*)\s*\}(?!\})"
                      r"|%\(([A-Za-z_]\w*)\)[sdf]|<%=?\s*([A-Za-z_][\w.]*)\s*%>")


def _foreign(text: str) -> list[tuple[str, str, int]]:
    """``(as written, the name in it, offset)`` for every placeholder in another template syntax."""
    found = []
    for m in _FOREIGN.finditer(text):
        name = next(g for g in m.groups() if g)
        found.append((m.group(0), name, m.start()))
    return found


def _instead(name: str) -> str:
    last = name.rsplit(".", 1)[-1]
    return f"write {{{{{last}}}}} instead" if last in placeholders.KNOWN else "write a {{placeholder}} the runner fills"


@rule("S406", "unknown-placeholder", Severity.ERROR, "A template uses a {{placeholder}} the runner cannot fill.",
      f"use one of: {_KNOWN}, or inputs.NAME for a declared input")
def unknown_placeholder(ctx: Context) -> Iterator[Finding]:
    """The runner fills a fixed set of placeholders; anything else would reach customers and
    executives as a literal ``{{...}}``, and so would a ``[Description of impact]`` left for a
    person to fill in, since nobody edits the message before the runner sends it.
    ``{{inputs.NAME}}`` works only for inputs the runbook declares and that are not secret
    (secrets are never put in messages).

    A placeholder of another template language (``${incident.severity}``, ``{severity}``,
    ``%(severity)s``, ``<%= severity %>``) is sent just as literally.

    Use a known placeholder (``runbook rules S406`` lists them), declare the input, or write the
    text out.  Template problems are reported in the policy; input placeholders at the step that
    sends the template, because they depend on the runbook.
    """
    for policy in ctx.policies:
        for t in policy.templates:
            for field, text in (("subject", t.subject), ("body", t.body)):
                by_hand = _BRACKETED.findall(text)
                if by_hand:
                    at = (*t.at, field)
                    line, col = place_offset(policy.source, at, text, text.index(by_hand[0]))
                    shown = ", ".join(dict.fromkeys(by_hand))
                    finding = ctx.report(policy.source, at,
                                         f"template '{t.id}' has text to fill in by hand, sent as written: {shown}",
                                         "write {{placeholders}} the runner fills (e.g. {{severity}}, {{summary}}, "
                                         "{{next_update}}), or declare an input and use {{inputs.NAME}}")
                    yield dataclasses.replace(finding, line=line, col=col)
                for written, name, offset in _foreign(text):
                    at = (*t.at, field)
                    line, col = place_offset(policy.source, at, text, offset)
                    finding = ctx.report(policy.source, at, f"template '{t.id}' uses {written}, a placeholder of another "
                                         "template syntax, sent as written", _instead(name))
                    yield dataclasses.replace(finding, line=line, col=col)
                for name, offset in placeholders.used(text):
                    if name in placeholders.KNOWN or placeholders.input_name(name):
                        continue
                    at = (*t.at, field)
                    line, col = place_offset(policy.source, at, text, offset)
                    message = f"template '{t.id}' uses {{{{{name}}}}}, which the runner cannot fill"
                    finding = ctx.report(policy.source, at, message)
                    yield dataclasses.replace(finding, line=line, col=col)
    for rb in ctx.runbooks:
        for step in steps_of(rb):
            template = rb.policy.template(step.template) if step.template and rb.policy else None
            if template is None:
                continue
            for name, _ in placeholders.used(template.subject + "\n" + template.body):
                wanted = placeholders.input_name(name)
                if wanted is None:
                    continue
                inp = rb.input(wanted)
                if inp is None or inp.secret:
                    why = "is a secret" if inp else "is not declared in this runbook"
                    yield ctx.report(rb.source, (*step.at, "template"),
                                     f"step '{step.id}' sends template '{template.id}', which uses {{{{{name}}}}}; "
                                     f"input '{wanted}' {why}",
                                     "declare the input (not secret), or use another template")


@rule("S410", "empty-step", Severity.WARNING, "A manual or checklist step gives the responder nothing to do.",
      "write the instruction out: what to do, where, and how to know it is done")
def empty_step(ctx: Context) -> Iterator[Finding]:
    """A manual step that says ``TBD`` or a checklist of ``[ ]`` placeholders looks like a plan on
    paper and is a blank page during an incident.

    Write the instruction: what to do, with which tool, and how to know it is done.
    """
    for rb in ctx.runbooks:
        for step in steps_of(rb):
            if step.kind == "manual" and _EMPTY.match(step.manual or ""):
                yield ctx.report(rb.source, (*step.at, "manual"), f"manual step '{step.id}' has no instruction")
            elif step.kind == "checklist":
                empty = [i for i, item in enumerate(step.checklist) if _EMPTY.match(item)]
                if len(empty) == len(step.checklist):
                    yield ctx.report(rb.source, (*step.at, "checklist"), f"checklist step '{step.id}' has no real item")
                    continue
                for i in empty:
                    yield ctx.report(rb.source, (*step.at, "checklist", i),
                                     f"checklist item {i + 1} of step '{step.id}' is empty")

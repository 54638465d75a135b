"""Metadata for the core rules: loader (Y), format (F) and reference (R) checks.

Lint rules describe themselves where they are defined (``validator.rules``); the rule registry
adds their metadata to this catalogue (``registry.all_rules()``), never the other way round, so
the core stays importable without the lint layer.
"""

from __future__ import annotations

from dataclasses import dataclass

from validator.findings import Severity


@dataclass(frozen=True)
class RuleInfo:
    """What a rule is called, how bad it is by default, and what it is about."""

    id: str
    name: str
    severity: Severity
    summary: str
    rationale: str = ""
    hint: str = ""
    doc: str = ""  # the full documentation (a lint rule's docstring); the rationale is its first paragraph


def _core(id: str, name: str, summary: str, rationale: str = "") -> RuleInfo:
    return RuleInfo(id, name, Severity.ERROR, summary, rationale)


CORE_RULES: dict[str, RuleInfo] = {r.id: r for r in (
    _core("Y000", "unreadable-file", "The file cannot be read."),
    _core("Y001", "yaml-syntax", "The file is not valid YAML (or holds more than one document)."),
    _core("Y002", "duplicate-key", "A key appears twice in one mapping.",
          "YAML keeps the last value silently, so the first one is lost without a word."),
    _core("Y003", "yaml11-boolean", "An unquoted yes/no/on/off, which YAML 1.1 tools read as a boolean.",
          "The same file means different things to different tools; quoting removes the doubt."),
    _core("Y004", "yaml11-sexagesimal", "An unquoted 1:30, which YAML 1.1 reads as the number 90."),
    _core("Y005", "yaml11-octal", "An unquoted number with a leading zero, octal in YAML 1.1."),
    _core("Y006", "not-utf8", "The file is not UTF-8 text."),
    _core("Y007", "file-too-large", "The file is over the size limit."),
    _core("Y008", "tab-indentation", "A tab is used for indentation."),
    _core("Y009", "too-deep", "The document nests deeper than the limit.", "Protects the parser from stack exhaustion."),
    _core("Y010", "alias-bomb", "Aliases expand to a huge or recursive structure.",
          "A few lines of anchors can expand to billions of nodes (billion laughs)."),
    _core("Y011", "not-a-mapping", "The file is empty or its top level is not a mapping."),
    _core("Y012", "binary-file", "The file contains binary data."),
    _core("Y013", "explicit-tag", "A value carries an explicit YAML tag (!!binary, !!set, !!int abc, !custom).",
          "A runbook is plain data; tags would make other YAML tools construct other types, or objects."),
    _core("Y014", "non-text-key", "A mapping key is not text."),
    _core("Y015", "more-findings", "A file has more findings than are listed; this one counts the rest.",
          "Past a hundred, more of the same only hides the first, which is the one to fix."),
    RuleInfo("Y016", "not-a-runbook", Severity.INFO,
             "A YAML file that is plainly not a runbook or policy (a rule file, a manifest, an inventory, CI or tool "
             "configuration): rule files are read for their alerts, the rest is skipped.",
             "Repositories keep other YAML next to their runbooks and a hook hands all of it over; only what looks "
             "like a runbook (its kind or its keys) is held to the runbook format."),
    _core("F001", "unknown-key", "A key the format does not define (usually a typo)."),
    _core("F002", "missing-key", "A required key is missing."),
    _core("F003", "bad-duration", "A duration is not written as 90s, 15m, 1h30m, 2d or PT15M."),
    _core("F004", "wrong-type", "A value has the wrong type."),
    _core("F005", "invalid-value", "A value is not allowed (not in the list, wrong pattern, empty)."),
    _core("F006", "step-kind", "A step must do exactly one of run, script, manual, checklist, notify, wait, decide or runbook."),
    _core("F007", "unsupported-document", "Unknown kind or unsupported version."),
    _core("F008", "bad-condition", "A `when:` condition cannot be parsed."),
    _core("F009", "bad-regex", "A regular expression (expect, capture or input pattern) does not compile.",
          "The runner would only find out in the middle of an incident."),
    _core("F010", "hidden-character",
          "A command, undo command, script path or argument, environment value or id holds a control character "
          "or a bidirectional override.",
          "A carriage return or an escape sequence can make a terminal show one command while another runs."),
    _core("R001", "unknown-severity", "The severity is not defined in the policy."),
    _core("R002", "unknown-contact", "A contact or role reference does not exist in the policy."),
    _core("R003", "unknown-template", "A communication template does not exist in the policy."),
    _core("R004", "duplicate-id", "An id is used twice where it must be unique."),
    _core("R005", "no-policy", "The runbook's policy cannot be found, or more than one applies."),
    _core("R006", "policy-has-errors",
          "The runbook's policy fails its own checks, so the runbook could not be checked against it.",
          "Reported once per runbook instead of a finding for every reference into the broken policy; "
          "everything that does not need the policy is still checked."),
    _core("R007", "unknown-step", "A goto (on failure, a decision's answer, `next:`) names a step that does not exist."),
    _core("R008", "unknown-runbook", "A related, called or drill runbook does not exist."),
    _core("R009", "step-condition",
          "A condition names a step that cannot have run yet, or a field or answer that step cannot have.",
          "The condition would be decided by an empty value: the step it guards would be skipped or run for no reason."),
    _core("R010", "runbook-cycle", "Runbooks run each other in a cycle (`runbook:` steps).",
          "The run would never end: each runbook starts the next one again."),
    _core("R011", "drill-reference", "A drill names a step, answer or input the runbook does not have."),
    _core("A001", "bad-alert-rules", "An alert rule file given with --alert-rules cannot be read as Prometheus rules."),
    _core("A101", "alert-without-runbook", "An alerting rule that no runbook answers.",
          "Whoever is paged by it at 3 a.m. has nothing to follow."),
    _core("A102", "runbook-url-unresolved", "An alert's runbook_url annotation points at no runbook.",
          "The link in the page leads nowhere, exactly when it is needed."),
    RuleInfo("A103", "unknown-alert", Severity.WARNING, "A runbook names an alert that no given rule file defines.",
             "A renamed or deleted alert leaves the runbook unreachable from its page."),
    RuleInfo("A104", "runbook-url-disagrees", Severity.WARNING,
             "An alert's runbook_url names another runbook than the one that lists the alert."),
)}


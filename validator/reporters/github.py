"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request.

Data and properties are escaped as the runner expects (``%``, CR and LF in data; also
``:`` and ``,`` in properties), so a message can never inject another command; a ``::`` or
``##[`` left in the data is broken by an invisible space, so nothing that shows the text again
as a log line can read a command in it either.  Each annotation spans the offending token
(``endLine``, ``endColumn``).  The runner shows only the first ten annotations of each level on
a pull request, so ``validate_runbook`` also writes every finding into the job summary
(:mod:`validator.reporters.job_summary`) when ``GITHUB_STEP_SUMMARY`` names one.
"""

from __future__ import annotations

from validator.findings import Severity
from validator.grouping import also
from validator.reporters.base import Report, defuse

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    return defuse(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report) -> str:
    lines = []
    for f in report.findings:
        props = [f"file={_prop(f.path)}"]
        if f.line:
            props += [f"line={f.line}", f"endLine={f.line}"]
            if f.col:
                props += [f"col={f.col}", f"endColumn={report.end_col(f)}"]
        props.append(f"title={_prop(f.rule + ' ' + report.rules[f.rule].name if f.rule in report.rules else f.rule)}")
        message = f.message + (f"\n{also(f)}" if f.also else "") + (f"\n{f.hint}" if f.hint else "")
        lines.append(f"::{_LEVEL[f.severity]} {','.join(props)}::{_data(message)}")
    lines += report.closing()
    return "".join(line + "\n" for line in lines)

"""Schema findings (F rules) in the author's terms, at the key or value the author must change.

Each case writes a real runbook (or policy) file whose first ten lines are valid, adds the
case's lines from line 11 on, and loads it with the real repository loader.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from validator.findings import Finding
from validator.repository import load_repository

HEAD = """\
version: 1
kind: runbook
id: db-down
title: Database down
service: api
steps:
  - id: first
    title: First step
    phase: triage
    run: "true"
"""  # the case's text starts on line 11

POLICY = """\
version: 1
kind: policy
id: pol
severities:
  - {id: P1, name: Critical, respond: 5m}
"""


def _load(tmp_path: Path, body: str, head: str = HEAD) -> list[Finding]:
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    path = tmp_path / "doc.yaml"
    lines = [line[8:] if line.startswith(" " * 8) else line for line in body.splitlines(keepends=True)]
    path.write_text(head + "".join(lines).rstrip(" "), encoding="utf-8")
    return [f for f in load_repository([path], root=tmp_path).findings if f.path.endswith("doc.yaml")]


# body (from line 11) -> [(rule, line, col, message, hint words)]
CASES: dict[str, tuple[str, list[tuple[str, int, int, str, str]]]] = {
    "unknown key with did-you-mean": ("""\
        sumary: The API is down
        """, [("F001", 11, 1, "unknown key 'sumary' in the document", "did you mean 'summary'?")]),
    "unknown step key at the key": ("""\
          - id: second
            run: "true"
            tiemout: 30s
        """, [("F001", 13, 5, "unknown key 'tiemout' in steps[1]", "did you mean 'timeout'?")]),
    "unknown key without a close match lists the allowed keys": ("""\
          - id: second
            run: "true"
            colour: red
        """, [("F001", 13, 5, "unknown key 'colour' in steps[1]", "allowed keys: args, capture, checklist")]),
    "two unknown keys, two findings": ("""\
          - {id: second, run: "true", retires: 1, undoo: x}
        """, [("F001", 11, 31, "unknown key 'retires' in steps[1]", "did you mean 'retries'?"),
              ("F001", 11, 43, "unknown key 'undoo' in steps[1]", "did you mean 'undo'?")]),
    "typo of a required key is one finding, not two": ("""\
          - idd: second
            run: "true"
        """, [("F001", 11, 5, "unknown key 'idd' in steps[1]", "did you mean 'id'?")]),
    "missing key": ("""\
          - run: "true"
        """, [("F002", 11, 5, "steps[1] is missing the required key 'id'", "")]),
    "bad duration": ("""\
          - {id: second, run: "true", timeout: 5 minutes}
        """, [("F003", 11, 40, "steps[1].timeout: '5 minutes' is not a duration", "write 90s, 15m, 1h30m, 2d")]),
    "duration without a unit": ("""\
          - {id: second, run: "true", timeout: 30}
        """, [("F003", 11, 40, "steps[1].timeout: 30 is not a duration", "durations need a unit")]),
    "wrong type, quoted number": ("""\
          - {id: second, run: "true", retries: "3"}
        """, [("F004", 11, 40, "steps[1].retries should be a whole number, not the text '3'", "remove the quotes")]),
    "wrong type, number for text": ("""\
          - {id: second, run: "true", title: 42}
        """, [("F004", 11, 38, "steps[1].title should be text, not the number 42", "quote the value")]),
    "wrong type, text for a list": ("""\
        tags: database
        """, [("F004", 11, 7, "tags should be a list, not the text 'database'", "write it as a list: [database]")]),
    "wrong type, boolean from yes is not possible so true": ("""\
          - {id: second, run: "true", confirm: "true"}
        """, [("F004", 11, 40, "steps[1].confirm should be true or false, not the text 'true'", "without quotes")]),
    "enum with did-you-mean": ("""\
          - {id: second, run: "true", risk: destructiv}
        """, [("F005", 11, 37, "steps[1].risk: 'destructiv' is not one of read-only, mutating, destructive",
               "did you mean 'destructive'?")]),
    "on_failure text typo": ("""\
          - {id: second, run: "true", on_failure: contnue}
        """, [("F005", 11, 43, "steps[1].on_failure: 'contnue' is not one of abort, continue, retry, rollback, ask",
               "did you mean 'continue'?")]),
    "on_failure mapping typo": ("""\
          - id: second
            run: "true"
            on_failure: {goto: first, maxx: 2}
        """, [("F001", 13, 31, "unknown key 'maxx' in steps[1].on_failure", "did you mean 'max'?")]),
    "on_failure mapping without goto": ("""\
          - id: second
            run: "true"
            on_failure: {go: first}
        """, [("F001", 13, 18, "unknown key 'go' in steps[1].on_failure", "did you mean 'goto'?")]),
    "on_failure wrong type": ("""\
          - id: second
            run: "true"
            on_failure: [abort]
        """, [("F004", 13, 17, "steps[1].on_failure should be text or a mapping, not a list", "What happens when")]),
    "wait duration typo": ("""\
          - id: pause
            wait: {duration: 5 min}
        """, [("F003", 12, 22, "steps[1].wait.duration: '5 min' is not a duration", "write 90s")]),
    "wait poll key typo": ("""\
          - id: pause
            wait: {until: "true", timeout: 5m, evry: 10s}
        """, [("F001", 12, 40, "unknown key 'evry' in steps[1].wait", "did you mean 'every'?")]),
    "wait poll missing timeout": ("""\
          - id: pause
            wait: {until: "true"}
        """, [("F002", 12, 5, "steps[1].wait is missing the required key 'timeout'", "")]),
    "detection mapping typo": ("""\
        detection:
          - Error rate alert
          - {signal: 5xx rate, sorce: grafana}
        """, [("F001", 13, 24, "unknown key 'sorce' in detection[1]", "did you mean 'source'?")]),
    "detection wrong type": ("""\
        detection: [42]
        """, [("F004", 11, 13, "detection[0] should be text or a mapping, not the number 42", "How the incident")]),
    "post-incident task typo": ("""\
        post_incident:
          - {task: Write the timeline, ownr: on-call}
        """, [("F001", 12, 32, "unknown key 'ownr' in post_incident[0]", "did you mean 'owner'?")]),
    "step with no kind": ("""\
          - id: second
            title: Does nothing
        """, [("F006", 11, 5, "steps[1] does nothing: a step needs one of run, script, manual, checklist, notify, wait",
               "add `run:`")]),
    "step with two kinds": ("""\
          - id: second
            run: "true"
            manual: Also do this by hand
        """, [("F006", 13, 5, "steps[1] has run and manual: a step does exactly one thing", "split it into two steps")]),
    "notify needs a template": ("""\
          - id: tell
            notify: [on-call]
        """, [("F002", 12, 5, "steps[1]: 'notify' needs 'template' too", "name the template")]),
    "args need a script": ("""\
          - id: second
            run: "true"
            args: [--force]
        """, [("F002", 13, 5, "steps[1]: 'args' needs 'script' too", "args go with `script:`")]),
    "empty list": ("""\
          - {id: second, checklist: []}
        """, [("F005", 11, 29, "steps[1].checklist is empty", "add at least one item")]),
    "bad id pattern": ("""\
          - {id: Second_Step, run: "true"}
        """, [("F005", 11, 10, "steps[1].id: 'Second_Step' has the wrong form", "lower-case letters")]),
    "out of range": ("""\
          - {id: second, run: "true", retries: 99}
        """, [("F005", 11, 40, "steps[1].retries: 99 is out of range; it must be at most 20", "")]),
    "repeated tag": ("""\
        tags: [db, api, db]
        """, [("F005", 11, 17, "tags lists 'db' twice", "remove the repeated item")]),
    "bad environment variable name at the name": ("""\
          - id: second
            run: "true"
            env:
              GOOD: x
              bad-var: y2
        """, [("F005", 15, 7, "steps[1].env: 'bad-var' is not a valid name", "names must match")]),
    "nested unknown key and out of range in expect": ("""\
          - {id: second, run: "true", expect: {exit_code: 300, outpt: x}}
        """, [("F005", 11, 51, "steps[1].expect.exit_code: 300 is out of range; it must be at most 255", ""),
              ("F001", 11, 56, "unknown key 'outpt' in steps[1].expect", "did you mean 'output'?")]),
    "verify step without kind": ("""\
        verify:
          - id: check-again
        """, [("F006", 12, 5, "verify[0] does nothing", "add `run:`")]),
    "targets on a manual step": ("""\
          - id: second
            manual: Look at each node's dashboard.
            targets: web
        """, [("F006", 13, 5, "steps[1] has targets: only a command (run:) or a script runs on hosts",
               "remove `targets:`")]),
    "capture on a targeted step": ("""\
          - id: second
            run: uptime
            targets: web
            capture: [{name: load}]
        """, [("F006", 14, 5, "steps[1] has targets and capture", "a step without targets")]),
    "serial without targets": ("""\
          - {id: second, run: "true", serial: 2}
        """, [("F002", 11, 31, "steps[1]: 'serial' needs 'targets' too", "")]),
    "a batch over 100 percent": ("""\
          - {id: second, run: "true", targets: web, serial: [1, "150%"]}
        """, [("F005", 11, 57, "steps[1].serial[1]: '150%' has the wrong form", "(100|[1-9][0-9]?)%")]),
    "huge values are clipped": ("""\
          - {id: second, run: "true", risk: """ + "x" * 5000 + """}
        """, [("F005", 11, 37, "steps[1].risk: '" + "x" * 39 + "…' is not one of", "one of: read-only")]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_schema_finding(tmp_path: Path, case: str) -> None:
    body, expected = CASES[case]
    found = _load(tmp_path, body)
    assert [(f.rule, f.line, f.col) for f in found] == [(r, line, col) for r, line, col, _, _ in expected], found
    for finding, (_, _, _, message, hint) in zip(found, expected, strict=True):
        assert message in finding.message
        assert hint in finding.hint
        assert len(finding.message) < 200


def test_version_and_kind(tmp_path: Path) -> None:
    found = _load(tmp_path, "", head=HEAD.replace("version: 1", "version: 2"))
    assert [(f.rule, f.line, f.col, f.message) for f in found] == [
        ("F007", 1, 10, "version is 2; this tool reads version 1")]
    found = _load(tmp_path, "", head=HEAD.replace("kind: runbook", "kind: playbook"))
    assert [(f.rule, f.line, f.col) for f in found] == [("F007", 2, 7)]
    assert "kind is 'playbook'; a document is a runbook or a policy" in found[0].message


def test_policy_document_is_checked_against_the_policy_schema(tmp_path: Path) -> None:
    found = _load(tmp_path, "  - {id: P2, name: High, respond: soon}\ncontacts:\n  - {id: ana, nme: Ana}\n", head=POLICY)
    assert [(f.rule, f.line, f.col, f.message) for f in found] == [
        ("F003", 6, 35, "severities[1].respond: 'soon' is not a duration"),
        ("F001", 8, 15, "unknown key 'nme' in contacts[0]"),
    ]


def test_missing_top_level_keys_point_at_the_document(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    path = tmp_path / "doc.yaml"
    path.write_text("version: 1\nkind: runbook\nid: x\n", encoding="utf-8")
    found = load_repository([path], root=tmp_path).findings
    assert [(f.rule, f.line, f.col, f.message) for f in found] == [
        ("F002", 1, 1, f"the document is missing the required key '{key}'") for key in ("service", "steps", "title")]

"""Values never run as code: every quoting context a runbook author may write, times every
payload an attacker may put in an input or a log line a step captures from, run through a
real bash.  A marker file is what a payload tries to create; none may ever appear.

Where bash evaluates a value (arithmetic, variable names) the runner refuses non-conforming
values instead of running the command; the test accepts either outcome, never a marker.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.runner.conftest import RUNBOOKS, Run, events, journal_files, only_journal
from validator.runner.quoting import Values, fill_shell

# The 24 contexts of the review, and more that re-read text the same ways.
CONTEXTS = {
    "plain": "echo ${v}",
    "double quotes": 'echo "${v}"',
    "single quotes": "echo '${v}'",
    "inside double": 'echo "pre ${v} post"',
    "inside single": "echo 'pre ${v} post'",
    "ansi-c quotes": "echo $'pre ${v} post'",
    "assignment": 'x=${v}; echo "$x"',
    "heredoc": "cat <<EOF\nbody ${v} end\nEOF",
    "heredoc, quoted delimiter": "cat <<'EOF'\nbody ${v} $HOME `x` \\n end\nEOF",
    "heredoc, tab-stripped": "cat <<-EOF\n\tbody ${v}\n\tEOF",
    "two heredocs": "cat <<A; cat <<'B'\n${v}\nA\n${v}\nB",
    "heredoc to bash": "bash <<EOF\necho ${v}\nEOF",
    "arithmetic expansion": "echo $(( ${v} + 1 ))",
    "echo into arithmetic": "echo $(( $(echo ${v}) + 1 ))",
    "printf into [[ -gt ]]": '[[ "$(printf %s "${v}")" -gt 1 ]] && echo more',
    "count into [[ -gt ]]": '[[ $(printf %s "${v}" | wc -c) -gt 1 ]] && echo more',
    "arithmetic command": "(( x = ${v} )); echo $x",
    "legacy arithmetic": "echo $[ ${v} ]",
    "arithmetic for": "for ((i = 0; i < ${v}; i++)); do :; done",
    "[[ -eq ]]": "[[ ${v} -eq 1 ]] && echo one",
    "[[ quoted -gt ]]": '[[ "${v}" -gt 1 ]] && echo more',
    "[[ == and -lt ]]": '[[ "${v}" == x || 1 -lt ${v} ]] && echo yes',
    "[[ -v ]]": "[[ -v ${v} ]] && echo set",
    "let": "let x=${v}; echo $x",
    "declare -i": "declare -i n=${v}; echo $n",
    "integer variable assigned later": "declare -i n; n=${v}; echo $n",
    "array subscript read": 'arr=(a b c); echo "${arr[${v}]}"',
    "array subscript write": "arr[${v}]=x; echo ok",
    "assoc subscript": 'declare -A h; h[${v}]=1; echo "${h[${v}]}"',
    "substring offset": 's=abcdef; echo "${s:${v}:2}"',
    "default value, quoted": 'echo "${X:-${v}}"',
    "default value, unquoted": "echo ${X:-${v}}",
    "nested default": 'echo "${X:-${Y:-${v}}}"',
    "command substitution": "echo $(echo ${v})",
    "quoted command substitution": 'echo "$(echo "${v}")"',
    "backticks": "echo `echo ${v}`",
    "backticks in double quotes": 'echo "`echo "${v}"`"',
    "bash -c double": 'bash -c "echo ${v}"',
    "bash -c single": "bash -c 'echo ${v}'",
    "sh -c": 'sh -c "echo ${v}"',
    "sudo-style wrapper": 'timeout 5 bash -lc "echo ${v}"',
    "eval quoted": 'eval "echo ${v}"',
    "eval bare": "eval echo ${v}",
    "command substitution in bash -c": 'bash -c "echo $(printf %s ${v})"',
    "pipe into a shell": 'echo "echo ${v}" | bash',
    "herestring to a shell": 'bash <<< "echo ${v}"',
    "remote shell": 'ssh() { shift; bash -c "$*"; }; ssh ops@db1 echo ${v}',
    "remote shell, quoted": "ssh() { shift; bash -c \"$*\"; }; ssh -p 22 db1 'echo ${v}'",
    "xargs sh -c": 'echo a | xargs -I{} sh -c "echo {} ${v}"',
    "trap": 'trap "echo ${v}" EXIT',
    "printf -v": "printf -v ${v} %s x",
    "read": "read ${v} <<< x",
    "declare name": "declare ${v}=1",
    "case": "case ${v} in x) echo x ;; esac",
    "test": '[ "${v}" = x ] && echo x',
    "redirect": "echo hi > /dev/null${v}",
}

PAYLOADS = [
    "$(touch {m})", "`touch {m}`", "; touch {m}", "x\ntouch {m}", "' ; touch {m} ; '", '" ; touch {m} ; "',
    "a[$(touch {m})]", "arr[`touch {m}`]", "RUNBOOK_INPUT_w", "x[RUNBOOK_INPUT_w]", "\\\"; touch {m}; \\\"",
    "EOF\ntouch {m}\nEOF", "EOF", "B\ntouch {m}", ")); touch {m}; ((", "]]; touch {m}; [[", "}}; touch {m}; {{",
    "$((`touch {m}`))", "\ttouch {m}", "1; touch {m}", "1)); touch {m}; ((1", "$'\\x27'; touch {m}",
    "x' \"$(touch {m})\" '", "\\\ntouch {m}", "${{IFS}}touch${{IFS}}{m}", "$(touch {m})'\"`touch {m}`",
    "0 && touch {m}", "-v x; touch {m}", "1 ]] || touch {m} || [[ 1",
]


def _values(value: str) -> Values:
    return Values({"v": value}.get, lambda n: f"RUNBOOK_INPUT_{n}", lambda n: False)


@pytest.mark.parametrize("context", list(CONTEXTS))
def test_no_payload_runs_in_any_context(tmp_path: Path, context: str) -> None:
    marker = tmp_path / "PWNED"
    for raw in PAYLOADS:
        payload = raw.format(m=marker)
        filled = fill_shell(CONTEXTS[context], _values(payload))
        assert payload not in filled.text or len(payload) < 4, filled.text  # the value is not in the code
        if filled.problems:  # refused: bash would have evaluated it
            continue
        env = {**os.environ, **filled.env, "RUNBOOK_INPUT_w": f"a[$(touch {marker})]"}
        subprocess.run(["bash", "-c", filled.text], cwd=tmp_path, env=env, capture_output=True, timeout=20, check=False)
        assert not marker.exists(), f"{context}: {payload!r} ran code through {filled.text!r}"


@pytest.mark.parametrize(("context", "value", "output"), [
    ("plain", "a  b", "a  b\n"), ("double quotes", "it's $HOME", "it's $HOME\n"), ("single quotes", "a'b", "a'b\n"),
    ("heredoc", "x $(y) `z`", "body x $(y) `z` end\n"),
    ("heredoc, quoted delimiter", "v$1", "body v$1 $HOME `x` \\n end\n"),
    ("arithmetic expansion", "41", "42\n"), ("[[ -eq ]]", "1", "one\n"), ("let", "7", "7\n"),
    ("array subscript read", "2", "c\n"), ("substring offset", "2", "cd\n"), ("default value, quoted", "d e", "d e\n"),
    ("bash -c double", "a'b $(c)", "a'b $(c)\n"), ("bash -c single", "x;y", "x;y\n"), ("eval bare", "$(x)", "$(x)\n"),
    ("remote shell", "a b;c", "a b;c\n"), ("pipe into a shell", "`x`", "`x`\n"), ("heredoc to bash", "'q'", "'q'\n"),
    ("assoc subscript", "k ey", "1\n"), ("count into [[ -gt ]]", "a[$(b)]", "more\n"),
    ("command substitution in bash -c", "$(z)", "$(z)\n"),
])
def test_values_arrive_as_written(tmp_path: Path, context: str, value: str, output: str) -> None:
    """Safety does not cost correctness: each context receives the value exactly as given."""
    filled = fill_shell(CONTEXTS[context], _values(value))
    assert not filled.problems
    done = subprocess.run(["bash", "-c", filled.text], cwd=tmp_path, env={**os.environ, **filled.env},
                          capture_output=True, text=True, timeout=20, check=False)
    assert done.stdout == output, (filled.text, done.stderr)


@pytest.mark.parametrize("context", ["arithmetic expansion", "let", "[[ -eq ]]", "array subscript write",
                                     "declare -i", "substring offset", "integer variable assigned later"])
def test_a_value_bash_evaluates_must_be_a_number(context: str) -> None:
    assert fill_shell(CONTEXTS[context], _values("12")).problems == []
    problems = fill_shell(CONTEXTS[context], _values("a[1]")).problems
    assert problems and "is not a whole number; the command was not run" in problems[0]


@pytest.mark.parametrize("context", ["[[ -v ]]", "printf -v", "read", "declare name"])
def test_a_value_used_as_a_variable_name_must_be_a_name(context: str) -> None:
    assert fill_shell(CONTEXTS[context], _values("some_name")).problems == []
    assert "is not a plain variable name" in fill_shell(CONTEXTS[context], _values("a[$(x)]")).problems[0]


def test_shown_command_has_the_values_and_masks_secrets() -> None:
    secret = Values({"v": "a'b", "t": "hunter'2"}.get, lambda n: f"RUNBOOK_INPUT_{n}", lambda n: n == "t")
    filled = fill_shell('curl -H "X: ${t}" "https://h/${v}" ${t}', secret)
    assert filled.shown == "curl -H \"X: [REDACTED]\" \"https://h/\"'a'\"'\"'b'\"\" [REDACTED]"
    assert "hunter" not in filled.shown and "hunter" not in filled.text


# -- the real runner, end to end --------------------------------------------------------------
@pytest.mark.pty
def test_an_input_never_runs_as_code_in_a_real_run(work: Path) -> None:
    marker = work / "PWNED"
    for payload in ("$(touch {m})", "a[$(touch {m})]", "EOF\ntouch {m}\nEOF"):
        run = Run(["run", str(RUNBOOKS / "injection.yaml"), "--yes", "-i", f"req={payload.format(m=marker)}",
                   "-i", "lines=3"], work)
        code = run.finish()
        assert not marker.exists(), run.screen
        assert code == 0, run.screen
    for path in journal_files(work):
        commands = [e for e in events(path) if e["type"] == "command"]
        assert len(commands) == 6 and all(e["ok"] for e in commands)
        assert all("RUNBOOK_INPUT" not in e["command"] for e in commands)  # the journal shows the values


@pytest.mark.pty
def test_a_number_input_in_arithmetic_is_checked_before_anything_runs(work: Path) -> None:
    marker = work / "PWNED"
    run = Run(["run", str(RUNBOOKS / "injection-arith.yaml"), "--yes", "--force", "-i", "req=x", "-i",
               f"lines=a[$(touch {marker})]"], work)
    assert run.finish() == 1
    assert not marker.exists()
    assert "stands where bash evaluates its value ($(( ))), and the value is not a whole number" in run.screen
    _, evts = only_journal(work)
    failed = [e for e in evts if e["type"] == "command" and not e["ok"]]
    assert failed[0]["step"] == "count" and "exit_code" not in failed[0]


@pytest.mark.pty
def test_a_captured_log_line_never_runs_as_code(work: Path) -> None:
    """Nobody types anything: a step captures a request id from a log an attacker wrote to."""
    marker = work / "PWNED"
    log = work / "app.log"
    log.write_text(f"GET /x request_id=$(touch${{IFS}}{marker})\nPOST /y request_id=a[$(touch${{IFS}}{marker})]\n")
    run = Run(["run", str(RUNBOOKS / "injection-capture.yaml"), "--yes", "-i", f"log={log}"], work)
    assert run.finish() == 0, run.screen
    assert not marker.exists()
    assert f"Captured request = $(touch${{IFS}}{marker})" in run.screen


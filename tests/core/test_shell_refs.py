"""Where a ``${name}`` stands as bash reads it: quoting, evaluating places, re-read text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from validator.shell_refs import analyze, may_evaluate

EXAMPLES = [
    ("echo ${v}", [("v", "", None, False)]),
    ('echo "a ${v}"', [("v", '"', None, False)]),
    ("echo 'a ${v}'", [("v", "'", None, False)]),
    ("cat <<EOF\nx ${v}\nEOF\necho ${w}", [("v", "H", None, False), ("w", "", None, False)]),
    ("cat <<'EOF'\nx ${v}\nEOF", [("v", "Hq", None, False)]),
    ("echo $(( ${v} + 1 ))", [("v", "", "number", False)]),
    ("for ((i = 0; i < ${v}; i++)); do :; done", [("v", "", "number", False)]),
    ("[[ ${a} == x && ${b} -gt 2 ]]", [("a", "", None, False), ("b", "", "number", False)]),
    ("[[ $(wc -l < ${f}) -gt 2 ]]", [("f", "", None, False)]),  # the value is wc's argument, not its output
    ("[[ $(echo ${f}) -gt 2 ]]", [("f", "", "number", False)]),  # echo prints it into the test
    ("[[ $(echo ${f} | wc -c) -gt 2 ]]", [("f", "", None, False)]),
    ("[[ $(echo ${f} | tail -n 1) -gt 2 ]]", [("f", "", "number", False)]),
    ("let x=${v}", [("v", "", "number", False)]),
    ("declare -i n; n=${v}", [("v", "", "number", False)]),
    ('echo "${arr[${v}]}"', [("v", "", "number", False)]),
    ("declare -A h; h[${k}]=1", [("k", "", None, False)]),
    ('echo "${s:${v}:2}" "${X:-${w}}"', [("v", '"', "number", False), ("w", '"', None, False)]),
    ("printf -v ${v} %s x; read -p '${p}' ${n}", [("v", "", "name", False), ("p", "'", None, False),
                                                  ("n", "", "name", False)]),
    ('bash -c "echo ${v}"', [("v", '"', None, True)]),
    ("sudo -u app bash -lc 'echo ${v}'", [("v", "'", None, True)]),
    ("ssh -p ${port} db1 systemctl status ${unit}", [("port", "", None, False), ("unit", "", None, True)]),
    ("eval echo ${v}; grep eval ${f}", [("v", "", None, True), ("f", "", None, False)]),
    ("cat <<EOF | bash\necho ${v}\nEOF", [("v", "H", None, True)]),
    ("# ${c}\necho ${v}", [("v", "", None, False)]),
    ("test -v ${v} && echo set", [("v", "", "name", False)]),
    ("echo ${HOME:${n}}", [("n", "", "number", False)]),
]


@pytest.mark.parametrize(("command", "expected"), EXAMPLES)
def test_each_reference_is_placed(command: str, expected: list[tuple[str, str, str | None, bool]]) -> None:
    assert [(r.name, r.quote, r.shape, r.reparse) for r in analyze(command).refs] == expected


def test_here_document_bodies_are_found() -> None:
    docs = analyze("cat <<-A; cat <<'B'\n\tone ${v}\n\tA\ntwo\nB\necho done").heredocs
    assert [(d.delimiter, d.quoted) for d in docs] == [("A", False), ("B", True)]
    text = "cat <<-A; cat <<'B'\n\tone ${v}\n\tA\ntwo\nB\necho done"
    assert [text[d.body_start:d.body_end] for d in docs] == ["\tone ${v}\n", "two\n"]


_PIECES = ["echo ", "${v}", "${w}", " ", "\"", "'", "$(", ")", "((", "))", "$((", "[", "]", "[[", "]]", " -eq ",
           " -v ", "let ", "declare -i n; ", "read ", "printf ", "${s:", ":2}", "${X:-", "}", "arr", "=", ";", "\n",
           "|", "cat <<EOF\n", "EOF\n", "bash -c ", "`", "{", "#", "\\", "local ", "mapfile ", "test ", "x", "1"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=14))
def test_the_prefilter_never_skips_an_evaluated_reference(pieces: list[str]) -> None:
    """S415 skips the lexer when :func:`may_evaluate` says no; the lexer must then find no
    evaluated reference either, whatever the command."""
    command = "".join(pieces)
    if not may_evaluate(command):
        assert all(r.shape is None for r in analyze(command).refs), command


def test_the_prefilter_lets_every_evaluating_example_through() -> None:
    evaluating = [command for command, expected in EXAMPLES if any(shape for _, _, shape, _ in expected)]
    assert len(evaluating) >= 10
    assert [c for c in evaluating if not may_evaluate(c)] == []
    assert not may_evaluate("curl -fsS https://${host}:8443/healthz | grep -c ok")  # the common case skips the lexer

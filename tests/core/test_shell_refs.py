"""Where a ``${name}`` stands as bash reads it: quoting, evaluating places, re-read text."""

from __future__ import annotations

import pytest

from validator.shell_refs import analyze


@pytest.mark.parametrize(("command", "expected"), [
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
])
def test_each_reference_is_placed(command: str, expected: list[tuple[str, str, str | None, bool]]) -> None:
    assert [(r.name, r.quote, r.shape, r.reparse) for r in analyze(command).refs] == expected


def test_here_document_bodies_are_found() -> None:
    docs = analyze("cat <<-A; cat <<'B'\n\tone ${v}\n\tA\ntwo\nB\necho done").heredocs
    assert [(d.delimiter, d.quoted) for d in docs] == [("A", False), ("B", True)]
    text = "cat <<-A; cat <<'B'\n\tone ${v}\n\tA\ntwo\nB\necho done"
    assert [text[d.body_start:d.body_end] for d in docs] == ["\tone ${v}\n", "two\n"]

"""P308 hands ShellCheck each ``${input}`` as a variable quoted the way the runner quotes it; which
quotes an input sits in must be read through command substitutions too."""

from __future__ import annotations

import pytest

from validator.rules.shellcheck import _in_double_quotes


@pytest.mark.parametrize(("command", "inside"), [
    ('case "${environment}-${cluster}" in', {"${environment}": True, "${cluster}": True}),
    ("echo ${a} '${b}'", {"${a}": None, "${b}": False}),
    ('test "$(grep -F "${ip}" log | wc -l)" -eq 0', {"${ip}": True}),  # quoted inside $( ) inside quotes
    ("echo \"$(cat ${file})\"", {"${file}": None}),  # bare inside $( ): the substitution has its own quoting
    ('echo "$((1 + 2))" ${n}', {"${n}": None}),
])
def test_quoting_context_of_each_input(command: str, inside: dict[str, bool | None]) -> None:
    found = _in_double_quotes(command)
    for name, double in inside.items():
        at = command.index(name)
        state = True if at in found else False if -1 - at in found else None
        assert state is double, (command, name)

"""The shell tokenizer: which words are commands, what each receives, and where they are."""

from __future__ import annotations

import pytest

from validator import shell


def programs(text: str) -> list[str]:
    return [c.program for c in shell.parse(text)]


def argv(text: str) -> list[list[str]]:
    return [[w.value for w in c.words] for c in shell.parse(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("kubectl get pods | grep -v Running && echo done; date", ["kubectl", "grep", "echo", "date"]),
    ("a || b & c\nd", ["a", "b", "c", "d"]),
    ("(cd /srv && ls)", ["cd", "ls"]),
    ("x=$(hostname) y=2 env", ["hostname", "env"]),
    ("echo \"up since $(uptime -s)\"", ["uptime", "echo"]),
    ("echo `whoami`", ["whoami", "echo"]),
    ("diff <(sort a) <(sort b)", ["sort", "sort", "diff"]),
    ("if grep -q x f; then systemctl reload nginx; elif true; then :; else exit 1; fi",
     ["grep", "systemctl", "true", ":", "exit"]),
    ("for host in db-1 db-2; do ssh \"$host\" uptime; done", ["ssh"]),
    ("while read -r line; do echo \"$line\"; done < hosts.txt", ["read", "echo"]),
    ("case \"$1\" in\n  start|go) run-it ;;\n  *) usage ;;\nesac\nnext", ["run-it", "usage", "next"]),
    ("# rm -rf /\nls # reboot", ["ls"]),
    ("echo 'a; rm -rf /' \"b && reboot\"", ["echo"]),
    ("ls \\\n  -la /srv", ["ls"]),
    ("/usr/local/bin/kubectl version", ["kubectl"]),
    ("! grep -q ERROR log.txt", ["grep"]),
    ("(( n > 3 )) && echo many", ["echo"]),
])
def test_commands_in_command_position(text: str, expected: list[str]) -> None:
    assert programs(text) == expected


def test_quotes_escapes_and_redirections() -> None:
    assert argv("grep -c \"DROP TABLE\" /var/log/app.log 2>/dev/null >o") == [["grep", "-c", "DROP TABLE", "/var/log/app.log"]]
    assert argv("echo a\\ b 'c d'\"e\" >>log 2>&1") == [["echo", "a b", "c de"]]
    assert argv("cmd &>/dev/null --flag") == [["cmd", "--flag"]]


def test_here_documents_and_here_strings_are_standard_input() -> None:
    (cmd, after) = shell.parse("psql orders <<'SQL'\nDELETE FROM jobs;\nSQL\nuptime")
    assert cmd.program == "psql" and cmd.stdin is not None and cmd.stdin.value == "DELETE FROM jobs;\n"
    assert after.program == "uptime"
    (cmd,) = shell.parse("redis-cli <<< 'FLUSHALL'")
    assert cmd.stdin is not None and cmd.stdin.value == "FLUSHALL"
    (_echo, psql) = shell.parse("echo 'DROP TABLE x' | psql")
    assert psql.piped and psql.stdin is not None and psql.stdin.value == "DROP TABLE x"


def test_offsets_point_into_the_text() -> None:
    text = "echo hi; sudo systemctl stop 'nginx'"
    _echo, sudo = shell.parse(text)
    assert text[sudo.words[1].start:sudo.words[1].end] == "systemctl"
    assert text[sudo.words[3].start:sudo.words[3].end] == "'nginx'"
    assert shell.offset(sudo.words[3], 0) == text.index("nginx")
    assert shell.script("ls # note").comments == ((3, 9),)


@pytest.mark.parametrize("text", ["echo 'unclosed", "$(", "cat <<EOF\nno end", "case x in", "a |", ")))", "`", "${x"])
def test_broken_shell_never_raises(text: str) -> None:
    shell.parse(text)

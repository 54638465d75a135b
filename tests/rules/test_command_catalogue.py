"""Every entry of ``validator/command_catalogue.yaml`` both ways: its ``flagged`` examples are found
when run, and are not when they are only text (an ``echo`` string, a ``grep`` pattern); its
``quiet`` examples are not found at all."""

from __future__ import annotations

import shlex
from collections.abc import Callable

import pytest

from validator import commands
from validator.command_catalogue import Entry, Statement, load

CATALOGUE = load()
FIND: dict[str, Callable[[str], tuple[commands.Danger, ...]]] = {
    "destructive": commands.destructive, "mutating": commands.mutating, "endless": commands.endless,
    "sql": commands.destructive, "mongo": commands.destructive, "sql_mutating": commands.mutating,
}
ENTRIES: list[Entry | Statement] = [e for rows in CATALOGUE.entries.values() for e in rows]
ENTRIES += [s for rows in CATALOGUE.statements.values() for s in rows]
FLAGGED = [pytest.param(e, text, id=f"{e.table}:{e.what}:{text[:40]}") for e in ENTRIES for text in e.flagged]
QUIET = [pytest.param(e, text, id=f"{e.table}:{e.what}:{text[:40]}") for e in ENTRIES for text in e.quiet]


def test_every_entry_has_an_example_that_it_flags() -> None:
    assert [(e.table, e.what) for e in ENTRIES if not e.flagged] == []


@pytest.mark.parametrize(("entry", "text"), FLAGGED)
def test_flagged_when_run(entry: Entry | Statement, text: str) -> None:
    assert entry.what in [d.what for d in FIND[entry.table](text)]


@pytest.mark.parametrize(("entry", "text"), FLAGGED)
def test_quiet_when_only_shown_or_searched_for(entry: Entry | Statement, text: str) -> None:
    find = FIND[entry.table]
    assert find(f"echo {shlex.quote(text)}") == ()
    appended = find(f"echo \"Next: {text.replace(chr(34), chr(39))}\" >> handover.md")
    assert [d.what for d in appended if d.what != "file write"] == []  # appending to a file is a change of its own
    assert find(f"grep -c -- {shlex.quote(text)} /var/log/app.log") == ()
    assert find(f"# {text.replace(chr(10), ' ')}\nuptime") == ()


@pytest.mark.parametrize(("entry", "text"), QUIET)
def test_quiet_examples_are_not_flagged(entry: Entry | Statement, text: str) -> None:
    assert [d.what for d in FIND[entry.table](text) if d.what == entry.what] == []
    if entry.table in ("destructive", "sql", "mongo"):
        assert commands.destructive(text) == ()


@pytest.mark.parametrize(("text", "what"), [
    ("sudo -u postgres psql orders -c 'DROP TABLE tmp'", "DROP TABLE/DATABASE"),
    ("env KUBECONFIG=/etc/k.conf timeout 60 kubectl delete pod api-0", "kubectl delete/drain"),
    ("nohup sh -c 'sleep 5 && systemctl stop nginx' &", "service stop"),
    ("ssh -i ~/.ssh/ops db-2 'sudo rm -rf /var/lib/postgresql/14/main'", "rm -r"),
    ("kubectl exec -n data pg-0 -- psql -c 'TRUNCATE audit_log'", "TRUNCATE"),
    ("docker exec -it redis-1 redis-cli FLUSHALL", "FLUSHALL/FLUSHDB"),
    ("find /srv/uploads -name '*.tmp' -exec rm -rf {} \\;", "rm -r"),
    ("for pod in $(kubectl get pods -o name | grep stuck); do kubectl delete \"$pod\"; done", "kubectl delete/drain"),
    ("if [ \"$confirm\" = yes ]; then\n  dropdb orders_copy\nfi", "dropdb"),
    ("case \"$target\" in\n  cache) redis-cli FLUSHDB ;;\n  *) echo nothing ;;\nesac", "FLUSHALL/FLUSHDB"),
    ("echo \"cleared: $(rm -rf /var/cache/app)\"", "rm -r"),
    ("psql orders <<-'SQL'\n\tDELETE FROM jobs;\n\tSQL\n", "DELETE FROM without WHERE"),
    ("cat <<EOF | psql orders\nDROP TABLE staging;\nEOF\n", "DROP TABLE/DATABASE"),
    ("mysql -e \"$(cat cleanup.sql)\" && rm -r /tmp/import", "rm -r"),
    ("/usr/local/bin/kubectl --context prod -n web delete deploy/old", "kubectl delete/drain"),
    ("gcloud compute ssh bastion --command='sudo reboot'", "shutdown"),
])
def test_commands_behind_wrappers_and_in_compound_commands(text: str, what: str) -> None:
    assert what in [d.what for d in commands.destructive(text)]


@pytest.mark.parametrize("text", [
    "echo \"Run: gcloud compute disks delete my-disk\"",
    "grep -c \"DROP TABLE\" /var/log/app.log",
    "echo 'next: kubectl delete pod web-1'",
    "printf '%s\\n' 'then: terraform destroy' | tee -a notes.txt",
    "cat <<EOF\nIf this fails, run: sudo systemctl stop nginx\nEOF\n",
    "kubectl get events | grep -i 'delete'",
    "logger -t runbook 'about to rm -rf the cache'",
    "psql -c \"SELECT count(*) FROM audit WHERE action = 'DROP TABLE'\"",
    "curl -X DELETE https://api.internal/cache/key",
    "git log --oneline | grep 'reset --hard'",
    "jq '.items[] | select(.status == \"terminate-pending\")' state.json",
])
def test_text_that_only_mentions_a_destructive_command(text: str) -> None:
    assert commands.destructive(text) == ()


def test_the_finding_points_at_the_command_or_the_statement() -> None:
    text = "echo start; sudo systemctl stop nginx"
    assert [d.start for d in commands.destructive(text)] == [text.index("systemctl")]
    text = "psql orders -c \"DELETE FROM pending\""
    assert [d.start for d in commands.destructive(text)] == [text.index("DELETE")]

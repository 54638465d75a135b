"""The clock and the screen at 3 a.m., in a real 80x24 terminal with colour: start times as a
tired person types them, a status line that fits and shouts when a target is missed, whom to
page, words kept whole, risk first, long output cut to its tail, and waits that do not spam."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pexpect
import pytest

from tests.runner.conftest import RUNBOOK, RUNBOOKS, TIMEOUT, env, only_journal
from validator.runner.journal import parse_time

pytestmark = pytest.mark.pty
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
RED_BOLD = "\x1b[31m\x1b[1m"


def run80(args: list[str], cwd: Path, colour: bool = True) -> tuple[int, str]:
    """The runner in an 80x24 terminal (no COLUMNS override); its whole raw screen."""
    environ = env()
    environ.pop("COLUMNS", None)
    if colour:
        environ.pop("NO_COLOR", None)
    log = io.StringIO()
    child = pexpect.spawn(RUNBOOK, args, cwd=str(cwd), env=environ, encoding="utf-8", timeout=TIMEOUT, dimensions=(24, 80))
    child.logfile_read = log
    child.expect(pexpect.EOF)
    child.close()
    return int(child.exitstatus if child.exitstatus is not None else 1), log.getvalue()


def plain(raw: str) -> list[str]:
    return [ANSI.sub("", line).split("\r")[-1] for line in raw.replace("\r\n", "\n").split("\n")]


def test_started_at_takes_a_clock_time_an_offset_or_iso_and_refuses_nonsense(work: Path) -> None:
    clean = str(RUNBOOKS / "clean.yaml")
    before = datetime.now(UTC)
    code, _ = run80(["run", clean, "--yes", "--ack-manual", "-i", "host=web1", "-i", f"workdir={work}",
                     "--started-at", "20m ago", "--paged-at", "15m ago"], work)
    assert code == 0
    path, evts = only_journal(work)
    started, paged = parse_time(evts[0]["started_at"]), parse_time(evts[0]["paged_at"])
    assert timedelta(minutes=19) < before - started < timedelta(minutes=21)
    assert timedelta(minutes=4) < paged - started < timedelta(minutes=6)
    table = subprocess.run([RUNBOOK, "timeline", str(path)], env=env(), capture_output=True, text=True, timeout=60).stdout
    assert f"| Paged | {evts[0]['paged_at']} |" in table
    path.unlink()

    local = (datetime.now().astimezone() - timedelta(minutes=30)).strftime("%H:%M")
    code, _ = run80(["run", clean, "--yes", "--ack-manual", "-i", "host=web1", "-i", f"workdir={work}",
                     "--started-at", local], work)
    assert code == 0
    _, evts = only_journal(work)
    ago = datetime.now(UTC) - parse_time(evts[0]["started_at"])
    assert timedelta(minutes=29) < ago < timedelta(minutes=32)  # today's 02:10, or last night's when typed after midnight

    for given, said in (("3000-01-01T00:00:00Z", "is in the future"), ("2001-01-01T00:00Z", "is more than 7 days ago"),
                        ("yesterday-ish", "write a time such as 02:10, '20m ago' or 2024-05-01T03:12:00Z"),
                        ("25:99", "is not a time of day"), ("5x ago", "'5x' is not a duration")):
        done = subprocess.run([RUNBOOK, "run", clean, "--dry-run", "--started-at", given], cwd=work, env=env(),
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 2 and said in done.stderr and "Traceback" not in done.stderr, (given, done.stderr)


def test_the_screen_fits_80_columns_and_says_what_is_wrong_in_words_and_colour(work: Path) -> None:
    code, raw = run80(["run", str(RUNBOOKS / "screen.yaml"), "--yes", "--started-at", "40m ago",
                       "-i", f"workdir={work}"], work)
    assert code == 1  # stops at the destructive step: never unattended
    lines = plain(raw)
    assert [line for line in lines if len(line) > 80 and "$ " not in line] == []
    text = " ".join(" ".join(lines).split())

    status = next(line for line in lines if line.startswith("P1 | elapsed 40m"))
    assert status == "P1 | elapsed 40m | respond MISSED 35m ago | 20m to resolve | update OVERDUE 10m"
    assert f"{RED_BOLD}respond MISSED 35m ago" in raw and f"{RED_BOLD}update OVERDUE 10m" in raw

    assert "** ESCALATION DUE: Commander (after 10m). ** page Incident commander: Ana Lima (@ana, " \
           "ana.lima@example.com, pagerduty:PANA001)" in text

    card = lines[lines.index("Step 1/5  read-log  Read the end of the service log"):]
    assert card[1:4] == ["risk: read-only", "owner: On-call engineer ([o] for contacts)  within: 15m",
                         "PAST ITS TARGET: due within 15m of the start, OVERDUE by 25m"]
    assert f"{RED_BOLD}PAST ITS TARGET" in raw
    words = set(" ".join(lines).split())
    assert {"restarting", "database", "evidence."} <= words  # wrapped between words, never inside one

    assert "  ... 180 more lines (200 in all; the journal keeps them) ..." in lines
    shown = [line for line in card[: next(i for i, x in enumerate(card) if x.startswith("[read-log]"))] if line.isdigit()]
    assert shown == [str(n) for n in [*range(1, 13), *range(193, 201)]]
    _, evts = only_journal(work)
    read = next(e for e in evts if e["type"] == "command" and e["step"] == "read-log")
    assert read["output"] == "".join(f"{n}\n" for n in range(1, 201))

    assert "Not retrying: command not found (exit 127) will not change on its own." in text
    assert sum(1 for e in evts if e["type"] == "command" and e["step"] == "missing-tool") == 1
    assert "  (every 1s, gives up after 3m)" in lines and "  (timeout 5m)" not in lines[lines.index("Step 3/5  warm  Wait "
                                                                                                 "for the cache to warm"):][:5]
    assert "warm: the check cannot run (command not found, exit 127); polling again cannot help." in text
    assert sum(1 for e in evts if e["type"] == "command" and e["step"] == "warm") == 1
    assert not [line for line in lines if line.startswith("[warm]")]  # no FAILED line per poll

    flush = lines.index("Step 4/5  flush  Flush the cache")
    assert lines[flush + 1] == "RISK: DESTRUCTIVE" and f"{RED_BOLD}RISK: DESTRUCTIVE" in raw

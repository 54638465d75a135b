"""Mutation fuzzing of the journal reader, through its public API (``journal.read``): a real
journal, written by a real run, with lines edited, torn, swapped, duplicated, re-typed or
replaced by bytes.  Whatever the file holds, the reader returns events or raises a
``ValueError`` that names the journal and the line; never anything else.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.runner.conftest import RUNBOOK, RUNBOOKS, env
from validator.runner import journal


def _real_journal() -> list[bytes]:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name in ("clean.yaml", "policy.yaml"):
            (work / name).write_bytes((RUNBOOKS / name).read_bytes())
        done = subprocess.run([RUNBOOK, "run", "clean.yaml", "--yes", "--force", "-i", "host=localhost", "-i", f"workdir={work}"],
                              cwd=work, env=env(), stdin=subprocess.DEVNULL, capture_output=True, timeout=120, check=False)
        [path] = (work / ".runbook-runs").glob("*.jsonl")
        assert done.returncode in (0, 1), done.stderr
        return path.read_bytes().split(b"\n")


@pytest.fixture(scope="module")
def lines() -> list[bytes]:
    found = _real_journal()
    assert len(found) > 10 and json.loads(found[0])["type"] == "start"
    return found


ODD_VALUES: list[Any] = [None, "yesterday", "", -1, 0, 2**70, 1e308, float("nan"), [], {}, [1, [2, [3]]], {"t": "x"},
                         "x" * 2000, "\u202e", "\x1b[2K", "2026-13-45T99:99:99Z", True]
RAW = [b"", b" ", b"{", b"}", b"[]", b"null", b"\xff\xfe", b"\x00", b"\r", b"\xe9", b"[" * 100_000, b"1" * 5000,
       b'{"type": "start"}', b'{"seq": 1}', b"NaN", b'{"type": ' + b"[" * 5000 + b"]" * 5000 + b"}"]


@st.composite
def mutated(draw: st.DrawFn, original: list[bytes]) -> list[bytes]:
    lines = list(original)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, max(len(lines) - 1, 0)))
        edit = draw(st.sampled_from(["field", "field", "raw", "bytes", "tear", "delete", "duplicate", "swap", "insert"]))
        if not lines:
            lines = [draw(st.sampled_from(RAW))]
        elif edit == "field":
            try:
                event = json.loads(lines[at])
            except ValueError:
                continue
            if isinstance(event, dict) and event:
                key = draw(st.sampled_from(sorted(event)))
                event[key] = draw(st.sampled_from(ODD_VALUES))
                lines[at] = json.dumps(event).encode()
        elif edit == "raw":
            lines[at] = draw(st.sampled_from(RAW))
        elif edit == "bytes":
            lines[at] = draw(st.binary(max_size=40))
        elif edit == "tear":
            lines[at] = lines[at][: draw(st.integers(0, len(lines[at])))]
        elif edit == "delete":
            del lines[at]
        elif edit == "duplicate":
            lines.insert(at, lines[at])
        elif edit == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        else:
            pos = draw(st.integers(0, len(lines[at])))
            lines[at] = lines[at][:pos] + draw(st.sampled_from(RAW[:10])) + lines[at][pos:]
    return lines


@settings(max_examples=max(20, settings.default.max_examples))
@given(data=st.data())
def test_a_mutated_journal_is_read_or_refused_with_its_line(lines: list[bytes], data: st.DataObject) -> None:
    content = b"\n".join(data.draw(mutated(lines)))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "run.jsonl"
        path.write_bytes(content)
        try:
            events = journal.read(path)
        except ValueError as err:
            match = re.match(rf"{re.escape(str(path))}:(\d+): \S", str(err))
            assert match, str(err)
            assert 1 <= int(match.group(1)) <= content.count(b"\n") + 1, str(err)
        else:
            assert events and all(isinstance(e, dict) and "type" in e for e in events)
            assert events[0]["type"] == "start"

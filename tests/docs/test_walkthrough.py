"""The README's walkthrough, run for real in an empty folder: every command it shows prints
what the README says it prints.

The README shows each command after ``$ `` in a ``console`` block, followed by its output;
a yaml block marked ``file=NAME`` is written to that file when the walkthrough reaches it,
one marked ``edit=NAME`` replaces the top-level keys it holds in that file.  In the shown
output, ``…`` stands for what differs between runs (times, paths): within a line it matches
any text, and a line of its own matches any number of lines.  A command whose shown output
ends with the count of errors (``4 errors, 0 warnings in …``) must exit 1, any other 0.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_blocks import ROOT, Block, apply_part, blocks

BIN = Path(sys.executable).parent
PROGRAMS = ("runbook", "validate_runbook", "mkdocs", "mkdir")  # what the walkthrough may run; never a shell
HANG_GUARD = 300  # seconds for one command (a site build on a busy machine): only turns a hang into a failure
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@dataclass
class Command:
    line: str
    shown: list[str]
    where: str


def _commands(block: Block) -> list[Command]:
    found: list[Command] = []
    for offset, line in enumerate(block.text.splitlines()):
        if line.startswith("$ "):
            found.append(Command(line[2:], [], f"README.md:{block.line + offset}"))
        else:
            assert found, f"{block.where}: output before the first command"
            found[-1].shown.append(line)
    return found


def walkthrough() -> list[Command | Block]:
    """The walkthrough's commands and files, in README order."""
    steps: list[Command | Block] = []
    for block in blocks(ROOT / "README.md"):
        if block.lang == "console":
            steps += _commands(block)
        elif "file" in block.options or "edit" in block.options:
            steps.append(block)
    return steps


def pattern(shown: list[str]) -> re.Pattern[str]:
    """The shown output as a regular expression: ``…`` is what varies (see the module docstring)."""
    parts = []
    for line in shown:
        if line.strip() == "…":
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            parts.append(".*?".join(re.escape(piece) for piece in line.split("…")) + r"\n")
    return re.compile("".join(parts))


def _run(command: Command, cwd: Path) -> str:
    argv = shlex.split(command.line)
    assert argv[0] in PROGRAMS, f"{command.where}: the walkthrough runs only {', '.join(PROGRAMS)}"
    program = BIN / argv[0] if (BIN / argv[0]).exists() else shutil.which(argv[0])
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "80", "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("RUNBOOK_DEBUG", None)
    proc = subprocess.run([str(program), *argv[1:]], cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=HANG_GUARD, check=False)
    out = _ANSI.sub("", proc.stdout)
    failing = bool(command.shown) and re.match(r"^\d+ errors?, \d+ warnings? in ", command.shown[-1]) is not None
    assert proc.returncode == int(failing), f"{command.where}: `{command.line}` exited {proc.returncode}:\n{out}"
    return out


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs += [value for name, value in attrs if tag == "a" and name == "href" and value]


def test_the_walkthrough_prints_what_the_readme_shows(tmp_path: Path) -> None:
    steps = walkthrough()
    ran = [s.line.split()[0] for s in steps if isinstance(s, Command)]
    assert ran[:2] == ["runbook", "validate_runbook"] and "mkdocs" in ran and ran[-1] == "runbook", ran
    for step in steps:
        if isinstance(step, Block) and "edit" in step.options:
            apply_part(tmp_path / step.options["edit"], step.text)
            continue
        if isinstance(step, Block):
            (tmp_path / step.options["file"]).write_text(step.text, encoding="utf-8")
            continue
        out = _run(step, tmp_path)
        assert pattern(step.shown).fullmatch(out), (f"{step.where}: `{step.line}` printed\n{out}\n"
                                                   f"but the README shows\n" + "\n".join(step.shown))
    # what the transcript promises beyond its text
    modeline = (tmp_path / "runbooks" / "disk-full.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert modeline == "# yaml-language-server: $schema=../schema/runbook.schema.json"
    assert (tmp_path / "schema" / "runbook.schema.json").is_file()
    home = tmp_path / "site" / "index.html"
    links = _Links()
    links.feed(home.read_text(encoding="utf-8"))
    local = [h.split("#")[0] for h in links.hrefs if not re.match(r"^[a-z]+:|^#", h) and h.split("#")[0]]
    assert any("services" in h for h in local) and any("contacts" in h for h in local), local
    missing = [h for h in local if not ((home.parent / h).is_file() or (home.parent / h / "index.html").is_file())]
    assert not missing, missing
    assert len(list((tmp_path / ".runbook-runs").glob("*-disk-full-drill.jsonl"))) == 1


@pytest.mark.parametrize(("shown", "out", "matches"), [
    (["a", "b"], "a\nb\n", True),
    (["a", "b"], "a\nb\nc\n", False),
    (["took … seconds"], "took 0.53 seconds\n", True),
    (["took … seconds"], "took 0.53 minutes\n", False),
    (["…", "INFO done"], "banner\nmore banner\nINFO done\n", True),
    (["…", "INFO done"], "INFO done\n", True),
    (["start", "…", "end"], "start\nend\n", True),
    (["start", "…", "end"], "start\nend\nextra\n", False),
])
def test_shown_output_matching(shown: list[str], out: str, matches: bool) -> None:
    assert bool(pattern(shown).fullmatch(out)) is matches

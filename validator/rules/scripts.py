"""Scripts and permissions (P3xx): a ``script:`` step must name an executable file inside the
repository that will start when the runner calls it in the middle of an incident.

Seeds say "all scripts made executable"; nobody checks.  These rules read the files on
disk (paths relative to the repository root) and their mode bits.  They test the bits
rather than ``os.access``, because CI runs as root and root may execute anything.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from validator.findings import Finding, Severity
from validator.model import Runbook, Step
from validator.rules.base import Context, rule
from validator.rules.memo import per_run
from validator.rules.step_text import steps_of


@dataclass(frozen=True)
class File:
    """What is on disk at a script path: ``real`` is the resolved file, None when unusable."""

    real: Path | None
    problem: str = ""  # "", "outside", "missing"
    detail: str = ""
    mode: int | None = None
    head: bytes = b""


@dataclass(frozen=True)
class Script:
    """A step's script and what was found for it."""

    runbook: Runbook
    step: Step
    file: File

    @property
    def real(self) -> Path | None:
        return self.file.real


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def find(root: Path, name: str) -> File:
    """Resolve a script path against the (resolved) repository root, following symlinks."""
    if os.path.isabs(name):
        return File(None, "outside", "is an absolute path")
    if not _inside(Path(os.path.normpath(root / name)), root):
        return File(None, "outside", "climbs out of the repository with '..'")
    path = root / name
    if not os.path.lexists(path):
        return File(None, "missing", "does not exist")
    real = path.resolve()
    if not _inside(real, root):
        return File(None, "outside", "is a symlink that leads outside the repository")
    if not real.exists():
        return File(None, "missing", "is a symlink to a file that does not exist")
    if not real.is_file():
        return File(None, "missing", "is not a regular file")
    try:
        with real.open("rb") as f:
            return File(real, mode=os.fstat(f.fileno()).st_mode, head=f.read(512))
    except OSError as err:
        return File(None, "missing", f"cannot be read ({err.strerror})")


def _locate_all(ctx: Context) -> list[Script]:
    root = ctx.root.resolve()
    files: dict[str, File] = {}
    out: list[Script] = []
    for rb in ctx.runbooks:
        for step in steps_of(rb):
            if step.script:
                if step.script not in files:
                    files[step.script] = find(root, step.script)
                out.append(Script(rb, step, files[step.script]))
    return out


def scripts(ctx: Context) -> list[Script]:
    """Every script step of the repository; each distinct path is looked at once per lint run."""
    return per_run(ctx, "scripts", lambda: _locate_all(ctx))


def _report(ctx: Context, s: Script, message: str, hint: str | None = None, severity: Severity | None = None) -> Finding:
    cause = str(s.real) if s.real is not None else os.path.normpath(s.step.script or "")
    return ctx.report(s.runbook.source, (*s.step.at, "script"), message, hint, severity=severity, cause=cause)


@rule("P301", "script-not-found", Severity.ERROR, "A step's script does not exist (or is not a file).",
      "check the path: scripts are relative to the repository root")
def script_not_found(ctx: Context) -> Iterator[Finding]:
    """The runner cannot start a script that is not there, and finding out during an incident costs minutes.

    Fix the path (it is relative to the repository root, not to the runbook's folder) or commit the script.
    """
    from validator.rules.command_files import nearest_file

    for s in scripts(ctx):
        if s.file.problem == "missing":
            near = nearest_file(ctx, s.step.script or "") if s.file.detail == "does not exist" else None
            yield _report(ctx, s, f"script '{s.step.script}' {s.file.detail}", f"did you mean '{near}'?" if near else None)


@rule("P302", "script-outside-repo", Severity.ERROR, "A step's script lies outside the repository.",
      "move the script into the repository and give its path relative to the repository root")
def script_outside(ctx: Context) -> Iterator[Finding]:
    """A script outside the repository is not reviewed with the runbook and may differ on every machine;
    a symlink that leads out of the repository is the same problem in disguise.

    Copy the script into the repository (for example under ``scripts/``) and refer to it by a relative path.
    """
    for s in scripts(ctx):
        if s.file.problem == "outside":
            yield _report(ctx, s, f"script '{s.step.script}' {s.file.detail}")


@rule("P303", "script-not-executable", Severity.ERROR, "A step's script is not executable by its owner.",
      "chmod u+x the script (and commit the mode: git update-index --chmod=+x)")
def script_not_executable(ctx: Context) -> Iterator[Finding]:
    """The runner starts scripts directly, without a shell, so a script without the execute bit fails
    with "permission denied" the first time someone needs it.

    Run ``chmod u+x`` on the script and commit the mode change (``git update-index --chmod=+x FILE``).
    """
    for s in scripts(ctx):
        mode = s.file.mode
        if mode is not None and not mode & stat.S_IXUSR:
            yield _report(ctx, s, f"script '{s.step.script}' is not executable (mode {stat.filemode(mode)})")


@rule("P304", "script-writable-by-others", Severity.ERROR, "A step's script is group- or world-writable.",
      "chmod go-w the script")
def script_writable(ctx: Context) -> Iterator[Finding]:
    """Anyone who can write the script can make the on-call engineer run their code, often with
    production credentials in the environment.

    Remove the write bits for group and others: ``chmod go-w FILE``.
    """
    for s in scripts(ctx):
        mode = s.file.mode
        if mode is not None and mode & (stat.S_IWGRP | stat.S_IWOTH):
            who = " and ".join(w for w, bit in (("group", stat.S_IWGRP), ("others", stat.S_IWOTH)) if mode & bit)
            yield _report(ctx, s, f"script '{s.step.script}' is writable by {who} (mode {stat.filemode(mode)})")


@rule("P305", "script-setuid", Severity.ERROR, "A step's script has the setuid or setgid bit.",
      "chmod u-s,g-s the script; grant privileges explicitly (sudo with a rule) instead")
def script_setuid(ctx: Context) -> Iterator[Finding]:
    """A setuid or setgid script runs with someone else's privileges; in a repository anyone can edit,
    that is a privilege escalation waiting to happen.

    Clear the bits with ``chmod u-s,g-s FILE`` and grant the privilege explicitly, for example with a sudo rule.
    """
    for s in scripts(ctx):
        mode = s.file.mode
        if mode is not None and mode & (stat.S_ISUID | stat.S_ISGID):
            bits = "/".join(b for b, bit in (("setuid", stat.S_ISUID), ("setgid", stat.S_ISGID)) if mode & bit)
            yield _report(ctx, s, f"script '{s.step.script}' has the {bits} bit (mode {stat.filemode(mode)})")


@rule("P306", "script-no-shebang", Severity.ERROR, "A step's script has no #! line.",
      "start the script with a line such as #!/usr/bin/env bash")
def script_no_shebang(ctx: Context) -> Iterator[Finding]:
    """The runner executes scripts without a shell; without a ``#!`` line the kernel refuses to start
    a text file ("exec format error").

    Make the first line name the interpreter, e.g. ``#!/usr/bin/env bash`` or ``#!/usr/bin/env python3``.
    """
    for s in scripts(ctx):
        if s.real is None:
            continue
        if not s.file.head.startswith((b"#!", b"\x7fELF")):
            yield _report(ctx, s, f"script '{s.step.script}' does not start with a #! line")


def interpreter(head: bytes) -> tuple[str, bool] | None:
    """``(program, via_env)`` named by a ``#!`` line: ``("python3", True)`` for ``#!/usr/bin/env python3``."""
    if not head.startswith(b"#!"):
        return None
    words = head[2:].split(b"\n", 1)[0].decode("utf-8", "replace").split()
    if not words:
        return None
    if os.path.basename(words[0]) != "env":
        return words[0], False
    rest = [w for w in words[1:] if not w.startswith("-") and "=" not in w]
    return (rest[0], True) if rest else None


@cache
def _runnable(program: str, via_env: bool) -> bool:
    if via_env:
        return shutil.which(program) is not None
    return os.path.isfile(program) and os.access(program, os.X_OK)


@rule("P307", "interpreter-not-found", Severity.WARNING, "The interpreter named in a script's #! line is not installed here.",
      "install it, or name one that exists, e.g. #!/usr/bin/env python3")
def interpreter_not_found(ctx: Context) -> Iterator[Finding]:
    """A script whose interpreter is missing fails with a confusing "no such file or directory" that
    seems to be about the script itself.  This is checked on the machine that runs the linter, so it is
    a warning: the responders' machines may differ.

    Install the interpreter, or use ``#!/usr/bin/env NAME`` so that it is looked up on ``PATH``.
    """
    for s in scripts(ctx):
        found = interpreter(s.file.head) if s.real else None
        if found is None:
            continue
        program, via_env = found
        if not _runnable(program, via_env):
            where = "on PATH" if via_env else "at that path"
            hint = None
            if not via_env and shutil.which(os.path.basename(program)):
                hint = f"'{os.path.basename(program)}' is on PATH: write #!/usr/bin/env {os.path.basename(program)}"
            yield _report(ctx, s, f"script '{s.step.script}' needs '{program}', which is not found {where}", hint)


@rule("P310", "script-risk-undeclared", Severity.WARNING, "A script step does not say whether it changes anything.",
      "declare risk: read-only if the script only looks; mutating or destructive if it changes state")
def script_risk_undeclared(ctx: Context) -> Iterator[Finding]:
    """What a script does cannot be read from its name: ``emergency_burn.sh`` and ``status.sh`` look
    alike to the runner.  Without a declared ``risk`` the runner treats a script step as mutating (a
    plain ``run`` command as read-only), so it is never re-run without asking and a destructive one
    would still pass unattended.

    Declare ``risk:`` on the step: ``read-only`` for a script that only looks, ``mutating`` or
    ``destructive`` (the runner then asks for the step id) for one that changes state.
    """
    for s in scripts(ctx):
        if s.step.risk is None:
            yield ctx.report(s.runbook.source, (*s.step.at, "script"),
                             f"script step '{s.step.id}' declares no risk; the runner treats it as mutating")

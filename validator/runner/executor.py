"""Run one command: its own process group, output streamed live and kept (bounded), a timeout
that kills the whole group, and Ctrl-C that stops the command rather than the runner.

The child starts a new session, so a terminal Ctrl-C reaches only the runner, which then
stops the command's whole group: SIGTERM, a grace period, then SIGKILL (a child that traps
SIGTERM still dies).  A process that leaves the group (``setsid``) escapes that kill: a known
limit.  A command that ends while something it started in the background still holds its
output open (``server &``) ends the step: the output is read for :data:`DRAIN_SECONDS` more,
then no longer; the background process keeps running.  If the runner itself is killed
(``kill -9``) the command keeps running — cutting a migration in half is worse — and
``--resume`` stops what is left of its group (:func:`kill_orphan`) before carrying on.  No
``preexec_fn``: it would cost a slow fork per command.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import os
import selectors
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

KEEP_BYTES = 64 * 1024
GRACE_SECONDS = 2.0
DRAIN_SECONDS = 0.5  # output still read after the command exits, while a background child holds the pipes


@dataclass
class ExecResult:
    exit_code: int | None
    stdout: str
    stderr: str
    output: str  # both streams interleaved as they arrived, last KEEP_BYTES
    duration: float
    timed_out: bool = False
    interrupted: bool = False
    truncated: bool = False
    error: str = ""  # why the command could not be started at all (a step failure, never a crash)


class _Tail:
    """The last ``limit`` bytes of a stream."""

    def __init__(self, limit: int = KEEP_BYTES) -> None:
        self.limit, self.data, self.dropped = limit, bytearray(), False

    def add(self, chunk: bytes) -> None:
        self.data += chunk
        if len(self.data) > self.limit:
            del self.data[: len(self.data) - self.limit]
            self.dropped = True

    def text(self) -> str:
        return self.data.decode("utf-8", errors="replace")


def kill_group(proc: subprocess.Popen[bytes], grace: float = GRACE_SECONDS) -> None:
    """SIGTERM the process group, wait up to ``grace``, then SIGKILL whatever is left of it."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, sig)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if proc.poll() is not None and not _group_alive(proc.pid):
                return
            time.sleep(0.02)
    proc.wait()


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (state first); None when it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def processes() -> Iterator[tuple[int, list[str]]]:
    """Every process of the machine with its /proc stat fields (as :func:`_stat`); those that end
    while the list is read are left out."""
    for entry in Path("/proc").glob("[0-9]*"):
        fields = _stat(int(entry.name))
        if fields is not None:
            yield int(entry.name), fields


def running(fields: list[str]) -> bool:
    """A process that still runs: not a zombie (dead, only not reaped yet) nor being torn down."""
    return fields[0] not in ("Z", "X")


def start_ticks(pid: int) -> int | None:
    """When ``pid`` started, in clock ticks since boot (it tells a process from a later one with its pid)."""
    fields = _stat(pid)
    return int(fields[19]) if fields and len(fields) > 19 and running(fields) else None


def boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


def identity(pid: int) -> dict[str, object]:
    """What the journal keeps about a command's process so a resume (perhaps by another responder,
    on another machine) can tell it is still the same one."""
    return {"start": start_ticks(pid), "boot": boot_id(), "host": socket.gethostname()}


def orphan_check(pgid: object, start: object, boot: object, host: object = None) -> str:
    """Why the process group a journal names must not be signalled; "" when it is the run's own command.

    Never pid 0 or 1 or the runner's own group; never after a reboot; the group leader, if it lives,
    must lead its own session and have started when the journal says; if it is gone, every member
    must belong to its session and have started after it (a pid in use as a group id is never
    handed out again, so such a group is what is left of the command).
    """
    if not isinstance(pgid, int) or isinstance(pgid, bool) or pgid <= 1 or pgid in (os.getpid(), os.getpgrp()):
        return f"process group {pgid!r} is not one a command of the run could have had"
    if not isinstance(start, int) or isinstance(start, bool):
        return "the journal does not say when that process started, so it cannot be told from another"
    if isinstance(host, str) and host and host != socket.gethostname():
        return f"it ran on host {host}, so it cannot be checked from here: see there whether it still runs"
    if boot and boot != boot_id():
        return "the machine restarted since: that command is gone"
    leader = _stat(pgid)
    if leader is not None and leader[0] not in ("Z", "X"):
        if int(leader[2]) != pgid or int(leader[3]) != pgid or int(leader[19]) != start:
            return f"process {pgid} is now another program (it started at another time or leads another group)"
        return ""
    # zombies are dead already (where nothing reaps them, as in some containers, they linger)
    members = [f for _, f in processes() if int(f[2]) == pgid and running(f)]
    if not members:
        return "nothing of it is left"
    if any(int(f[3]) != pgid or int(f[19]) < start for f in members):
        return f"process group {pgid} is not the command's any more"
    return ""


def kill_orphan(pgid: int, start: object = None, boot: object = None, host: object = None) -> tuple[bool, str]:
    """Stop what is left of a command whose runner died (``kill -9``), once :func:`orphan_check` agrees:
    ``(killed, why not)``.  A command another user's runner started (a take-over) may not be ours to
    signal: that is said, with the command to stop it, never reported as stopped."""
    why = orphan_check(pgid, start, boot, host)
    if why:
        return False, why
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            pass
        except PermissionError:
            return False, f"it belongs to another user; stop it with: sudo kill -TERM -- -{pgid}"
        time.sleep(0.2)
    return True, ""


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def start_failure(argv: list[str], err: OSError | ValueError) -> str:
    """Why ``argv`` did not start, in the responder's words."""
    if isinstance(err, ValueError):
        return "the command, an argument or an environment value contains a NUL character"
    program = argv[0]
    if err.errno == errno.ENOEXEC:
        return f"{program} is not a program the system can start (no #! line, or a bad one)"
    if err.errno == errno.EACCES:
        return f"{program} is not executable (permission denied)"
    if err.errno == errno.ENOENT and os.path.exists(program):
        return f"the interpreter named in {program}'s #! line was not found"
    return f"{err.strerror or err} ({program})"


def execute(argv: list[str], env: dict[str, str] | None, timeout: float | None, cwd: str | None = None,
            echo: Callable[[str], None] | None = None, grace: float = GRACE_SECONDS,
            on_start: Callable[[int], object] | None = None) -> ExecResult:
    """Run ``argv`` (never through a shell unless argv says bash -c) and collect the result."""
    started = time.monotonic()
    try:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=env, cwd=cwd, start_new_session=True)
    except (OSError, ValueError) as err:
        why = start_failure(argv, err)
        return ExecResult(None, "", "", f"could not start: {why}\n", time.monotonic() - started, error=why)
    if on_start is not None:
        on_start(proc.pid)
    tails = {"stdout": _Tail(), "stderr": _Tail()}
    both = _Tail()
    decoders = {name: codecs.getincrementaldecoder("utf-8")(errors="replace") for name in tails}  # a character may span two reads
    sel = selectors.DefaultSelector()
    assert proc.stdout is not None and proc.stderr is not None
    sel.register(proc.stdout, selectors.EVENT_READ, "stdout")
    sel.register(proc.stderr, selectors.EVENT_READ, "stderr")
    timed_out = interrupted = False
    exited: float | None = None  # when the command itself ended; a background child may keep the pipes open
    try:
        while sel.get_map():
            now = time.monotonic()
            left = None if timeout is None else timeout - (now - started)
            if left is not None and left <= 0:
                timed_out = True
                break
            if exited is None and proc.poll() is not None:
                exited = now
            if exited is not None and now - exited >= DRAIN_SECONDS:
                break  # what a background child still writes is not the step's output
            wait = 0.2 if left is None else min(left, 0.2)
            for key, _ in sel.select(timeout=wait if exited is None else min(wait, DRAIN_SECONDS)):
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    sel.unregister(key.fileobj)
                    continue
                tails[key.data].add(chunk)
                both.add(chunk)
                if echo is not None:
                    echo(decoders[key.data].decode(chunk))
        if not timed_out:
            left = None if timeout is None else max(0.0, timeout - (time.monotonic() - started))
            try:
                proc.wait(timeout=left)
            except subprocess.TimeoutExpired:
                timed_out = True
    except KeyboardInterrupt:
        interrupted = True
    finally:
        if echo is not None:
            echo("")
        sel.close()
        if timed_out or interrupted or proc.poll() is None:
            kill_group(proc, grace)
        proc.stdout.close()
        proc.stderr.close()
    return ExecResult(None if timed_out or interrupted else proc.returncode, tails["stdout"].text(),
                      tails["stderr"].text(), both.text(), time.monotonic() - started, timed_out, interrupted,
                      both.dropped)

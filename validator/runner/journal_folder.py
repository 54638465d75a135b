"""The folder the journals live in keeps itself out of version control.

``runbook run`` writes its journals into the working folder's ``.runbook-runs/`` by default,
which is usually a checkout of the runbook repository: without this, ``git add -A`` after an
incident commits what the run printed.  So the folder carries its own ``.gitignore`` holding
``*`` (itself included), written when the runner creates the folder and added to an existing
folder that lacks one; git and the tools that read ``.gitignore`` then never see a journal,
whatever the repository's own ignore rules say or wherever ``--journal-dir`` points.

An existing ``.gitignore`` is never touched, and none is written through a symlink: the file
is created with ``O_EXCL | O_NOFOLLOW``, so a link planted in a shared folder cannot make the
runner write anywhere else.  A folder that holds anything but journals (``--journal-dir .``,
or a folder of the repository) is left alone too: ``*`` there would hide the team's own files.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

NAME = ".gitignore"
JOURNAL = re.compile(r"\.jsonl(?:\.lock|\.torn-[0-9TZ]+)?$")  # the runner's files: journals, locks, torn copies
CONTENT = b"# Incident journals and locks written by `runbook run`: records of a run, never committed.\n*\n"


def _journals_only(folder: Path) -> bool:
    """Whether everything in the folder is the runner's: journals, their locks and set-aside torn copies."""
    try:
        names = os.listdir(folder)
    except OSError:
        return False
    return all(JOURNAL.search(name) for name in names)


def prepare(folder: Path) -> None:
    """Create ``folder`` if needed and make sure it ignores itself; a failure to write the
    ``.gitignore`` never stops a run (the journal itself reports a folder it cannot write)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / NAME
    if os.path.lexists(target) or not _journals_only(folder):
        return
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        fd = os.open(target, flags, 0o644)
    except OSError:  # another runner wrote it first, or the folder is read-only
        return
    try:
        os.write(fd, CONTENT)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(target)  # a torn file would ignore nothing
    finally:
        os.close(fd)

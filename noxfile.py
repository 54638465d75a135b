"""Task runner: ``nox -s tests`` (the whole suite), ``lint``, ``docs``, ``bench``.

``tests`` installs the exact versions in ``constraints.txt`` so every machine runs the suite
against the same releases; ``tests_latest`` runs it against the newest releases the
registry serves (drift shows up there first) and ``tests_oldest`` against the lowest
versions pyproject.toml allows. ``lock`` rewrites ``constraints.txt``.
"""

from __future__ import annotations

import os
import shutil
import sys

import nox

nox.options.sessions = ["tests", "lint", "docs"]
nox.options.reuse_existing_virtualenvs = True
PYTHON = False if os.environ.get("NOX_NO_VENV") else None


def _ensure_chromium(session: nox.Session) -> None:
    """The browser tests use Debian's Chromium; install it when we can (root), else say how."""
    if shutil.which("chromium") or shutil.which("chromium-browser"):
        return
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        session.run("apt-get", "update", "-qq", external=True)
        session.run("apt-get", "install", "-y", "-qq", "chromium", external=True, env={"DEBIAN_FRONTEND": "noninteractive"})
    else:
        session.error("Chromium is needed for the browser tests: sudo apt-get install -y chromium")


LOCK = "constraints.txt"
OLDEST = "constraints-oldest.txt"
PYTEST_ARGS = ["-n", "2", "--dist", "loadgroup"]


def _suite(session: nox.Session, *install: str) -> None:
    _ensure_chromium(session)
    session.install(*install, "-e", ".[test,shellcheck]")
    session.run("pytest", *(session.posargs or PYTEST_ARGS))


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Install the locked versions of the package's dependencies and Chromium, then run the whole suite."""
    _suite(session, "-c", LOCK)


CLOCK_SHIFTS = ("400", "-400")  # days: more than a year ahead, and more than a year back


@nox.session(python=PYTHON)
def tests_calendar(session: nox.Session) -> None:
    """The whole suite again with every process's clock moved more than a year ahead, then back.

    ``tests/clock_shift/sitecustomize.py`` moves the wall clock of pytest and of every Python
    command the tests start; nothing else changes, so a test that passes only on some days (a
    fixed date that goes stale, a review that falls due) fails here long before it fails on a
    calendar.  The suite pins the day review verdicts are judged on (``RUNBOOK_TODAY``), which is
    the one input about dates that a test sets.
    """
    _ensure_chromium(session)
    session.install("-c", LOCK, "-e", ".[test,shellcheck]")
    for shift in CLOCK_SHIFTS:
        session.log(f"the suite with the clock moved {shift} days")
        session.run("pytest", *(session.posargs or PYTEST_ARGS),
                    env={"RUNBOOK_TEST_CLOCK_SHIFT": shift, "PYTHONPATH": os.path.join(os.getcwd(), "tests", "clock_shift")})


@nox.session(python=PYTHON)
def tests_latest(session: nox.Session) -> None:
    """The whole suite against the newest releases: what a fresh ``pip install`` would resolve today."""
    _suite(session, "--upgrade", "--upgrade-strategy", "eager")


@nox.session(python=PYTHON)
def tests_oldest(session: nox.Session) -> None:
    """The whole suite against the oldest direct dependencies pyproject.toml allows."""
    _suite(session, "-c", OLDEST)


@nox.session(python=PYTHON)
def lock(session: nox.Session) -> None:
    """Resolve the newest releases of everything the sessions install and write them to constraints.txt."""
    session.install("--upgrade", "--upgrade-strategy", "eager", "-e", ".[dev]")
    frozen = session.run("python", "-m", "pip", "freeze", "--exclude-editable", silent=True)
    header = "# Exact versions the nox sessions install (tests, lint, docs, bench); regenerate with: nox -s lock\n"
    with open(LOCK, "w", encoding="utf-8") as handle:
        handle.write(header + str(frozen))


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    session.install("-c", LOCK, "-e", ".[dev]")
    session.run("ruff", "check", "validator", "tests", "bench", "noxfile.py")
    session.run("mypy")


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    session.install("-c", LOCK, "-e", ".")
    session.run("mkdocs", "build", "--strict", "--site-dir", "site")


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """``python -m bench`` with any arguments after ``--``; see bench/README.md."""
    if PYTHON is False:  # NOX_NO_VENV: the current environment must already have the package
        session.run(sys.executable, "-m", "bench", *session.posargs, external=True)
        return
    session.install("-c", LOCK, "-e", ".[test]")
    session.run("python", "-m", "bench", *session.posargs)

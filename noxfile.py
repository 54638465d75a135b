"""Task runner: ``nox -s tests`` (the whole suite), ``lint``, ``docs``, ``bench``."""

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


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Install the package with its test extras and Chromium, then run the whole suite."""
    _ensure_chromium(session)
    session.install("-e", ".[test,shellcheck]")
    session.run("pytest", *(session.posargs or ["-n", "2", "--dist", "loadgroup"]))


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    session.install("-e", ".[dev]")
    session.run("ruff", "check", "validator", "tests", "bench", "noxfile.py")
    session.run("mypy")


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    session.install("-e", ".")
    session.run("mkdocs", "build", "--strict", "--site-dir", "site")


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """``python -m bench`` with any arguments after ``--``; see bench/README.md."""
    if PYTHON is False:  # NOX_NO_VENV: the current environment must already have the package
        session.run(sys.executable, "-m", "bench", *session.posargs, external=True)
        return
    session.install("-e", ".[test]")
    session.run("python", "-m", "bench", *session.posargs)

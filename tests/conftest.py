"""Fixtures shared by the whole suite: real files written to a fresh folder."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Protocol

import pytest


class Writer(Protocol):
    def __call__(self, name: str, text: str | bytes) -> Path: ...


@pytest.fixture
def write(tmp_path: Path) -> Writer:
    """Write a file under ``tmp_path`` (dedented when text) and return its path; folders are created."""

    def _write(name: str, text: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write

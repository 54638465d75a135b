"""The wheel a user installs, built for real from this checkout: licence, metadata, type marker."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    [path] = out.glob("runbook_validator-*.whl")
    return zipfile.ZipFile(path)


def test_the_wheel_carries_the_licence_and_the_type_marker(wheel: zipfile.ZipFile) -> None:
    names = wheel.namelist()
    assert "validator/py.typed" in names  # mypy users type-check against the package
    [licence] = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]
    text = wheel.read(licence).decode()
    assert text.startswith("MIT License\n") and "The runbook-validator authors" in text


def test_the_metadata_says_what_a_registry_shows(wheel: zipfile.ZipFile) -> None:
    [name] = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    meta = Parser().parsestr(wheel.read(name).decode())
    assert meta["License-Expression"] == "MIT"
    assert meta.get_all("License-File") == ["LICENSE"]
    classifiers = meta.get_all("Classifier") or []
    assert "Typing :: Typed" in classifiers and "Programming Language :: Python :: 3.11" in classifiers
    assert "runbook" in (meta["Keywords"] or "").split(",")
    assert not meta.get_all("Project-URL")  # no address until one serves the project

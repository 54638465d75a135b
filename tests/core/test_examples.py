"""The bundled runbooks and the example sets: they validate clean, they tour the whole
format, and the scripts they call are real programs that answer ``--help``.

These files are what a new user reads first, so a schema change that leaves a property
unused, or a lint rule that flags an example, fails here rather than in front of users.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import phonenumbers
import pytest
import yaml
from email_validator import validate_email

ROOT = Path(__file__).resolve().parents[2]
VALIDATE = Path(sys.executable).parent / "validate_runbook"
EXAMPLE_SETS = ("runbooks", "examples/tachi-protocol", "examples/ledger")
SCHEMA: dict[str, Any] = json.loads((ROOT / "schema" / "runbook.schema.json").read_text(encoding="utf-8"))
STEP_KINDS = ("run", "script", "manual", "checklist", "notify", "wait")
HANG_GUARD = 120  # seconds: turns a hang into a failure, never a speed assertion
TODAY = os.environ["RUNBOOK_TODAY"]  # the suite's day (tests/conftest.py): the same verdicts on any day


def _documents() -> list[tuple[Path, dict[str, Any]]]:
    docs = []
    for folder in EXAMPLE_SETS:
        for path in sorted((ROOT / folder).rglob("*.y*ml")):
            docs.append((path, yaml.safe_load(path.read_text(encoding="utf-8"))))
    return docs


def _resolve(node: dict[str, Any], pointer: str) -> tuple[dict[str, Any], str]:
    """Follow ``$ref`` chains to the definition; its pointer names the properties it declares."""
    while "$ref" in node:
        pointer = node["$ref"]
        name = pointer.removeprefix("#/$defs/")
        node = SCHEMA["$defs"][name]
    return node, pointer


def _matches(branch: dict[str, Any], data: Any) -> bool:
    return jsonschema.Draft202012Validator({**branch, "$defs": SCHEMA["$defs"]}).is_valid(data)


def _walk(node: dict[str, Any], data: Any, pointer: str) -> Iterator[str]:
    """Yield the schema pointer of every property that ``data`` uses, following the schema."""
    node, pointer = _resolve(node, pointer)
    for key in ("oneOf", "anyOf"):
        for i, branch in enumerate(node.get(key, [])):
            if _matches(branch, data):
                yield from _walk(branch, data, f"{pointer}/{key}/{i}")
    if isinstance(data, dict):
        for name, value in data.items():
            if name in node.get("properties", {}):
                yield f"{pointer}/properties/{name}"
                yield from _walk(node["properties"][name], value, f"{pointer}/properties/{name}")
    elif isinstance(data, list) and isinstance(node.get("items"), dict):
        for item in data:
            yield from _walk(node["items"], item, f"{pointer}/items")


def _declared(node: Any, pointer: str) -> Iterator[str]:
    """Every property pointer the schema declares under ``$defs`` (the root only dispatches on kind)."""
    if isinstance(node, dict):
        for name, child in node.get("properties", {}).items():
            yield f"{pointer}/properties/{name}"
            yield from _declared(child, f"{pointer}/properties/{name}")
        for key in ("oneOf", "anyOf"):
            for i, branch in enumerate(node.get(key, [])):
                yield from _declared(branch, f"{pointer}/{key}/{i}")
        if isinstance(node.get("items"), dict):
            yield from _declared(node["items"], f"{pointer}/items")


def _used() -> set[str]:
    used: set[str] = set()
    for _, data in _documents():
        kind = data["kind"]
        used.update(_walk({"$ref": f"#/$defs/{kind}"}, data, f"#/$defs/{kind}"))
    return used


def _steps() -> Iterator[tuple[Path, dict[str, Any]]]:
    for path, data in _documents():
        for section in ("steps", "verify", "rollback"):
            for step in data.get(section, []):
                yield path, step


def test_every_example_set_validates_clean_with_lint() -> None:
    result = subprocess.run([str(VALIDATE), "--today", TODAY, *EXAMPLE_SETS], cwd=ROOT, capture_output=True, text=True,
                            timeout=HANG_GUARD)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no problems" in result.stdout
    files = sum(1 for _ in _documents())
    assert f"{files} files checked" in result.stdout


def test_each_example_set_validates_clean_on_its_own() -> None:
    for folder in EXAMPLE_SETS:
        result = subprocess.run([str(VALIDATE), "--strict", "--today", TODAY, folder], cwd=ROOT, capture_output=True, text=True,
                                timeout=HANG_GUARD)
        assert result.returncode == 0, f"{folder}:\n{result.stdout}{result.stderr}"


def test_contacts_are_fictional_but_well_formed() -> None:
    # Checked here with the libraries themselves, independently of the lint rules built on them.
    contacts = [c for _, data in _documents() if data["kind"] == "policy" for c in data.get("contacts", [])]
    assert len(contacts) >= 20
    for contact in contacts:
        if "phone" in contact:
            number = phonenumbers.parse(contact["phone"])
            assert phonenumbers.is_valid_number(number), contact["phone"]
            assert contact["phone"].startswith("+44 20 7946 0"), f"{contact['phone']}: use the UK drama range"
        if "email" in contact:
            validate_email(contact["email"], check_deliverability=False)
            domain = contact["email"].rsplit("@", 1)[1]
            assert domain.split(".")[-2:] in (["example", "com"], ["example", "net"], ["example", "org"]), \
                f"{contact['email']}: use a reserved example domain (RFC 2606)"
        assert any(k in contact for k in ("phone", "email", "chat", "pager")), f"{contact['id']} cannot be reached"


def test_the_examples_use_every_property_of_the_schema() -> None:
    declared = {p for name, node in SCHEMA["$defs"].items() for p in _declared(node, f"#/$defs/{name}")}
    # needs_review is a mark runbook import leaves for a person to remove; a finished example has none
    missing = sorted(declared - _used() - {"#/$defs/step/properties/needs_review"})
    assert not missing, "no example uses:\n" + "\n".join(missing)


def test_the_walker_notices_an_unused_property() -> None:
    # Guards the coverage test itself: a document without `capture` must not count as using it.
    step = {"id": "a", "run": "true"}
    used = set(_walk({"$ref": "#/$defs/step"}, step, "#/$defs/step"))
    assert "#/$defs/step/properties/run" in used
    assert "#/$defs/step/properties/capture" not in used
    fixed = set(_walk({"$ref": "#/$defs/wait"}, {"duration": "5m"}, "#/$defs/wait"))
    assert fixed == {"#/$defs/wait/oneOf/0/properties/duration"}


def test_the_examples_use_every_step_kind_and_both_waits() -> None:
    kinds = {kind for _, step in _steps() for kind in STEP_KINDS if kind in step}
    assert kinds == set(STEP_KINDS)
    waits = [step["wait"] for _, step in _steps() if "wait" in step]
    assert any("duration" in w for w in waits), "no fixed wait"
    assert any("until" in w for w in waits), "no polling wait"


def test_every_file_starts_with_the_schema_modeline() -> None:
    for path, _ in _documents():
        first = path.read_text(encoding="utf-8").splitlines()[0]
        target = os.path.relpath(ROOT / "schema" / "runbook.schema.json", path.parent)
        assert first == f"# yaml-language-server: $schema={target}", path


def _called_scripts() -> set[Path]:
    called = {ROOT / step["script"] for _, step in _steps() if "script" in step}
    return called | {p for p in (ROOT / "scripts").rglob("*") if p.is_file() and p.suffix in (".py", ".sh")}


def test_called_scripts_exist_and_are_tracked_as_executable() -> None:
    scripts = _called_scripts()
    assert len(scripts) >= 5
    tracked = subprocess.run(["git", "ls-files", "-s", "scripts"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    modes = {line.split("\t")[1]: line.split()[0] for line in tracked.splitlines()}
    for script in scripts:
        assert script.is_file(), script
        assert script.stat().st_mode & stat.S_IXUSR, f"{script} is not executable"
        assert script.read_text(encoding="utf-8").startswith("#!/usr/bin/env "), f"{script} has no shebang"
        rel = script.relative_to(ROOT).as_posix()
        if modes:  # a checkout; an unpacked sdist has no git index
            assert modes.get(rel) == "100755", f"{rel} is not committed as executable"


@pytest.mark.parametrize("script", sorted(p.relative_to(ROOT).as_posix() for p in _called_scripts()))
def test_script_answers_help(script: str) -> None:
    result = subprocess.run([str(ROOT / script), "--help"], cwd=ROOT, capture_output=True, text=True, timeout=HANG_GUARD)
    assert result.returncode == 0, result.stderr
    assert "usage" in result.stdout.lower()


def test_response_script_only_prints_without_execute() -> None:
    script = ROOT / "scripts" / "incident_response" / "automated_response.py"
    result = subprocess.run([str(script), "--incident-type", "brute_force_attempt", "--ip-address", "203.0.113.45"],
                            capture_output=True, text=True, timeout=HANG_GUARD)
    assert result.returncode == 0, result.stderr
    assert "would run: ipset add -exist api-blocklist 203.0.113.45" in result.stdout
    assert "nothing changed" in result.stdout
    bad = subprocess.run([str(script), "--incident-type", "brute_force_attempt", "--ip-address", "1.2.3.4; rm -rf /"],
                         capture_output=True, text=True, timeout=HANG_GUARD)
    assert bad.returncode != 0
    assert "is not an IP address" in bad.stderr


def test_no_runbook_passes_execute_to_a_script() -> None:
    for path, step in _steps():
        assert "--execute" not in step.get("args", []), f"{path}: {step['id']}"
        assert "--execute" not in step.get("run", ""), f"{path}: {step['id']}"


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="ShellCheck is not installed (the shellcheck extra provides it)")
def test_every_example_set_is_clean_under_shellcheck_too() -> None:
    result = subprocess.run([str(VALIDATE), "--strict", "--shellcheck", "--today", TODAY, *EXAMPLE_SETS], cwd=ROOT,
                            capture_output=True, text=True, timeout=HANG_GUARD)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no problems" in result.stdout


def test_every_branch_of_the_bundled_runbooks_is_drilled() -> None:
    result = subprocess.run([str(VALIDATE.parent / "runbook"), "test", *EXAMPLE_SETS, "--min-coverage", "100"], cwd=ROOT,
                            capture_output=True, text=True, timeout=HANG_GUARD)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 failed; coverage 100.0%" in result.stdout

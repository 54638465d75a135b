"""The schema's home in a repository: the modeline every new file carries must name a file
that every checkout has, not the author's virtual environment."""

from __future__ import annotations

import json
import os
from pathlib import Path

from core_helpers import assert_clean_failure, make_repo, run_script, validate

from validator import __version__

REPO = Path(__file__).resolve().parents[2]
SCHEMA_FILE = REPO / "schema" / "runbook.schema.json"
MODELINE = "# yaml-language-server: $schema="


def _modeline_target(path: Path) -> Path:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith(MODELINE), first
    relative = first.removeprefix(MODELINE)
    assert not os.path.isabs(relative) and "site-packages" not in relative and "venv" not in relative, relative
    return (path.parent / relative).resolve()


def test_new_writes_the_schema_into_the_repository_and_names_it_relatively(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()  # the repository root
    ran = run_script("runbook", "new", "disk-full", "--dir", "runbooks/storage", cwd=tmp_path)
    assert ran.code == 0, ran.both
    assert ran.out.splitlines()[0].startswith("wrote schema/runbook.schema.json (the schema editors read")
    home = tmp_path / "schema" / "runbook.schema.json"
    assert home.read_text(encoding="utf-8") == SCHEMA_FILE.read_text(encoding="utf-8")
    runbook = tmp_path / "runbooks" / "storage" / "disk-full.yaml"
    policy = tmp_path / "runbooks" / "storage" / "policy.yaml"
    assert _modeline_target(runbook) == _modeline_target(policy) == home.resolve()
    assert runbook.read_text(encoding="utf-8").startswith(MODELINE + "../../schema/runbook.schema.json\n")
    # a clone elsewhere resolves the same relative path
    moved = tmp_path.parent / (tmp_path.name + "-clone")
    os.rename(tmp_path, moved)
    assert _modeline_target(moved / "runbooks" / "storage" / "disk-full.yaml") == (moved / "schema" / "runbook.schema.json")
    assert validate("--no-lint", "runbooks", cwd=moved).code == 0  # the starter policy's contacts are placeholders until replaced


def test_a_second_runbook_reuses_the_copy_and_a_stale_copy_is_pointed_out_not_overwritten(tmp_path: Path) -> None:
    make_repo(tmp_path)
    first = run_script("runbook", "new", "disk-full", cwd=tmp_path)
    assert first.out.startswith("wrote schema/runbook.schema.json")
    again = run_script("runbook", "new", "cache-miss", cwd=tmp_path)
    assert (again.code, again.out, again.err) == (0, "wrote runbooks/cache-miss.yaml\n", "")
    home = tmp_path / "schema" / "runbook.schema.json"
    home.write_text('{"$id": "an older release"}', encoding="utf-8")
    stale = run_script("runbook", "new", "queue-backlog", cwd=tmp_path)
    assert (stale.code, stale.out) == (0, "wrote runbooks/queue-backlog.yaml\n")
    assert stale.err == ("note: schema/runbook.schema.json differs from this version's schema; "
                         "refresh it with `runbook schema --write schema/runbook.schema.json`\n")
    assert home.read_text(encoding="utf-8") == '{"$id": "an older release"}'
    refreshed = run_script("runbook", "schema", "--write", "schema/runbook.schema.json", cwd=tmp_path)
    assert (refreshed.code, refreshed.out) == (0, "wrote schema/runbook.schema.json\n")
    assert home.read_text(encoding="utf-8") == SCHEMA_FILE.read_text(encoding="utf-8")
    same = run_script("runbook", "schema", "--write", "schema/runbook.schema.json", cwd=tmp_path)
    assert (same.code, same.out) == (0, "schema/runbook.schema.json is up to date\n")


def test_schema_write_creates_folders_and_reports_what_it_cannot_write(tmp_path: Path) -> None:
    ran = run_script("runbook", "schema", "--write", "editor/schemas/runbook.json", cwd=tmp_path)
    assert (ran.code, ran.out) == (0, "wrote editor/schemas/runbook.json\n")
    assert json.loads((tmp_path / "editor" / "schemas" / "runbook.json").read_text(encoding="utf-8"))["$id"]
    (tmp_path / "blocked").write_text("a file where a folder should be", encoding="utf-8")
    refused = run_script("runbook", "schema", "--write", "blocked/runbook.json", cwd=tmp_path)
    assert_clean_failure(refused, codes=(2,))
    assert refused.err.startswith("error: cannot write the schema to blocked/runbook.json: ")


def test_the_schema_id_names_this_version_without_pretending_to_be_served() -> None:
    """An ``https://`` id invites editors and people to fetch it; nothing serves it, so it is a URN."""
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert schema["$id"] == f"urn:runbook-validator:schema:{__version__}:runbook"

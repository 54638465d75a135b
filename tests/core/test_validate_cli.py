"""The command line as CI and people use it: exit codes, options, ``runbook schema``,
``runbook new``, the pre-commit hook, and a crash that stays one line."""

from __future__ import annotations

import json
import os
import re
import textwrap
from importlib.metadata import entry_points
from pathlib import Path

import pytest
import yaml
from core_helpers import BIN, POLICY, RUNBOOK, assert_clean_failure, make_repo, run_script, validate
from jsonschema import Draft202012Validator

REPO = Path(__file__).resolve().parents[2]
SCHEMA_FILE = REPO / "schema" / "runbook.schema.json"
TODAY = ("--today", "2026-11-01")  # the fixture's review is fresh on this day


def test_clean_repository_exits_zero(tmp_path: Path) -> None:
    make_repo(tmp_path)
    ran = validate(*TODAY, "--strict", "runbooks", cwd=tmp_path)
    assert (ran.code, ran.out, ran.err) == (0, "2 files checked: no problems\n", "")


def test_default_path_is_runbooks_folder(tmp_path: Path) -> None:
    make_repo(tmp_path, RUNBOOK.replace("tiemout", "x").replace("timeout: 30s", "timeout: soon", 1))
    ran = validate(*TODAY, cwd=tmp_path)
    assert ran.code == 1
    assert "runbooks/db-down.yaml:13:14: error: steps[0].timeout: 'soon' is not a duration [F003]" in ran.out


def test_missing_default_folder_is_a_usage_error(tmp_path: Path) -> None:
    ran = validate(cwd=tmp_path)
    assert_clean_failure(ran, codes=(2,))
    assert ran.err == "error: runbooks: no such file or directory\n"


def test_error_findings_exit_one(tmp_path: Path) -> None:
    make_repo(tmp_path, RUNBOOK.replace("severity: P1", "severity: P7"))
    ran = validate(*TODAY, "runbooks", cwd=tmp_path)
    assert_clean_failure(ran, codes=(1,))
    assert "runbooks/db-down.yaml:6:11: error: severity 'P7' is not defined in policy 'acme' [R001]" in ran.out


def test_warnings_fail_only_with_strict(tmp_path: Path) -> None:
    make_repo(tmp_path, RUNBOOK.replace("review: {last_reviewed: 2026-10-01, every: 90d}\n", ""))
    relaxed = validate(*TODAY, "--format", "json", "runbooks", cwd=tmp_path)
    severities = {f["severity"] for f in relaxed.findings()}
    assert severities == {"warning"}, relaxed.out  # the fixture's only problem is a missing review
    assert relaxed.code == 0
    strict = validate(*TODAY, "--strict", "runbooks", cwd=tmp_path)
    assert strict.code == 1
    assert "warning: runbook 'db-down' has no review" in strict.out


@pytest.mark.parametrize(("args", "message"), [
    (["--bogus"], "--bogus"),  # click's own wording of this message changed across 8.x
    (["--format", "xml"], "Invalid value for '--format'"),
    (["--today", "yesterday"], "'yesterday' is not a date (YYYY-MM-DD)"),
    (["--config", "nothere.toml"], "does not exist"),
])
def test_bad_usage_exits_two(tmp_path: Path, args: list[str], message: str) -> None:
    make_repo(tmp_path)
    ran = validate(*args, "runbooks", cwd=tmp_path)
    assert_clean_failure(ran, codes=(2,))
    assert message in ran.err
    assert ran.out == ""


def test_nonexistent_path_exits_two_with_message(tmp_path: Path) -> None:
    make_repo(tmp_path)
    ran = validate("runbooks", "runbooks/nothere.yaml", cwd=tmp_path)
    assert_clean_failure(ran, codes=(2,))
    assert ran.err == "error: runbooks/nothere.yaml: no such file or directory\n"


def test_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    make_repo(tmp_path)
    os.mkfifo(tmp_path / "runbooks" / "pipe.yaml")
    ran = validate("--no-lint", "--format", "json", "runbooks", cwd=tmp_path, timeout=30)
    assert_clean_failure(ran, codes=(1,))
    assert [(f["path"], f["rule"], f["message"]) for f in ran.findings()] == [
        ("runbooks/pipe.yaml", "Y000", "cannot read the file: not a regular file")]
    named = validate("runbooks/pipe.yaml", cwd=tmp_path, timeout=30)
    assert_clean_failure(named, codes=(2,))
    assert named.err == "error: runbooks/pipe.yaml: not a regular file or a directory\n"


def test_output_file(tmp_path: Path) -> None:
    make_repo(tmp_path, RUNBOOK.replace("severity: P1", "severity: P7"))
    ran = validate(*TODAY, "--format", "json", "--output", "out/report.json", "runbooks", cwd=tmp_path)
    assert_clean_failure(ran, codes=(2,))  # the folder does not exist: a clear usage error, not a crash
    assert ran.err == "error: cannot write out/report.json: No such file or directory\n"
    (tmp_path / "out").mkdir()
    ran = validate(*TODAY, "--format", "json", "-o", "out/report.json", "runbooks", cwd=tmp_path)
    assert ran.code == 1
    assert ran.out == ""
    assert ran.err == "1 error, 0 warnings in 1 of 2 files\n"
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert [f["rule"] for f in report["findings"]] == ["R001"]


def test_non_utf8_file_name_is_reported_and_written(tmp_path: Path) -> None:
    make_repo(tmp_path)
    odd = os.path.join(os.fsencode(tmp_path / "runbooks"), b"caf\xe9.yaml")
    with open(odd, "wb") as handle:
        handle.write(b"version: 1\nkind: playbook\n")
    ran = validate("--no-lint", "--format", "json", "--output", "report.json", "runbooks", cwd=tmp_path)
    assert_clean_failure(ran, codes=(1,))
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert [(f["rule"], f["line"], f["column"]) for f in report["findings"]] == [("F007", 2, 7)]
    assert report["findings"][0]["path"].startswith("runbooks/caf")


def test_runbook_validate_is_the_same_command(tmp_path: Path) -> None:
    make_repo(tmp_path, RUNBOOK.replace("severity: P1", "severity: P7"))
    direct = validate(*TODAY, "--format", "json", "runbooks", cwd=tmp_path)
    grouped = run_script("runbook", "validate", *TODAY, "--format", "json", "runbooks", cwd=tmp_path)
    assert (grouped.code, grouped.out) == (direct.code, direct.out) == (1, direct.out)


def test_schema_command_prints_the_schema_file() -> None:
    ran = run_script("runbook", "schema")
    assert ran.code == 0
    assert ran.out == SCHEMA_FILE.read_text(encoding="utf-8")
    Draft202012Validator.check_schema(json.loads(ran.out))


def _object_schemas(node: object, where: str = "#") -> list[tuple[str, dict[str, object]]]:
    found: list[tuple[str, dict[str, object]]] = []
    if isinstance(node, dict):
        if node.get("type") == "object" or "properties" in node:
            found.append((where, node))
        for key, value in node.items():
            found.extend(_object_schemas(value, f"{where}/{key}"))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found.extend(_object_schemas(value, f"{where}/{i}"))
    return found


def test_schema_objects_are_closed_and_every_property_is_described() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    defs = schema["$defs"]
    objects = _object_schemas(defs, "#/$defs")
    assert {"#/$defs/step", "#/$defs/runbook", "#/$defs/policy", "#/$defs/wait/oneOf/1"} <= {w for w, _ in objects}
    open_maps = {"#/$defs/step/properties/env"}  # a free-form map of variable names, checked by propertyNames
    for where, obj in objects:
        if where in open_maps or not isinstance(obj.get("properties"), dict):
            continue
        assert obj.get("additionalProperties") is False, f"{where} accepts unknown keys"
        for name, prop in obj["properties"].items():  # type: ignore[union-attr]
            described = isinstance(prop, dict) and (
                "description" in prop or ("$ref" in prop and "description" in defs[prop["$ref"].rsplit("/", 1)[-1]]))
            assert described, f"{where}/properties/{name} has no description"


def test_new_writes_a_runbook_that_validates_and_a_policy_flagged_until_its_contacts_are_real(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    ran = run_script("runbook", "new", "db-connection-failure", cwd=tmp_path)
    assert ran.code == 0, ran.both
    assert ran.out == ("wrote schema/runbook.schema.json (the schema editors read; after upgrading, refresh it with "
                       "`runbook schema --write schema/runbook.schema.json`)\n"
                       "wrote runbooks/policy.yaml (a starter policy: replace its contacts with real ones)\n"
                       "wrote runbooks/db-connection-failure.yaml\n")
    text = (tmp_path / "runbooks" / "db-connection-failure.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/runbook.schema.json\n")
    assert "id: db-connection-failure\ntitle: Db connection failure\n" in text
    assert validate("--no-lint", "--strict", cwd=tmp_path).code == 0
    # the starter policy's invented contacts are flagged until someone replaces them
    checked = validate("--format", "json", cwd=tmp_path)
    assert checked.code == 1
    found = sorted((f["path"], f["line"], f["rule"]) for f in json.loads(checked.out)["findings"])
    assert found == [("runbooks/policy.yaml", 27, "C101"), ("runbooks/policy.yaml", 28, "C115"),
                     ("runbooks/policy.yaml", 32, "C101"), ("runbooks/policy.yaml", 33, "C115")]
    policy = tmp_path / "runbooks" / "policy.yaml"
    text = policy.read_text(encoding="utf-8")
    for old, real in (("On-call engineer (replace with a real person)", "Noor Haddad"),
                      ("oncall@example.com", "noor@tidewater.io"),
                      ("Team lead (replace with a real person)", "Ilse Brandt"),
                      ("team-lead@example.com", "ilse@tidewater.io")):
        text = text.replace(old, real)
    policy.write_text(text, encoding="utf-8")
    checked = validate("--strict", cwd=tmp_path)
    assert (checked.code, checked.out) == (0, "2 files checked: no problems\n")
    # a second runbook reuses the policy that now applies
    again = run_script("runbook", "new", "cache-miss", "--title", "Cache misses", cwd=tmp_path)
    assert (again.code, again.out) == (0, "wrote runbooks/cache-miss.yaml\n")
    assert validate("--strict", cwd=tmp_path).code == 0


def test_new_in_a_subfolder_uses_the_policy_above(tmp_path: Path) -> None:
    make_repo(tmp_path)
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "runbook.schema.json").write_text(SCHEMA_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    ran = run_script("runbook", "new", "disk-full", "--dir", "runbooks/storage", cwd=tmp_path)
    assert (ran.code, ran.out) == (0, "wrote runbooks/storage/disk-full.yaml\n")  # the repository's schema copy is current
    text = (tmp_path / "runbooks" / "storage" / "disk-full.yaml").read_text(encoding="utf-8")
    assert re.search(r"^severity: P1 ", text, re.M) and re.search(r"^owner: on-call ", text, re.M)
    assert validate("--no-lint", "runbooks/storage/disk-full.yaml", cwd=tmp_path).code == 0


@pytest.mark.parametrize("bad", ["Bad_Id", "_leading-underscore", "has space", "../escape", "ÜBER"])
def test_new_refuses_bad_ids(tmp_path: Path, bad: str) -> None:
    ran = run_script("runbook", "new", bad, cwd=tmp_path)
    assert_clean_failure(ran, codes=(2,))
    assert "Invalid value for RUNBOOK_ID: use lower-case letters, digits" in ran.err
    assert not (tmp_path / "runbooks").exists()


def test_new_refuses_to_overwrite_unless_forced(tmp_path: Path) -> None:
    make_repo(tmp_path)
    before = (tmp_path / "runbooks" / "db-down.yaml").read_text(encoding="utf-8")
    ran = run_script("runbook", "new", "db-down", cwd=tmp_path)
    assert_clean_failure(ran, codes=(2,))
    assert "runbooks/db-down.yaml exists; use --force to overwrite it" in ran.err
    assert (tmp_path / "runbooks" / "db-down.yaml").read_text(encoding="utf-8") == before
    forced = run_script("runbook", "new", "db-down", "--force", cwd=tmp_path)
    assert forced.code == 0
    assert (tmp_path / "runbooks" / "db-down.yaml").read_text(encoding="utf-8") != before


def _broken_plugin(tmp_path: Path) -> dict[str, str]:
    """A real plugin package whose command fails, registered through the ``runbook.commands`` entry points."""
    site = tmp_path / "site"
    (site / "boom_plugin-1.0.dist-info").mkdir(parents=True)
    (site / "boom_plugin-1.0.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: boom-plugin\nVersion: 1.0\n",
                                                                 encoding="utf-8")
    (site / "boom_plugin-1.0.dist-info" / "entry_points.txt").write_text(
        "[runbook.commands]\nboom = boom_plugin:boom\nboom-lines = boom_plugin:boom_lines\n", encoding="utf-8")
    (site / "boom_plugin.py").write_text(textwrap.dedent("""\
        import click

        @click.command("boom")
        def boom():
            {}["missing"]

        @click.command("boom-lines")
        def boom_lines():
            raise RuntimeError("first line\\n" + "second line " * 100)
        """), encoding="utf-8")
    return {"PYTHONPATH": str(site)}


def test_unexpected_error_is_one_line_and_exit_two(tmp_path: Path) -> None:
    env = _broken_plugin(tmp_path)
    ran = run_script("runbook", "boom", env=env)
    assert ran.code == 2
    assert ran.out == ""
    assert ran.err == ("internal error: KeyError: 'missing' "
                       "(a bug: rerun with RUNBOOK_DEBUG=1 for the traceback and report it)\n")
    multi = run_script("runbook", "boom-lines", env=env)
    assert multi.code == 2
    assert multi.err == ("internal error: RuntimeError: first line "
                         "(a bug: rerun with RUNBOOK_DEBUG=1 for the traceback and report it)\n")
    debug = run_script("runbook", "boom", env={**env, "RUNBOOK_DEBUG": "1"})
    assert debug.code == 2
    assert "Traceback (most recent call last)" in debug.err and "boom_plugin.py" in debug.err


def test_pre_commit_hook_definition() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    [hook] = hooks
    assert hook["id"] == "validate-runbook"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is True
    scripts = {e.name for e in entry_points(group="console_scripts")}
    assert hook["entry"] in scripts
    assert run_script(hook["entry"], "--help").code == 0
    files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])
    for name in ("runbooks/db-down.yaml", "examples/acme/policy.yml"):
        assert files.search(name) and not exclude.search(name)
    for name in ("README.md", "runbooks/db-down.yaml.bak", "notes.json"):
        assert not files.search(name)
    for name in (".pre-commit-config.yaml", "mkdocs.yml", ".github/workflows/ci.yml"):
        assert exclude.search(name)


def test_changed_runbook_passed_alone_is_checked_against_its_policy(tmp_path: Path) -> None:
    # what pre-commit does: run the hook's entry with only the changed file, from the repository root
    make_repo(tmp_path, folder="runbooks")
    team = tmp_path / "runbooks" / "payments"
    team.mkdir()
    changed = team / "refund-stuck.yaml"
    changed.write_text(RUNBOOK.replace("id: db-down", "id: refund-stuck").replace("owner: on-call", "owner: on-cal"),
                       encoding="utf-8")
    ran = run_script("validate_runbook", *TODAY, "runbooks/payments/refund-stuck.yaml", cwd=tmp_path)
    assert ran.code == 1
    assert ran.out.startswith(
        "runbooks/payments/refund-stuck.yaml:7:8: error: owner 'on-cal' is not a contact or role in policy 'acme' [R002]")
    assert ran.out.endswith("1 error, 0 warnings in 1 of 1 file\n")
    changed.write_text(RUNBOOK.replace("id: db-down", "id: refund-stuck"), encoding="utf-8")
    fixed = run_script("validate_runbook", *TODAY, "--strict", "runbooks/payments/refund-stuck.yaml", cwd=tmp_path)
    assert (fixed.code, fixed.out) == (0, "1 file checked: no problems\n")


def test_broken_policy_found_above_a_runbook_passed_alone_fails_it(tmp_path: Path) -> None:
    make_repo(tmp_path, policy=POLICY.replace("respond: 5m", "respond: soon"))
    ran = validate("--no-lint", "runbooks/db-down.yaml", cwd=tmp_path)
    assert ran.code == 1
    # only the given file is reported on; it says why it could not be checked, and where to look
    assert ran.out.startswith("runbooks/db-down.yaml:1:1: error: not checked against its policy: runbooks/policy.yaml "
                              "has errors, so this runbook's severity, owners, contacts and templates are unverified [R006]")
    assert ran.out.endswith("1 error, 0 warnings in 1 of 1 file\n")


def test_console_scripts_are_installed_beside_the_interpreter() -> None:
    for name in ("validate_runbook", "runbook"):
        assert (BIN / name).exists(), name

"""Secrets stay secret in every form they take: quoted by a shell, escaped in JSON, URL-encoded,
cut in two at the journal's 64 KB boundary, or typed for a dry run; on screen, in the journal
and in both timeline formats."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.runner.conftest import RUNBOOK, RUNBOOKS, Run, env, only_journal
from validator.model import Input
from validator.runner.inputs import convert
from validator.runner.prompts import Console
from validator.runner.redact import Redactor, forms

SECRET = "Tr0ub'4dor\"zq\\x&Tail42"
PIECES = ("Tr0ub", "4dor", "Tail42")  # each side of the quotes, and the tail a cut may leave


def _clear(text: str) -> list[str]:
    return [p for p in PIECES if p in text]


@pytest.mark.pty
def test_every_form_of_a_secret_is_masked(work: Path) -> None:
    run = Run(["run", str(RUNBOOKS / "secret-forms.yaml"), "--yes", "-i", f"tok={SECRET}"], work)
    assert run.finish() == 0, run.screen
    assert _clear(run.screen) == []
    assert run.screen.count("[REDACTED]") >= 7
    path, evts = only_journal(work)
    assert _clear(path.read_text(encoding="utf-8")) == []
    long = next(e for e in evts if e["type"] == "command" and e["step"] == "long-output")
    assert long["truncated"] and long["output"].startswith("[REDACTED]BBB")  # the cut-off tail is masked too
    for fmt in ("md", "json"):
        done = subprocess.run([RUNBOOK, "timeline", str(path), "--format", fmt], cwd=work, env=env(),
                              capture_output=True, text=True, timeout=60, check=True)
        assert _clear(done.stdout) == [] and "[REDACTED]" in done.stdout


@pytest.mark.pty
def test_a_dry_run_never_shows_a_secret_given_on_the_command_line(work: Path) -> None:
    run = Run(["run", str(RUNBOOKS / "secret-forms.yaml"), "--dry-run", "-i", f"tok={SECRET}"], work)
    assert run.finish() == 0
    assert _clear(run.screen) == []
    assert 'echo "plain [REDACTED]"' in run.screen


@pytest.mark.parametrize(("spec", "raw"), [
    (Input("pin", (), type="int", secret=True), "12x4"), (Input("pin", (), type="int", secret=True, max=99), "1234"),
    (Input("key", (), choices=["blue-key", "red-key"], secret=True), "Tr0ub-key"),
    (Input("flag", (), type="bool", secret=True), "Tr0ub")])
def test_a_wrong_secret_is_refused_without_repeating_it(spec: Input, raw: str) -> None:
    with pytest.raises(ValueError, match=r"^the value ") as refused:
        convert(spec, raw)
    assert raw not in str(refused.value)


@pytest.mark.parametrize("shown", sorted(forms(SECRET)))
def test_each_form_is_known_to_the_redactor(shown: str) -> None:
    redactor = Redactor()
    redactor.add(SECRET)
    assert redactor.text(f"before {shown} after") == "before [REDACTED] after"


def test_a_secret_cut_at_the_start_of_kept_output_is_masked() -> None:
    redactor = Redactor()
    redactor.add("hunter2-secret")
    assert redactor.cut("secret and more") == "[REDACTED] and more"
    assert redactor.cut("\ufffdt and more") == "[REDACTED] and more"
    assert redactor.cut("unrelated start") == "unrelated start"


def test_a_secret_split_by_a_long_line_flush_is_masked(capsys: pytest.CaptureFixture[str]) -> None:
    console = Console(Redactor(), color=False)
    console.redactor.add(SECRET)
    console.stream("A" * 65530 + SECRET[:9])  # over the flush limit, no line end: flushed without the secret's head
    console.stream(SECRET[9:] + "B" * 10)
    console.stream("")
    shown = capsys.readouterr().out
    assert _clear(shown) == [] and shown.endswith("A[REDACTED]" + "B" * 10)

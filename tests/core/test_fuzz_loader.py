"""Property-based and mutation fuzzing of the loader: whatever the bytes, a list of located
findings comes back and nothing is raised.

Three sources of input: arbitrary text and bytes; text assembled from YAML's own tokens (tags,
anchors, flow brackets, block scalars, the YAML 1.1 traps), which reaches much deeper into the
parser than random characters; and the bundled runbooks with a few random edits each, which
reach the schema check, the model, the lint rules and every reporter with almost-valid files.
The example counts come from the profile in ``tests/conftest.py`` (bounded and derandomized).
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from validator import pipeline
from validator.findings import Finding
from validator.reporters import REPORTERS, Report
from validator.yamlsafe import load_bytes, load_text

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = sorted((ROOT / "runbooks").glob("*.yaml")) + sorted((ROOT / "examples").glob("*/*.yaml"))
RUNBOOK_TEXTS = [p.read_text(encoding="utf-8") for p in BUNDLED if "kind: policy" not in p.read_text(encoding="utf-8")]
POLICY = (ROOT / "runbooks" / "policy.yaml").read_text(encoding="utf-8")

# Pieces of YAML that mean something to the parser or to our guards.
TOKENS = [
    "\n", "\n  ", "\n    ", "  ", ": ", ":", "- ", "? ", "key", "title", "steps", "id", "run", "[", "]", "{", "}", ", ",
    "'", '"', "|", ">", "|-", "#", "&a ", "*a", "&b ", "*b", "!!binary ", "!!set ", "!!timestamp ", "!!int ", "!!str ",
    "!!map ", "!!seq ", "!!float ", "!!bool ", "!!null ", "!!python/object:os.system ", "!foo ", "! ", "!<tag:x> ",
    "<<: ", "---\n", "...\n", "%YAML 1.2\n", "%TAG ! tag:x,2026:\n", "\t", "yes", "no", "on", "1:30", "0755", "0x1F",
    "1e999", ".nan", "-.inf", "~", "null", "9999-12-31", "99999999999999999999d", "90s", "\\u0000", "\\x85", "\u2028",
    "\ufeff", "é", "😀", "@", "`", "%", "\r", "\r\n", "\x00", "\x7f", "\x1b[2K", "::error::x", "##[error]x",
]
yaml_like = st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)


def _assert_located(findings: list[Finding], text_lines: int | None = None) -> None:
    """Every finding names a rule, says something, and points at a real line and column."""
    for f in findings:
        assert f.rule and f.message, f
        assert f.line >= 1 and f.col >= 1, f
        if text_lines is not None:
            assert f.line <= text_lines + 1, f


def _lines(text: str) -> int:
    """Lines as YAML counts them: LF, CR, CR LF, NEL and the Unicode line and paragraph separators."""
    return len(re.split(r"\r\n|[\n\r\x85\u2028\u2029]", text))


@given(st.text(max_size=400))
@example("a: !!binary aGk=\n")
@example("a: &x !foo [*x]\n")
@example("- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - "
         "- - - - - - - - - - - - x\n")
def test_any_text_gives_located_findings(text: str) -> None:
    loaded = load_text("fuzz.yaml", text)
    _assert_located(loaded.findings, _lines(text))
    assert loaded.data is None or isinstance(loaded.data, dict)


@given(yaml_like)
def test_yaml_shaped_text_gives_located_findings(text: str) -> None:
    loaded = load_text("fuzz.yaml", text)
    _assert_located(loaded.findings, _lines(text))
    assert loaded.data is None or isinstance(loaded.data, dict)


@given(st.binary(max_size=400))
@example(b"\xff\xfea\x00")
@example(b"title: \xe9t\xe9\n")
@example(b"\xef\xbb\xbfversion: 1\n")
def test_any_bytes_give_located_findings(raw: bytes) -> None:
    loaded = load_bytes("fuzz.yaml", raw)
    _assert_located(loaded.findings, _lines(raw.decode("utf-8", "replace")))


def _plain(value: object) -> bool:
    """Only what JSON has: the loader never hands bytes, sets, dates or objects to the checks."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return value is None or isinstance(value, (str, int, float, bool))


@given(yaml_like)
def test_loaded_data_is_plain_data(text: str) -> None:
    loaded = load_text("fuzz.yaml", text)
    if loaded.data is not None and not any(f.rule == "Y010" for f in loaded.findings):
        assert _plain(loaded.data)


# Mutations of real runbooks: each edit is one a tired person, a bad merge or a hostile author makes.
VALUES = ["!!binary aGk=", "!!set {a, b}", "!!timestamp 2026-01-01", "!!int abc", "!foo x", "9999-12-31", "0001-01-01",
          "99999999999999999999d", "P99999999999999999999D", "9999d", "0s", "[1, 2]", "{a: 1}", "null", "~", "-1",
          "1e999", ".nan", "yes", "'x'", "\"\\u0000\"", "\"\\t\\r\\n::error::x\"", "&a x", "*a", "|", ">", "[", "{",
          "'", "@x", "`x`", "1:30", "0755", "''", "\"${x}\"", "\"<script>x</script>\"", "100000000000000000000000",
          "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[x]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
          "]]]]]]]]]]]]]]]]]]]]]"]


@st.composite
def mutated_runbook(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(RUNBOOK_TEXTS)).split("\n")
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(lines) - 1))
        edit = draw(st.sampled_from(["value", "delete", "duplicate", "swap", "indent", "dedent", "insert", "cut"]))
        line = lines[at]
        if edit == "value" and ": " in line:
            lines[at] = line.split(": ", 1)[0] + ": " + draw(st.sampled_from(VALUES))
        elif edit == "delete" and len(lines) > 1:
            del lines[at]
        elif edit == "duplicate":
            lines.insert(at, line)
        elif edit == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif edit == "indent":
            lines[at] = "  " + line
        elif edit == "dedent":
            lines[at] = line[2:] if line.startswith("  ") else line
        elif edit == "insert":
            pos = draw(st.integers(0, len(line)))
            lines[at] = line[:pos] + draw(st.sampled_from(TOKENS) | st.text(max_size=3)) + line[pos:]
        elif edit == "cut":
            lines = lines[: max(at, 1)]
    return "\n".join(lines)


@settings(max_examples=max(10, settings.default.max_examples // 2))
@given(mutated_runbook())
def test_mutated_runbooks_are_checked_linted_and_reported(text: str) -> None:
    """The whole pipeline (schema, model, cross-file references, every lint rule) and every reporter."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / ".runbook.yaml").write_text("{}\n", encoding="utf-8")
        (folder / "policy.yaml").write_text(POLICY, encoding="utf-8")
        (folder / "mutated.yaml").write_text(text, encoding="utf-8")
        result = pipeline.run([folder], pipeline.Options(today=None))
        _assert_located(result.findings)
        report = Report(result.findings, len(result.repository.files), result.line_of)
        for render in REPORTERS.values():
            assert render(report).endswith("\n")

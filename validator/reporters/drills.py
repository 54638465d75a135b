"""What ``runbook test`` prints: each drill's verdict, where a failing drill left the expected
path, and coverage (the steps and decision answers no drill reaches), as text, JSON or GitHub
workflow annotations."""

from __future__ import annotations

import json
from dataclasses import dataclass

from validator.drills import Coverage, DrillResult, percent
from validator.reporters.github import _data, _prop


@dataclass
class TestReport:
    results: list[DrillResult]
    coverages: list[Coverage]
    min_coverage: float | None = None

    @property
    def failed(self) -> list[DrillResult]:
        return [r for r in self.results if not r.passed]

    @property
    def reached(self) -> int:
        return sum(c.reached for c in self.coverages)

    @property
    def total(self) -> int:
        return sum(c.total for c in self.coverages)

    @property
    def percent(self) -> float:
        return percent(self.reached, self.total)

    @property
    def below_minimum(self) -> bool:
        return self.min_coverage is not None and self.percent + 1e-9 < self.min_coverage

    def summary(self) -> str:
        ok = len(self.results) - len(self.failed)
        text = (f"{len(self.coverages)} runbook(s), {len(self.results)} drill(s): {ok} passed, {len(self.failed)} failed; "
                f"coverage {self.percent:.1f}% ({self.reached} of {self.total} steps and answers)")
        if self.below_minimum:
            text += f", below the minimum of {self.min_coverage:g}%"
        return text


def _where(result: DrillResult) -> tuple[str, int, int]:
    line, col = result.runbook.source.position((*result.drill.at, "name"))
    return result.runbook.source.path, line, col


def _path(result: DrillResult) -> str:
    return " → ".join(f"{v.step} ({v.label or v.status})" if v.label or v.status != "done" else v.step for v in result.path)


def _missed(cov: Coverage) -> list[str]:
    return [f"step {s}" for s in cov.missed_steps] + [f"answer '{a}' of {s}" for s, a in cov.missed_answers]


def text(report: TestReport) -> str:
    lines: list[str] = []
    by_runbook: dict[str, list[DrillResult]] = {}
    for result in report.results:
        by_runbook.setdefault(result.runbook.id, []).append(result)
    for cov in report.coverages:
        rb = cov.runbook
        lines.append(f"{rb.source.path} ({rb.id})")
        for result in by_runbook.get(rb.id, []):
            if result.passed:
                lines.append(f"  ok    {result.drill.name}")
                continue
            path, line, col = _where(result)
            lines.append(f"  FAIL  {result.drill.name}  ({path}:{line}:{col})")
            lines += [f"        {problem}" for problem in result.problems]
            lines.append(f"        path: {_path(result) or '(no step ran)'}")
        if not rb.drills:
            lines.append("  (no drills)")
        missed = _missed(cov)
        lines.append(f"  coverage {percent(cov.reached, cov.total):.1f}% ({cov.reached} of {cov.total})"
                     + (f"; no drill reaches: {', '.join(missed)}" if missed else ""))
    lines.append(report.summary())
    return "\n".join(lines) + "\n"


def as_json(report: TestReport) -> str:
    runbooks = []
    for cov in report.coverages:
        results = [r for r in report.results if r.runbook is cov.runbook]
        runbooks.append({
            "id": cov.runbook.id, "path": cov.runbook.source.path,
            "coverage": {"percent": round(percent(cov.reached, cov.total), 1), "reached": cov.reached, "total": cov.total,
                         "missed_steps": cov.missed_steps,
                         "missed_answers": [{"step": s, "answer": a} for s, a in cov.missed_answers]},
            "drills": [{"name": r.drill.name, "line": _where(r)[1], "passed": r.passed, "outcome": r.outcome,
                        "expected_outcome": r.drill.outcome, "problems": r.problems, "diverged_at": r.diverged_at,
                        "path": [{"step": v.step, "status": v.status, "label": v.label, "next": v.target} for v in r.path]}
                       for r in results],
        })
    body = {"passed": not report.failed and not report.below_minimum, "runbooks": runbooks,
            "coverage": {"percent": round(report.percent, 1), "reached": report.reached, "total": report.total,
                         "minimum": report.min_coverage},
            "summary": report.summary()}
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def github(report: TestReport) -> str:
    lines: list[str] = []
    for result in report.failed:
        path, line, col = _where(result)
        props = f"file={_prop(path)},line={line},col={col},title={_prop('drill failed: ' + result.drill.name)}"
        lines.append(f"::error {props}::{_data(chr(10).join(result.problems))}")
    for cov in report.coverages:
        src = cov.runbook.source
        for sid in cov.missed_steps:
            step = cov.runbook.step(sid)
            line, col = src.position((*step.at, "id")) if step else (1, 1)
            lines.append(f"::warning file={_prop(src.path)},line={line},col={col},title=not covered::"
                         f"{_data(f'no drill reaches step {sid}')}")
        for sid, answer in cov.missed_answers:
            step = cov.runbook.step(sid)
            choice = step.decide.choice(answer) if step and step.decide else None
            line, col = src.position((*choice.at, "answer")) if choice else (1, 1)
            lines.append(f"::warning file={_prop(src.path)},line={line},col={col},title=not covered::"
                         f"{_data(f'no drill answers {answer} to {sid}')}")
    if report.below_minimum:
        lines.append(f"::error title=coverage::{_data(report.summary())}")
    lines.append(report.summary())
    return "\n".join(lines) + "\n"


FORMATS = {"text": text, "json": as_json, "github": github}

"""Data flows one way: load -> model -> schema -> rules -> findings -> reporters, and the leaves
(CLI, reporters, docs plugin, runner) import the core, never each other.

The imports are read from the source with ``ast`` (function-level and ``TYPE_CHECKING`` imports
included: a cycle hidden in a function is still a cycle), so a new module is covered the day it
is added.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "validator"
LEAVES = ("validator.cli", "validator.reporters", "validator.docsite", "validator.runner")
# The layers below the lint rules: reading files, the model, the schema and reference checks.
LOADING = ("validator.yamlsafe", "validator.locate", "validator.model", "validator.build", "validator.schema",
           "validator.schema_select", "validator.repository", "validator.references", "validator.findings",
           "validator.catalog", "validator.durations", "validator.conditions")


def _module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, root: Path = PACKAGE) -> set[str]:
    """Every module ``path`` imports, absolute, with ``from X import Y`` also counted as ``X.Y``."""
    name = _module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return {m for m in found if m == "validator" or m.startswith("validator.")}


MODULES = {_module_name(p): _imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def _within(module: str, prefixes: tuple[str, ...] | str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in ((prefixes,) if isinstance(prefixes, str) else prefixes))


def _violations(importers: tuple[str, ...] | str, forbidden: tuple[str, ...] | str) -> list[str]:
    return sorted(f"{mod} imports {imp}" for mod, imports in MODULES.items() if _within(mod, importers)
                  for imp in imports if _within(imp, forbidden))


CORE = tuple(sorted(m for m in MODULES if not _within(m, LEAVES) and m not in ("validator", "validator.__main__")))


def test_the_scan_sees_the_package() -> None:
    # the checks below are only as good as the module list: a wrong root would make them vacuous
    assert {"validator.pipeline", "validator.rules.engine", "validator.catalog", "validator.cli.validate"} <= set(MODULES)
    assert "validator.repository" in MODULES["validator.pipeline"]
    assert "validator.rules.base" in MODULES["validator.rules.registry"]


def test_core_never_imports_a_leaf() -> None:
    assert _violations(CORE, LEAVES) == []


@pytest.mark.parametrize("leaf", [leaf for leaf in LEAVES if leaf != "validator.cli"])
def test_leaves_never_import_each_other(leaf: str) -> None:
    others = tuple(other for other in LEAVES if other != leaf)
    assert _violations(leaf, others) == []


def test_rules_never_import_the_pipeline_that_calls_them() -> None:
    assert _violations("validator.rules", "validator.pipeline") == []


def test_catalogue_takes_no_metadata_from_the_rules() -> None:
    assert _violations("validator.catalog", ("validator.rules", "validator.pipeline")) == []


def test_loading_layers_know_nothing_of_lint_or_pipeline() -> None:
    assert _violations(LOADING, ("validator.rules", "validator.pipeline")) == []


def test_a_violation_is_seen(tmp_path: Path) -> None:
    """The parser itself: a function-level relative import in a rule module is found."""
    rules = tmp_path / "validator" / "rules"
    rules.mkdir(parents=True)
    bad = rules / "bad.py"
    bad.write_text("def f():\n    from ..pipeline import Options\n    import validator.runner.cli\n", encoding="utf-8")
    assert _imports(bad, tmp_path / "validator") == {"validator.pipeline", "validator.pipeline.Options", "validator.runner.cli"}


def test_rules_report_only_on_the_documents_being_checked() -> None:
    """A rule loops over ``ctx.runbooks``/``ctx.policies``/``ctx.sources`` (the files given), never
    over ``ctx.repo``'s lists, which also hold the runbook tree loaded around a file checked alone.
    Looking something up in ``ctx.repo`` (a comprehension) is how a rule sees that context."""
    offenders = []
    for path in sorted((PACKAGE / "rules").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.For) and ast.unparse(node.iter).startswith(
                    ("ctx.repo.runbooks", "ctx.repo.policies", "ctx.repo.sources")):
                offenders.append(f"{path.name}:{node.lineno}: for ... in {ast.unparse(node.iter)}")
    assert offenders == []

"""``when:`` conditions: a small, safe expression language (never ``eval``).

Examples::

    severity in [P0, P1]
    inputs.kind == 'ddos' and not inputs.dry_run
    outputs.replica_lag > 30 or outputs.status matches '^degraded'
    steps.check-db.status == 'failed' and steps.primary-recoverable.answer == 'yes'

Names are ``severity``, ``service``, ``drill``, ``inputs.NAME``, ``outputs.NAME`` (captured by
earlier steps) and ``steps.ID.status`` (done, failed, skipped, undone), ``steps.ID.answer`` (a
decision's answer) and ``steps.ID.exit_code`` of a step that ran before; a step that has not run
has none of them.  Any other bare word is text, so ``P1`` needs no quotes.
Operators: ``== != < <= > >= in``, ``not in``, ``matches`` (regular expression),
``and``, ``or``, ``not`` and parentheses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

ROOTS = ("severity", "service", "drill")
NAMESPACES = ("inputs", "outputs")
STEP_FIELDS = ("status", "answer", "exit_code")
_TOKEN = re.compile(r"""\s*(?:(?P<num>-?\d+(?:\.\d+)?)(?![\w.-])|(?P<str>'[^']*'|"[^"]*")|(?P<op>==|!=|<=|>=|<|>|\(|\)|\[|\]|,)
                        |(?P<word>[A-Za-z_][\w.-]*))""", re.X)
_COMPARE = ("==", "!=", "<", "<=", ">", ">=", "in", "not in", "matches")


class ConditionError(ValueError):
    """The condition cannot be parsed; the message says where."""


@dataclass(frozen=True)
class Ref:
    """A name to look up at run time, e.g. ``inputs.region``."""

    parts: tuple[str, ...]

    def __str__(self) -> str:
        return ".".join(self.parts)


Node = Any  # ("and", a, b) | ("or", a, b) | ("not", a) | (op, left, right) | Ref | literal | list


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[tuple[str, str]] = []
        pos = 0
        while pos < len(text):
            if text[pos:].strip() == "":
                break
            match = _TOKEN.match(text, pos)
            if match is None or match.end() == pos:
                start = len(text) - len(text[pos:].lstrip())
                raise ConditionError(f"cannot read {text[start:start + 20]!r} at character {start + 1}")
            kind = match.lastgroup or ""
            self.tokens.append((kind, match.group(kind)))
            pos = match.end()
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        if tok is None:
            raise ConditionError("the condition ends too early")
        self.i += 1
        return tok

    def word(self, value: str) -> bool:
        tok = self.peek()
        if tok is not None and tok[0] in ("word", "op") and tok[1] == value:
            self.i += 1
            return True
        return False

    def parse(self) -> Node:
        if not self.tokens:
            raise ConditionError("the condition is empty")
        node = self.or_()
        if self.peek() is not None:
            raise ConditionError(f"unexpected {self.peek()[1][:30]!r}")  # type: ignore[index]
        return node

    def or_(self) -> Node:
        node = self.and_()
        while self.word("or"):
            node = ("or", node, self.and_())
        return node

    def and_(self) -> Node:
        node = self.not_()
        while self.word("and"):
            node = ("and", node, self.not_())
        return node

    def not_(self) -> Node:
        if self.word("not"):
            return ("not", self.not_())
        return self.compare()

    def compare(self) -> Node:
        left = self.operand()
        tok = self.peek()
        if tok is None:
            return left
        if tok[1] == "not" and self.i + 1 < len(self.tokens) and self.tokens[self.i + 1][1] == "in":
            self.i += 2
            return ("not in", left, self.operand())
        if tok[1] in _COMPARE:
            self.i += 1
            right = self.operand()
            if tok[1] == "matches" and isinstance(right, str):
                try:
                    re.compile(right)
                except re.error as err:
                    raise ConditionError(f"{right[:30]!r} is not a valid regular expression: {err}") from None
            return (tok[1], left, right)
        return left

    def operand(self) -> Node:
        kind, value = self.take()
        if value == "(" and kind == "op":
            node = self.or_()
            if not self.word(")"):
                raise ConditionError("missing ')'")
            return node
        if value == "[" and kind == "op":
            items: list[Any] = []
            if self.word("]"):
                return items
            while True:
                items.append(self.operand())
                if self.word("]"):
                    return items
                if self.peek() is None:
                    raise ConditionError("missing ']' at the end of the list")
                if not self.word(","):
                    raise ConditionError("expected ',' or ']' in a list")
        if kind == "num":
            return float(value) if "." in value else int(value)
        if kind == "str":
            return value[1:-1]
        if kind == "word":
            if value in ("true", "false"):
                return value == "true"
            head = value.split(".")[0]
            if head in NAMESPACES:
                if value.count(".") != 1 or not value.split(".")[1]:
                    raise ConditionError(f"'{value}': write {head}.NAME")
                return Ref(tuple(value.split(".")))
            if head == "steps":
                step_id, _, what = value[len("steps."):].rpartition(".")
                if not value.startswith("steps.") or not step_id or what not in STEP_FIELDS:
                    raise ConditionError(f"'{value}': write steps.ID.status, steps.ID.answer or steps.ID.exit_code")
                return Ref(("steps", step_id, what))
            if value in ROOTS:
                return Ref((value,))
            if value in ("and", "or", "not", "in", "matches"):
                raise ConditionError(f"'{value}' needs something before it")
            return value
        raise ConditionError(f"unexpected {value[:30]!r}")


@lru_cache(maxsize=4096)
def parse(text: str) -> Node:
    """Parse a condition, raising :class:`ConditionError` with a readable message.

    Cached: a drill evaluates the same few conditions at every step it passes, and the parsed
    form is never changed by :func:`evaluate`."""
    return _Parser(text).parse()


def references(node: Node) -> list[Ref]:
    """Every name the condition looks up, for lint rules that check they exist."""
    if isinstance(node, Ref):
        return [node]
    if isinstance(node, tuple):
        return [r for child in node[1:] for r in references(child)]
    if isinstance(node, list):
        return [r for child in node for r in references(child)]
    return []


def compared(node: Node) -> list[tuple[Ref, list[Any]]]:
    """Each name compared with literal values (``steps.x.answer in [a, b]`` → (Ref, [a, b])), so
    checks can tell a value the name can never take."""
    if not isinstance(node, tuple):
        return []
    if node[0] in ("and", "or", "not"):
        return [pair for child in node[1:] for pair in compared(child)]
    if node[0] == "matches":
        return []
    left, right = node[1], node[2]
    out: list[tuple[Ref, list[Any]]] = []
    for name, other in ((left, right), (right, left)):
        if isinstance(name, Ref) and not isinstance(other, Ref | tuple):
            values = other if isinstance(other, list) else [other]
            out.append((name, [v for v in values if not isinstance(v, Ref | tuple | list)]))
    return out


def evaluate(node: Node, context: dict[str, Any]) -> bool:
    """Evaluate against ``{"severity": ..., "inputs": {...}, "outputs": {...}, "steps": {ID: {...}}}``;
    unknown names are None."""
    return bool(_value(node, context))


def _value(node: Node, ctx: dict[str, Any]) -> Any:
    if isinstance(node, Ref):
        value: Any = ctx
        for part in node.parts:
            value = value.get(part) if isinstance(value, dict) else None
        return value
    if isinstance(node, list):
        return [_value(n, ctx) for n in node]
    if not isinstance(node, tuple):
        return node
    op = node[0]
    if op == "and":
        return _value(node[1], ctx) and _value(node[2], ctx)
    if op == "or":
        return _value(node[1], ctx) or _value(node[2], ctx)
    if op == "not":
        return not _value(node[1], ctx)
    left, right = _value(node[1], ctx), _value(node[2], ctx)
    if op in ("in", "not in"):
        items = right if isinstance(right, list) else [right]
        found = any(_equal(left, item) for item in items)
        return found if op == "in" else not found
    if op == "matches":
        try:
            return left is not None and re.search(str(right), str(left)) is not None
        except re.error:  # a pattern taken from a captured output at run time; a literal one is checked when parsed
            return False
    if op == "==":
        return _equal(left, right)
    if op == "!=":
        return not _equal(left, right)
    a, b = _number(left), _number(right)
    if a is None or b is None:
        return False
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return str(a).lower() == str(b).lower()
    na, nb = _number(a), _number(b)
    if na is not None and nb is not None:
        return na == nb
    return str(a) == str(b) if a is not None and b is not None else a is b


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None

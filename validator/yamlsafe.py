"""Safe YAML loading that refuses what YAML silently gets wrong.

Runbooks are read with LibYAML (``CSafeLoader``) for speed, with a resolver closer to
YAML 1.2: ``no``/``on``/``yes``/``off`` stay strings, ``1:30`` is not 90, ``0755`` is not
octal, dates stay text.  Because other YAML tools still read those the 1.1 way, each
such plain scalar is reported so the author quotes it.  Duplicate keys, non-string keys, explicit tags,
alias bombs, deep nesting, tabs, non-UTF-8 bytes and oversized files are refused with a
located message.  Nothing here constructs arbitrary objects.

Positions are recorded only for problems found while loading; the full node tree with
every position is built later, and only for a file that has something to report
(see :mod:`validator.locate`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from validator.findings import Finding, Severity, clip

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
MAX_EXPANDED_NODES = 200_000

TRAP_BOOL = "tag:runbook,2026:yaml11-bool"
TRAP_SEXAGESIMAL = "tag:runbook,2026:yaml11-sexagesimal"
TRAP_OCTAL = "tag:runbook,2026:yaml11-octal"

_TRAP_TEXT = {
    TRAP_BOOL: ("Y003", "'{v}' is a boolean in YAML 1.1 but text here",
                "quote it ('{v}') if you mean text, or write true/false"),
    TRAP_SEXAGESIMAL: ("Y004", "'{v}' is a base-60 number in YAML 1.1 but text here",
                       "quote it ('{v}'); for a duration write 1m30s"),
    TRAP_OCTAL: ("Y005", "'{v}' has a leading zero: octal in YAML 1.1, decimal in YAML 1.2",
                 "quote it ('{v}') or drop the leading zero"),
}

_DEEP_LINE = re.compile(r"^ {128,}\S", re.M)
_DEEP_MARKERS = re.compile(r"[-?](?: +[-?]){15} ")  # sixteen "- " list or "? " key markers in a row
_WIDE_INDENT = " " * 128
_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


class _Loader(yaml.CSafeLoader):
    """LibYAML parser with a YAML 1.2-like resolver and loud traps for the YAML 1.1 surprises."""

    yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012 - replaces the inherited YAML 1.1 table

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.problems: list[tuple[yaml.Node, str, str, str]] = []

    # LibYAML calls resolve() and construct_object() once per node from Python; they are most
    # of the load time, so both skip generic work this loader never needs.

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        """``BaseResolver.resolve`` for a table without path resolvers: dict lookups, no list copies."""
        if self.yaml_path_resolvers:
            return str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]
        if kind is yaml.ScalarNode:
            if implicit[0]:
                tag: str
                table = self.yaml_implicit_resolvers
                for tag, regexp in table.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
                for tag, regexp in table.get(None, ()):
                    if regexp.match(value):
                        return tag
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """Plain text (most of a runbook) is its own value; other plain data takes the generic path.

        A tag the resolver cannot have produced was written explicitly (``!!binary``, ``!!set``,
        ``!!int abc``, ``!foo``): it is reported and the node read as the plain text, list or
        mapping it is written as, so nothing but plain data ever reaches the checks.
        """
        tag = node.tag
        if tag == _STR and node.__class__ is yaml.ScalarNode:
            return node.value
        kind, pattern = _TAGS.get(tag, _UNKNOWN)
        if node.__class__ is not kind or (pattern is not None and pattern.match(node.value) is None):
            return self.construct_untagged(node)
        return super().construct_object(node, deep=deep)

    def construct_untagged(self, node: yaml.Node) -> Any:
        """Report an explicit tag and read the node as if it had none (memoised, so aliases stay cheap)."""
        if node in self.constructed_objects:
            return self.constructed_objects[node]
        shown = clip("!!" + node.tag[len(_CORE):] if node.tag.startswith(_CORE) else node.tag)
        if node.tag in _TAGS and isinstance(node, yaml.ScalarNode):
            message = f"the tag '{shown}' does not fit the value {clip(str(node.value))!r}"
        elif node.tag in _TAGS:
            message = f"the tag '{shown}' does not fit a {'list' if isinstance(node, yaml.SequenceNode) else 'mapping'}"
        else:
            message = f"the tag '{shown}' is not supported: a runbook holds only text, numbers, true/false, lists and mappings"
        self.problems.append((node, "Y013", message, "remove the tag; quote the value if it is text"))
        value: Any
        if isinstance(node, yaml.SequenceNode):
            value = self.constructed_objects[node] = []
            value.extend(self.construct_object(child, deep=True) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            value = self.constructed_objects[node] = {}
            value.update(self.construct_mapping(node, deep=True))
        else:
            value = self.constructed_objects[node] = str(node.value)
        return value

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str):
                # reported here once; leaving the key out spares the schema check a second, vaguer message
                self.problems.append((key_node, "Y014", _key_text(key_node, key), "quote the key"))
                continue
            if key in mapping:
                self.problems.append((key_node, "Y002", f"duplicate key '{clip(key)}'",
                                      "a key may appear once per mapping; YAML would silently keep the last one"))
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_trap(self, node: yaml.ScalarNode) -> str:
        rule, message, hint = _TRAP_TEXT[node.tag]
        value = str(node.value)
        self.problems.append((node, rule, message.format(v=value), hint.format(v=value)))
        return value


def _key_text(node: yaml.Node, key: Any) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "a key is a list, not text"
    if isinstance(node, yaml.MappingNode):
        return "a key is a mapping, not text"
    kind = "true or false" if isinstance(key, bool) else "empty (null)" if key is None else "a number"
    return f"key {clip(str(node.value) or '(empty)')} is {kind}, not text"


_CORE = "tag:yaml.org,2002:"
#: Every tag the resolver produces, with the node kind it applies to and, for scalars, the form the
#: value must have; a node tagged otherwise was tagged by hand.
_TAGS: dict[str, tuple[type[yaml.Node], re.Pattern[str] | None]] = {
    _STR: (yaml.ScalarNode, None), _SEQ: (yaml.SequenceNode, None), _MAP: (yaml.MappingNode, None)}
_UNKNOWN: tuple[type[yaml.Node] | None, None] = (None, None)


def _resolver(tag: str, pattern: str, first: str) -> None:
    regexp = re.compile(pattern, re.X)
    _Loader.add_implicit_resolver(tag, regexp, list(first))
    _TAGS[tag] = (yaml.ScalarNode, regexp)


_Loader.add_constructor(TRAP_BOOL, _Loader.construct_trap)
_Loader.add_constructor(TRAP_SEXAGESIMAL, _Loader.construct_trap)
_Loader.add_constructor(TRAP_OCTAL, _Loader.construct_trap)
_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_yaml_map)  # type: ignore[type-var]
_resolver("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF")
_resolver(TRAP_BOOL, r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$", "yYnNoO")
_resolver(TRAP_SEXAGESIMAL, r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$", "-+0123456789")
_resolver(TRAP_OCTAL, r"^[-+]?0[0-9_]+$", "-+0")
_resolver("tag:yaml.org,2002:int", r"^(?:[-+]?(?:0|[1-9][0-9]*)|0x[0-9a-fA-F]+|0o[0-7]+)$", "-+0123456789")
_resolver("tag:yaml.org,2002:float",
          r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
          "-+0123456789.")
_resolver("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""])  # type: ignore[arg-type]


class Composer(yaml.CSafeLoader):
    """The same resolver, used to build the positioned node tree on demand."""

    yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


@dataclass
class Loaded:
    """What the loader made of one file: the data (None when unreadable) and the problems found."""

    text: str
    data: Any
    findings: list[Finding] = field(default_factory=list)



_TYPE_NAMES = {"list": "a list", "str": "text", "int": "a number", "float": "a number", "bool": "true or false"}


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _finding(path: str, line: int, col: int, rule: str, message: str, hint: str = "") -> Finding:
    return Finding(path, line, col, rule, Severity.ERROR, message, hint)


def decode(path: str, raw: bytes) -> tuple[str | None, list[Finding]]:
    """Bytes to text, refusing binary data, oversized files and anything that is not UTF-8."""
    if len(raw) > MAX_BYTES:
        return None, [_finding(path, 0, 0, "Y007", f"file is {len(raw):,} bytes, more than the {MAX_BYTES:,}-byte limit",
                               "split it: a runbook this large is too long to follow during an incident")]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [_finding(path, 1, 1, "Y006", "the file is UTF-16 text", "save the file as UTF-8")]
    nul = raw.find(b"\0")
    if nul >= 0:
        before = raw[:nul].decode("utf-8", "replace")
        line, col = _position(before, len(before))
        return None, [_finding(path, line, col, "Y012", "binary data (a NUL byte): this is not a YAML text file", "")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line, col = _position(raw[: err.start].decode("utf-8", "replace"), len(raw[: err.start].decode("utf-8", "replace")))
        return None, [_finding(path, line, col, "Y006", f"byte 0x{raw[err.start]:02x} is not valid UTF-8",
                               "save the file as UTF-8")]
    return text, []


def _looks_deep(text: str) -> bool:
    """Indentation of 128 columns or sixteen list or key markers in a row (``- - -``, ``? ? ?``, each nests
    one level); substring tests first, since regex scans are slow."""
    wide = text.startswith(_WIDE_INDENT) or "\n" + _WIDE_INDENT in text
    markers = "- " in text or "? " in text
    return bool(wide and _DEEP_LINE.search(text)) or (markers and _DEEP_MARKERS.search(text) is not None)


def _first_alias(text: str) -> int:
    """Offset of the first ``*`` that YAML could read as an alias (after space, start, ``[{,:-``), or -1.

    A plain loop over the few ``*`` in a file is much faster than a regular expression
    that has to try every position.
    """
    at = text.find("*")
    while at >= 0:
        before = text[at - 1] if at else "\n"
        after = text[at + 1] if at + 1 < len(text) else ""
        if (before.isspace() or before in "[{,:-") and after and not after.isspace() and after not in ",]}":
            return at
        at = text.find("*", at + 1)
    return -1


def _depth_problem(path: str, text: str) -> Finding | None:
    """Refuse nesting deeper than MAX_DEPTH before LibYAML's recursive composer can overflow the C stack.

    Only files that could plausibly be that deep are scanned, with the event API, which
    keeps its own stack. Newer LibYAML builds (PyYAML 6.0.4 on) stop at 1,000 levels with
    an error of their own, raised while the scanner looks ahead and so before the event
    that crosses our limit is seen; the text before that error is scanned again, so our
    finding (Y009, where the 65th level opens) answers on every supported version.
    """
    if text.count("[") + text.count("{") <= 256 and not _looks_deep(text):
        return None
    found, stopped_at = _scan_depth(path, text)
    if found is None and stopped_at is not None and 0 < stopped_at < len(text):
        found, _ = _scan_depth(path, text[:stopped_at])
    return found


def _scan_depth(path: str, text: str) -> tuple[Finding | None, int | None]:
    """The Y009 finding if events nest past MAX_DEPTH, else the offset where the parser gave up (or None)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
                    return _finding(path, line, col, "Y009",
                                    f"nesting deeper than {MAX_DEPTH} levels", "flatten the structure"), None
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        return None, (mark.index if mark is not None else None)  # the real load reports the syntax error
    except yaml.YAMLError:
        return None, None
    return None, None


def _expanded_size(data: Any, limit: int) -> int:
    """Count nodes as a consumer would see them once aliases are expanded, giving up past ``limit``.

    Sizes are memoised per object, so the count costs the number of distinct nodes even
    for a billion-laughs document.
    """
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()

    def size(obj: Any) -> int:
        if not isinstance(obj, (dict, list)):
            return 1
        key = id(obj)
        if key in sizes:
            return sizes[key]
        if key in in_progress:
            return limit + 1  # a recursive alias expands forever
        in_progress.add(key)
        children = obj.values() if isinstance(obj, dict) else obj
        total = 1
        for child in children:
            total += size(child)
            if total > limit:
                break
        in_progress.discard(key)
        sizes[key] = total
        return total

    return size(data)


def load_text(path: str, text: str) -> Loaded:
    """Parse one document from ``text``; every problem comes back as a located finding."""
    deep = _depth_problem(path, text)
    if deep is not None:
        return Loaded(text, None, [deep])
    loader = _Loader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        tab = _indenting_tab(text, line)
        if tab is not None:
            return Loaded(text, None, [_finding(path, *tab, "Y008", "tab character in indentation",
                                                "YAML indents with spaces only; replace the tab with spaces")])
        problem = err.problem or err.context or "invalid YAML"
        if "expected a single document" in str(err.context):
            problem = "more than one YAML document in the file"
        elif problem == "found undefined alias" and mark is not None:
            name = re.match(r"\*?([^\s,\[\]{}]*)", text[mark.index:mark.index + 80]) if mark.index is not None else None
            problem += f" '*{name.group(1)}': define the anchor (&{name.group(1)}) before using it" if name else ""
        elif err.context and "next token" not in err.context and err.context_mark is not None and err.context_mark is not mark:
            problem += f" ({err.context} on line {err.context_mark.line + 1})"
            if mark is not None and mark.line >= text.count("\n") and err.context_mark.line < mark.line:
                line, col = err.context_mark.line + 1, err.context_mark.column + 1
        return Loaded(text, None, [_finding(path, line, col, "Y001", f"YAML syntax: {problem}", _syntax_hint(problem))])
    except yaml.reader.ReaderError as err:  # a character YAML does not allow (most control characters)
        line, col = _position(text, min(max(err.position, 0), len(text)))
        shown = f"U+{err.character:04X}" if isinstance(err.character, int) else repr(err.character)
        return Loaded(text, None, [_finding(path, line, col, "Y001", f"YAML syntax: the character {shown} is not allowed",
                                            "remove it, or write it as an escape (\\t, \\x1b) in a double-quoted string")])
    except UnicodeEncodeError as err:  # a lone surrogate: only text built in memory can hold one
        line, col = _position(text, err.start)
        return Loaded(text, None, [_finding(path, line, col, "Y006", "a lone surrogate is not valid Unicode text",
                                            "save the file as UTF-8")])
    except yaml.YAMLError as err:
        first = (str(err).strip().splitlines() or ["invalid YAML"])[0]
        return Loaded(text, None, [_finding(path, 1, 1, "Y001", f"YAML syntax: {clip(first, 120)}")])
    finally:
        loader.dispose()
    findings = [_finding(path, node.start_mark.line + 1, node.start_mark.column + 1, rule, message, hint)
                for node, rule, message, hint in loader.problems]
    alias = _first_alias(text)
    if alias >= 0 and _expanded_size(data, MAX_EXPANDED_NODES) > MAX_EXPANDED_NODES:
        line, col = _position(text, alias)
        return Loaded(text, None, [*findings, _finding(
            path, line, col, "Y010",
            f"aliases expand to more than {MAX_EXPANDED_NODES:,} nodes (an alias bomb) or refer to themselves",
            "use anchors and aliases sparingly, for whole values")])
    if data is None:
        findings.append(_finding(path, 1, 1, "Y011", "the file is empty", "start from `runbook new ID`"))
    elif not isinstance(data, dict):
        shown = _TYPE_NAMES.get(type(data).__name__, type(data).__name__)
        findings.append(_finding(path, 1, 1, "Y011", f"the top level is {shown}, not a mapping",
                                 "a runbook or policy is a mapping that starts with `version: 1` and `kind:`"))
    return Loaded(text, data if isinstance(data, dict) else None, findings)


def _indenting_tab(text: str, error_line: int) -> tuple[int, int] | None:
    """The tab in leading whitespace on or just before the line where parsing failed, if any.

    Tabs are fine inside text (a heredoc in a ``run: |`` block), so a tab is only blamed
    when the parser has already failed next to it.
    """
    if "\t" not in text:
        return None
    lines = text.split("\n")
    for number in (error_line, error_line - 1):
        if 0 < number <= len(lines):
            match = re.match(r"[ ]*\t", lines[number - 1])
            if match is not None:
                return number, match.end()
    return None


def _syntax_hint(problem: str) -> str:
    if "tab" in problem:
        return "YAML indents with spaces only"
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' must be quoted"
    if "found character" in problem and "cannot start any token" in problem:
        return "quote the value: it starts with a character YAML reserves (@, `, %, |, >)"
    return ""


def load_bytes(path: str, raw: bytes) -> Loaded:
    """Decode then parse; the entry point for files read from disk."""
    text, problems = decode(path, raw)
    if text is None:
        return Loaded("", None, problems)
    return load_text(path, text)


def depth_problem(path: str, text: str) -> Finding | None:
    """The nesting guard on its own, for other YAML files read with the same parser (alert rule files)."""
    return _depth_problem(path, text)

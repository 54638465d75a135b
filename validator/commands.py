"""What a step's shell text refers to and what it would do to the system: ``${name}``
references, commands that destroy data or availability, commands that change state, and
commands that never exit.

The text is read as shell (:mod:`validator.shell`): only a word in command position is a
command, so ``echo 'next: kubectl delete pod web-1'`` runs ``echo`` and ``grep -c "DROP TABLE"``
runs ``grep``.  Wrappers are looked through (``sudo``, ``env``, ``timeout``, ``xargs``,
``nohup``, ``ssh host '…'``, ``bash -c '…'``, ``kubectl exec … --``, ``find -exec``), and SQL
counts only where a database client reads it (``psql -c``, ``mysql -e``, a here-document,
``echo … | psql``).  What each tool's destructive verbs are is data:
``command_catalogue.yaml``.  Pure text analysis shared by the lint rules and the runner's
pre-flight check; it never runs anything.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from validator import shell
from validator.command_catalogue import Catalogue, Entry, load
from validator.shell import Command, Word

REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")

_CACHE = 1 << 16

# program -> (options that take a value, positional words before the wrapped command)
_WRAPPERS: dict[str, tuple[frozenset[str], int]] = {
    name: (frozenset(values), skip) for name, values, skip in (
        ("sudo", ("-u", "-g", "-h", "-p", "-C", "-D", "-U", "-r", "-t", "--user", "--group", "--host", "--prompt"), 0),
        ("doas", ("-u", "-C"), 0),
        ("env", ("-u", "-C", "-S", "--unset", "--chdir", "--split-string"), 0),
        ("nohup", (), 0), ("time", (), 0), ("command", (), 0), ("exec", (), 0), ("chronic", (), 0), ("unbuffer", (), 0),
        ("stdbuf", ("-i", "-o", "-e"), 0), ("nice", ("-n", "--adjustment"), 0), ("ionice", ("-c", "-n", "-t"), 0),
        ("timeout", ("-s", "-k", "--signal", "--kill-after"), 1), ("flock", ("-w", "-E", "--timeout"), 1), ("chroot", (), 1),
        ("xargs", ("-n", "-I", "-P", "-L", "-d", "-a", "-E", "-s", "--max-args", "--max-procs", "--delimiter",
                   "--arg-file", "--replace", "--max-lines"), 0),
        ("watch", ("-n", "--interval"), 0), ("runuser", ("-u", "-g", "--user", "--group"), 0),
        ("nsenter", ("-t", "--target"), 0), ("strace", ("-e", "-o", "-p"), 0), ("parallel", (), 0),
    )
}
_SHELLS = frozenset({"sh", "bash", "zsh", "dash", "ksh", "su"})
_SSH_VALUES = frozenset({"-i", "-p", "-l", "-o", "-F", "-J", "-L", "-R", "-D", "-b", "-c", "-E", "-e", "-m", "-O", "-Q",
                         "-S", "-W", "-w", "-B"})
_EXEC_VALUES = frozenset({"-u", "-e", "-w", "--user", "--env", "--workdir", "--env-file", "-c", "--container", "-n",
                          "--namespace", "--context"})
_STATEMENT_END = re.compile(r";|$")
_SQL_INERT = re.compile(r"'(?:[^']|'')*'|\$\$.*?\$\$|--[^\n]*", re.DOTALL)  # string literals and comments
_UNBOUNDED = re.compile(r"(?i)\b(delete\s+from|update)\s+[A-Za-z_\"`][\w.\"`]*(?:\s+set\b)?")


@dataclass(frozen=True)
class Danger:
    """A command found at ``start`` of the text.  ``lasting`` is false for a disruption that passes
    by itself (restarting a database drops connections but leaves nothing to undo)."""

    what: str
    start: int
    lasting: bool = True
    end: int = -1
    shown: str = ""  # the command as the finding quotes it: `kubectl logs -f`


@lru_cache(maxsize=_CACHE)
def references(text: str) -> tuple[tuple[str, int], ...]:
    """``(name, offset)`` for every ``${name}`` the runner substitutes in ``text``."""
    return tuple((m.group(1), m.start()) for m in REFERENCE.finditer(text)) if "${" in text else ()


# -- looking through wrappers --------------------------------------------------------------------

def _after_options(words: tuple[Word, ...], values: frozenset[str], skip: int) -> int:
    """The index of the first word after the options (and ``skip`` positional words) of ``words[0]``."""
    i = 1
    while i < len(words):
        value = words[i].value
        if value == "--":
            i += 1
            break
        if not value.startswith("-") or value == "-":
            break
        i += 2 if value in values else 1
    return i + skip


def _inner(cmd: Command) -> tuple[Command, ...]:
    """The commands a wrapper runs: ``sudo X``, ``bash -c 'X'``, ``ssh host 'X'``, ``kubectl exec pod -- X``."""
    program, words = cmd.program, cmd.words
    if program in _WRAPPERS:
        values, skip = _WRAPPERS[program]
        i = _after_options(words, values, skip)
        while program == "env" and i < len(words) and "=" in words[i].value:
            i += 1
        return (Command(words[i:], cmd.stdin, cmd.piped),) if i < len(words) else ()
    if program in _SHELLS:
        for j, w in enumerate(words[1:-1], start=1):
            if re.fullmatch(r"-[a-z]*c[a-z]*", w.value) or w.value == "--command":
                return shell.parse_word(words[j + 1])
        return ()
    if program in ("ssh", "gcloud") and (program == "ssh" or "ssh" in (w.value for w in words[1:4])):
        if program == "gcloud":
            command = next((w for w in words if w.value.startswith("--command=")), None)
            return shell.parse_word(Word(command.value[10:], command.start, command.end)) if command else ()
        i = _after_options(words, _SSH_VALUES, 1)
        rest = words[i:]
        if len(rest) == 1:
            return shell.parse_word(rest[0])
        return (Command(rest),) if rest else ()
    if program in ("kubectl", "oc", "docker", "podman", "docker-compose") and any(w.value == "exec" for w in words[1:3]):
        dash = next((j for j, w in enumerate(words) if w.value == "--"), None)
        if dash is not None:
            return (Command(words[dash + 1:], cmd.stdin),) if dash + 1 < len(words) else ()
        start = next(j for j, w in enumerate(words) if w.value == "exec")
        i = _after_options((words[start], *words[start + 1:]), _EXEC_VALUES, 1) + start
        return (Command(words[i:], cmd.stdin),) if i < len(words) and program != "kubectl" else ()
    if program == "find":
        found: list[Command] = []
        for j, w in enumerate(words):
            if w.value in ("-exec", "-execdir", "-ok", "-okdir"):
                end = next((k for k in range(j + 1, len(words)) if words[k].value in (";", "+")), len(words))
                found.append(Command(words[j + 1:end]))
        return tuple(found)
    return ()


def expand(text: str) -> tuple[Command, ...]:
    """Every command ``text`` runs, wrappers and what they wrap alike."""
    return _expand(shell.parse(text))


def _expand(commands: tuple[Command, ...]) -> tuple[Command, ...]:
    out: list[Command] = []
    todo = list(commands)
    while todo:
        cmd = todo.pop(0)
        if not cmd.words:
            continue
        out.append(cmd)
        todo[:0] = _inner(cmd)
    return tuple(out)


# -- matching the catalogue ---------------------------------------------------------------------

def _split(cmd: Command, values: frozenset[str]) -> tuple[list[Word], list[Word]]:
    """(positional words, option words) of a command; the value of an option that takes one is neither."""
    positional: list[Word] = []
    options: list[Word] = []
    words = cmd.words
    i, ended = 1, False
    while i < len(words):
        w = words[i]
        if not ended and w.value == "--":
            ended = True
        elif not ended and w.value.startswith("-") and len(w.value) > 1:
            options.append(w)
            if w.value in values:
                i += 1
        else:
            positional.append(w)
        i += 1
    return positional, options


def _match(entry: Entry, positional: list[Word], options: list[Word]) -> list[Word] | None:
    """The words that make ``entry`` match, or None."""
    if entry.unless and any(u.fullmatch(o.value) for o in options for u in entry.unless):
        return None
    shown: list[Word] = []
    if entry.args:
        start = next((k for k in range(min(entry.within, len(positional))) if entry.args[0].fullmatch(positional[k].value)), None)
        if start is None:
            return None
        shown.append(positional[start])
        k = start + 1
        for pattern in entry.args[1:]:
            while k < len(positional) and not pattern.fullmatch(positional[k].value):
                k += 1
            if k == len(positional):
                return None
            shown.append(positional[k])
            k += 1
    if entry.flags:
        flag = next((o for o in options if any(f.fullmatch(o.value) for f in entry.flags)), None)
        if flag is None:
            return None
        shown.append(flag)
    return shown


def _entries(cat: Catalogue, table: str, program: str) -> Iterator[Entry]:
    index = cat.by_program[table]
    yield from index.get(program, ())
    canonical = cat.canonical.get(program, program)
    if canonical != program:
        yield from (e for e in index.get(canonical, ()) if program not in e.programs)
    yield from (e for e in cat.by_regex[table] if e.program_regex is not None and e.program_regex.fullmatch(program))


def _found(cat: Catalogue, table: str, commands: tuple[Command, ...]) -> list[Danger]:
    found: list[Danger] = []
    for cmd in commands:
        program = cmd.program
        entries = list(_entries(cat, table, program))
        if entries:
            positional, options = _split(cmd, cat.values.get(program, frozenset()))
            for entry in entries:
                words = _match(entry, positional, options)
                if words is not None:
                    shown = " ".join([program, *(w.value for w in sorted(words, key=lambda w: w.start))])
                    found.append(Danger(entry.what, cmd.words[0].start, entry.lasting, cmd.words[-1].end, shown))
    return found


def _statement_words(cat: Catalogue, cmd: Command) -> list[Word]:
    client = cat.clients[cmd.program]
    values = cat.values.get(cmd.program, frozenset())
    out: list[Word] = []
    words = cmd.words
    for i, w in enumerate(words[1:], start=1):
        if w.value in client.options and i + 1 < len(words):
            out.append(words[i + 1])
        elif "=" in w.value and w.value.split("=", 1)[0] in client.options:
            name = w.value.split("=", 1)[0]
            out.append(Word(w.value[len(name) + 1:], w.start + len(name) + 1, w.end, w.quoted))
    if client.positional:
        positional, _ = _split(cmd, values)
        if len(positional) >= client.positional:
            out.append(positional[client.positional - 1])
    if client.stdin and cmd.stdin is not None:
        out.append(cmd.stdin)
    return out


def _statements(cat: Catalogue, commands: tuple[Command, ...], table: str | None) -> list[Danger]:
    """Statement patterns of each database client's language (or of ``table``, for SQL clients only)."""
    found: list[Danger] = []
    for cmd in commands:
        client = cat.clients.get(cmd.program)
        if client is None or (table is not None and client.language != "sql"):
            continue
        patterns = cat.statements[table or client.language]
        for word in _statement_words(cat, cmd):
            code = _SQL_INERT.sub(lambda m: " " * len(m.group(0)), word.value) if client.language == "sql" else word.value
            for p in patterns:
                if p.unbounded:
                    found += [Danger(p.what, shell.offset(word, i)) for i in _unbounded(code, p.unbounded)]
                elif p.regex is not None:
                    found += [Danger(p.what, shell.offset(word, m.start())) for m in p.regex.finditer(code)]
    return found


def _unbounded(sql: str, kind: str) -> Iterator[int]:
    for m in _UNBOUNDED.finditer(sql):
        is_update = m.group(1).lower() == "update"
        if is_update != (kind == "update") or (is_update and not m.group(0).lower().endswith("set")):
            continue
        end = _STATEMENT_END.search(sql, m.end())
        statement = sql[m.end():end.start() if end else len(sql)]
        if not re.search(r"(?i)\bwhere\b", statement):
            yield m.start()


@lru_cache(maxsize=_CACHE)
def destructive(text: str) -> tuple[Danger, ...]:
    """Every command in ``text`` that may lose data or availability, in order of appearance.
    (Runbooks repeat the same commands, so results are cached by text.)"""
    commands = expand(text)
    if not commands:
        return ()
    cat = load()
    found = _found(cat, "destructive", commands) + _statements(cat, commands, None)
    return tuple(sorted(found, key=lambda d: d.start))


@lru_cache(maxsize=_CACHE)
def mutating(text: str) -> tuple[Danger, ...]:
    """Commands in ``text`` that change state someone may need to take back (a deploy, a revert,
    a copied file, an SQL write, output redirected into a file).  Starting or restarting a service
    is not one: it leaves nothing to undo."""
    commands = expand(text)
    bare = tuple(cmd for cmd in shell.parse(text) if not cmd.words and cmd.writes)  # `> file` truncates it
    if not commands and not bare:
        return ()
    cat = load()
    found = _found(cat, "mutating", commands) + _statements(cat, commands, "sql_mutating") + _writes(commands + bare)
    return tuple(sorted(found, key=lambda d: d.start))


_NOT_A_FILE = re.compile(r"/dev/(?:null|stdout|stderr|tty|fd/\d+)|&\d*-?")


def _writes(commands: tuple[Command, ...]) -> list[Danger]:
    """Output redirected into a file (``>> /etc/hosts``) changes it; ``> /dev/null`` changes nothing."""
    return [Danger("file write", w.start, end=w.end, shown=f"> {w.value}")
            for cmd in commands for w in cmd.writes if not _NOT_A_FILE.fullmatch(w.value)]


@lru_cache(maxsize=_CACHE)
def endless(text: str) -> tuple[Danger, ...]:
    """Commands in ``text`` that keep running until someone presses Ctrl-C (``tail -f``, ``top``)."""
    commands = expand(text)
    return tuple(sorted(_found(load(), "endless", commands), key=lambda d: d.start)) if commands else ()


def argv_destructive(argv: list[str]) -> tuple[Danger, ...]:
    """:func:`destructive` for a script and its arguments, as the runner passes them (no shell)."""
    return destructive(shlex.join(argv))

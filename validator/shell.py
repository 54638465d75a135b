"""Shell text read as the shell reads it: which words are commands, and what each command receives.

Lint rules ask "does this step run ``kubectl delete``?", not "does the text contain it?":
``echo 'next: kubectl delete pod web-1'`` runs ``echo``.  This tokenizer follows POSIX shell
closely enough for that question: quotes and escapes, comments, ``;`` ``&&`` ``||`` ``|`` ``&``
and newlines, subshells, ``$(…)``, backticks and process substitution (parsed as commands of
their own, even inside double quotes), redirections (their targets are not arguments), here-documents
and here-strings (fed to the command as its input), ``VAR=value`` prefixes, and the compound
commands' reserved words (``if``/``then``, ``for x in …``, ``case … in pattern)``).

It never fails: text that is not valid shell still yields the commands it can see, which is
what a linter wants from a runbook copied out of a wiki.  (A full parser such as bashlex
rejects such text outright and is an order of magnitude slower on the thousands of commands
a repository holds.)

Offsets are into the text given, so findings point at the word.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

_RESERVED_START = frozenset({"if", "then", "else", "elif", "do", "while", "until", "!", "{", "time", "fi", "done", "}", "esac"})
_OPERATOR_CHARS = ";&|()"
_ASSIGNMENT_HEAD = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")


@dataclass(frozen=True)
class Word:
    """One shell word: ``value`` with quotes removed (expansions kept as written), where it is in
    the text, and whether any part of it was quoted."""

    value: str
    start: int
    end: int
    quoted: bool = False


@dataclass(frozen=True)
class Command:
    """A simple command: its words (the program first; assignments and redirections left out), the
    text it reads on standard input when the runbook shows it (a here-document, a here-string, or
    what ``echo``/``printf`` pipe into it), and how deep it sits inside ``$(…)`` or ``bash -c``."""

    words: tuple[Word, ...]
    stdin: Word | None = None
    piped: bool = False  # standard input comes from the previous command of a pipeline
    writes: tuple[Word, ...] = ()  # targets of output redirections (> file, >> file, &> file)

    @property
    def program(self) -> str:
        """The command's name without its directory: ``kubectl`` for ``/usr/local/bin/kubectl``."""
        return self.words[0].value.rsplit("/", 1)[-1] if self.words else ""

    @property
    def args(self) -> tuple[Word, ...]:
        return self.words[1:]


@dataclass
class _Builder:
    words: list[Word] = field(default_factory=list)
    stdin: Word | None = None
    piped: bool = False
    heredocs: list[tuple[str, bool]] = field(default_factory=list)  # (delimiter, strip tabs)
    skip_next: str = ""  # "redirect" | "write" | "heredoc" | "herestring": what the next word is
    writes: list[Word] = field(default_factory=list)
    mode: str = ""  # "" | "for" (words are not commands) | "case" (up to `in`)


class _Tokenizer:
    def __init__(self, text: str, base: int, out: list[Command], comments: list[tuple[int, int]]) -> None:
        self.text = text
        self.base = base
        self.out = out
        self.comments = comments
        self.i = 0
        self.cmd = _Builder()
        self.pending: list[tuple[_Builder, int]] = []  # commands waiting for their here-document bodies, and their place
        self.case_depth = 0
        self.case_pattern = False  # inside `case … in`, before the `)` that ends a pattern

    # -- words ---------------------------------------------------------------------------------
    def run(self) -> None:
        text, n = self.text, len(self.text)
        while self.i < n:
            c = text[self.i]
            if c in " \t\r":
                self.i += 1
            elif c == "\n":
                self.end_command()
                self.i += 1
                self.read_heredocs()
            elif c == "#":
                end = text.find("\n", self.i)
                end = n if end < 0 else end
                self.comments.append((self.base + self.i, self.base + end))
                self.i = end
            elif c == "\\" and text.startswith("\\\n", self.i):
                self.i += 2
            elif c in _OPERATOR_CHARS:
                self.operator(c)
            elif c in "<>" and not text.startswith("<(", self.i) and not text.startswith(">(", self.i):
                self.redirection()
            else:
                self.word()
        self.end_command()
        self.read_heredocs()

    def word(self) -> None:
        text, n = self.text, len(self.text)
        start = self.i
        value: list[str] = []
        quoted = False
        while self.i < n:
            c = text[self.i]
            if c in " \t\r\n" or c in _OPERATOR_CHARS:
                if c == "(" and value and value[-1] == "=" and value[0] in _ASSIGNMENT_HEAD:  # arr=(a b)
                    end = self.matching(self.i + 1, "(", ")")
                    value.append(text[self.i:end])
                    self.i = end
                    continue
                break
            if c in "<>" and text.startswith("(", self.i + 1):  # process substitution
                end = self.matching(self.i + 2, "(", ")")
                self.nested(self.i + 2, end - 1)
                value.append(text[self.i:end])
                self.i = end
            elif c in "<>" and not value:
                break
            elif c in "<>" and "".join(value).isdigit():  # 2>file: the digits name a descriptor
                self.i = start
                self.redirection()
                return
            elif c in "<>":
                break
            elif c == "\\":
                value.append("" if text.startswith("\\\n", self.i) else text[self.i + 1:self.i + 2])
                self.i += 2
            elif c == "'":
                end = text.find("'", self.i + 1)
                end = n if end < 0 else end
                value.append(text[self.i + 1:end])
                quoted = True
                self.i = end + 1
            elif c == '"':
                quoted = True
                value.append(self.double_quoted())
            elif c == "$" and text.startswith("$(", self.i):
                value.append(self.substitution())
            elif c == "$" and text.startswith("${", self.i):
                end = self.matching(self.i + 2, "{", "}")
                value.append(text[self.i:end])
                self.i = end
            elif c == "`":
                value.append(self.backticks())
            else:
                value.append(c)
                self.i += 1
        self.add(Word("".join(value), self.base + start, self.base + self.i, quoted))

    def double_quoted(self) -> str:
        text, n = self.text, len(self.text)
        self.i += 1
        value: list[str] = []
        while self.i < n and text[self.i] != '"':
            c = text[self.i]
            if c == "\\" and self.i + 1 < n and text[self.i + 1] in '"\\$`\n':
                value.append(text[self.i + 1])
                self.i += 2
            elif c == "$" and text.startswith("$(", self.i):
                value.append(self.substitution())
            elif c == "`":
                value.append(self.backticks())
            else:
                value.append(c)
                self.i += 1
        self.i += 1
        return "".join(value)

    def substitution(self) -> str:
        """``$(…)`` (parsed as commands) or ``$((…))`` (arithmetic, not parsed); returns the raw text."""
        start = self.i
        if self.text.startswith("$((", start):
            self.i = self.matching(start + 2, "(", ")")
        else:
            self.i = self.matching(start + 2, "(", ")")
            self.nested(start + 2, self.i - 1)
        return self.text[start:self.i]

    def backticks(self) -> str:
        start = self.i
        end = self.text.find("`", start + 1)
        end = len(self.text) if end < 0 else end
        self.nested(start + 1, end)
        self.i = end + 1
        return self.text[start:self.i]

    def nested(self, start: int, end: int) -> None:
        _Tokenizer(self.text[start:end], self.base + start, self.out, self.comments).run()

    def matching(self, i: int, opening: str, closing: str) -> int:
        """The offset just past the ``closing`` that balances an ``opening`` before ``i``, quotes respected."""
        text, n, depth = self.text, len(self.text), 1
        while i < n:
            c = text[i]
            if c == "\\":
                i += 2
                continue
            if c == "'" and opening != "{":
                end = text.find("'", i + 1)
                i = n if end < 0 else end + 1
                continue
            if c == '"':
                j = i + 1
                while j < n and text[j] != '"':
                    j += 2 if text[j] == "\\" else 1
                i = j + 1
                continue
            if c == opening:
                depth += 1
            elif c == closing:
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1
        return n

    # -- operators, redirections, here-documents ------------------------------------------------
    def operator(self, c: str) -> None:
        text = self.text
        two = text[self.i:self.i + 2]
        if two == ";;" or two == ";&":
            self.end_command()
            self.case_pattern = self.case_depth > 0
            self.i += 3 if text.startswith(";;&", self.i) else 2
            return
        if c == ")" and self.case_pattern:
            self.cmd = _Builder()
            self.case_pattern = False
            self.i += 1
            return
        if c == "&" and text.startswith("&>", self.i):
            self.redirection()
            return
        if c == "(" and text.startswith("((", self.i):  # (( arithmetic ))
            self.end_command()
            self.i = self.matching(self.i + 2, "(", ")")
            self.i = self.i + 1 if text.startswith(")", self.i) else self.i
            return
        piped = c == "|" and two != "||"
        self.end_command()
        self.i += 2 if two in ("&&", "||", "|&") else 1
        self.cmd.piped = piped

    def redirection(self) -> None:
        text = self.text
        while self.i < len(text) and text[self.i].isdigit():
            self.i += 1
        if text.startswith("<<<", self.i):
            self.i += 3
            self.cmd.skip_next = "herestring"
        elif text.startswith("<<", self.i):
            self.i += 2
            strip = text.startswith("-", self.i)
            self.i += strip
            self.cmd.skip_next = "heredoc-" + ("strip" if strip else "keep")
        else:
            start = self.i
            self.i += 1
            while self.i < len(text) and text[self.i] in "<>&|":
                self.i += 1
            if self.i < len(text) and text[self.i - 1] == "&" and (text[self.i:self.i + 1].isdigit() or text[self.i] == "-"):
                while self.i < len(text) and (text[self.i].isdigit() or text[self.i] == "-"):
                    self.i += 1
                return  # 2>&1: no target word
            self.cmd.skip_next = "write" if ">" in text[start:self.i] else "redirect"

    def read_heredocs(self) -> None:
        text = self.text
        for builder, place in self.pending:
            for delimiter, strip in builder.heredocs:
                start = self.i
                while self.i < len(text):
                    end = text.find("\n", self.i)
                    end = len(text) if end < 0 else end
                    line = text[self.i:end]
                    if (line.lstrip("\t") if strip else line) == delimiter:
                        body = text[start:self.i]
                        self.i = min(end + 1, len(text))
                        break
                    self.i = end + 1
                else:
                    body = text[start:]
                    self.i = len(text)
                builder.stdin = Word(body, self.base + start, self.base + start + len(body), True)
            self.out[place] = Command(tuple(builder.words), builder.stdin, builder.piped, tuple(builder.writes))
        self.pending = []

    # -- commands -------------------------------------------------------------------------------
    def add(self, word: Word) -> None:
        cmd = self.cmd
        if cmd.skip_next:
            kind, cmd.skip_next = cmd.skip_next, ""
            if kind == "herestring":
                cmd.stdin = word
            elif kind == "write":
                cmd.writes.append(word)
            elif kind.startswith("heredoc"):
                cmd.heredocs.append((word.value, kind.endswith("strip")))
            return
        if self.case_pattern:
            if word.value == "esac":
                self.case_depth = max(0, self.case_depth - 1)
                self.case_pattern = False
            return
        if cmd.mode:
            if cmd.mode == "case" and word.value == "in":
                self.cmd = _Builder()
                self.case_pattern = True
            return
        if not cmd.words:
            if word.value in _RESERVED_START and not word.quoted:
                if word.value == "esac":
                    self.case_depth = max(0, self.case_depth - 1)
                return
            if word.value in ("for", "select", "case") and not word.quoted:
                cmd.mode = word.value if word.value == "case" else "for"
                self.case_depth += word.value == "case"
                return
            if "=" in word.value and word.value[0] in _ASSIGNMENT_HEAD and _is_assignment(word.value):
                return
        cmd.words.append(word)

    def end_command(self) -> None:
        cmd = self.cmd
        if cmd.mode == "for" and self.text[self.i:self.i + 1] in ";\n":
            self.cmd = _Builder()
            return
        if cmd.heredocs:
            self.pending.append((cmd, len(self.out)))
            self.out.append(Command(()))
        elif cmd.words or cmd.writes:
            self.out.append(Command(tuple(cmd.words), cmd.stdin, cmd.piped, tuple(cmd.writes)))
        if cmd.mode != "case":
            self.cmd = _Builder()


def _is_assignment(word: str) -> bool:
    name = word.split("=", 1)[0].removesuffix("+")
    return name.replace("_", "a").isalnum() and not name[0].isdigit()


@dataclass(frozen=True)
class Script:
    """Every simple command of a text, and where its comments are."""

    commands: tuple[Command, ...]
    comments: tuple[tuple[int, int], ...]


@lru_cache(maxsize=1 << 16)
def script(text: str) -> Script:
    """Every simple command in ``text``, in the order the shell would meet them (commands inside
    ``$(…)`` come before the command they are part of), with ``echo``/``printf``/``cat`` output
    piped into a command given to it as its standard input."""
    out: list[Command] = []
    comments: list[tuple[int, int]] = []
    _Tokenizer(text, 0, out, comments).run()
    return Script(tuple(_feed_pipes(out)), tuple(comments))


def parse(text: str) -> tuple[Command, ...]:
    """The commands of :func:`script`."""
    return script(text).commands


def _feed_pipes(commands: list[Command]) -> list[Command]:
    fed: list[Command] = []
    for cmd in commands:
        previous = fed[-1] if fed else None
        if cmd.piped and cmd.stdin is None and previous is not None:
            if previous.program in ("echo", "printf") and previous.args:
                words = [w for w in previous.args if not w.value.startswith("-")] or list(previous.args)
                cmd = Command(cmd.words, Word(" ".join(w.value for w in words), words[0].start, words[-1].end, True), True)
            elif previous.program == "cat" and previous.stdin is not None and len(previous.words) == 1:
                cmd = Command(cmd.words, previous.stdin, True)
        fed.append(cmd)
    return fed


def parse_word(word: Word) -> tuple[Command, ...]:
    """The commands inside a word that is itself a shell script (``bash -c '…'``, ``ssh host '…'``)."""
    shift = 1 if word.quoted and word.end - word.start == len(word.value) + 2 else 0
    out: list[Command] = []
    _Tokenizer(word.value, word.start + shift, out, []).run()
    return tuple(_feed_pipes(out))


def offset(word: Word, index: int) -> int:
    """Where character ``index`` of ``word.value`` is in the text, when quoting kept it in one piece
    (``'DROP TABLE x'``); else the word's start."""
    width = word.end - word.start
    if width == len(word.value):
        return word.start + index
    if word.quoted and width == len(word.value) + 2:
        return word.start + 1 + index
    return word.start

"""The lexer behind :func:`validator.shell_refs.analyze`: one pass over a command, with a stack of
what is open at each character (quotes, ``$( )``, backquotes, arithmetic, ``${ }``, subscripts,
here-document bodies) and, for each level of code, the words of the current simple command.

A value reaches the contexts of the levels around it only as far as it travels: an argument of
``echo`` inside ``$( )`` comes out in the enclosing word, an argument of ``wc`` does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from validator import shell_heredocs, shell_words
from validator.shell_refs import PLACEHOLDER, Heredoc, Ref

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_INTEGER_DECL = re.compile(r"\b(?:declare|typeset|local|export|readonly)\s+(?:[-+]\w+\s+)*[-+][A-Za-z]*i")
_ASSOC_DECL = re.compile(r"\b(?:declare|typeset|local|readonly)\s+(?:[-+]\w+\s+)*-[A-Za-z]*A[A-Za-z]*\s+([A-Za-z_]\w*)")
_SHELL = r"(?:sudo\s+(?:-\S+\s+)*)?(?:\S*/)?(?:(?:ba|z|k|da|a|mk)?sh|ssh)\b"
# Text fed to a shell's standard input is code: `… | bash`, `bash <<< "…"`.
_STDIN_CODE = re.compile(r"\|\s*" + _SHELL + r"|(?:^|[;&|\n(]\s*)" + _SHELL + r"[^;&|\n]*<<<")
CODE = ("code", "$(", "`", "(")


@dataclass
class _Frame:
    kind: str  # code, $(, `, ( | " ' $' | H Hq | arith | sub | param
    reparse: bool = False  # H/Hq: the body goes to a shell's standard input
    end: int = -1  # H/Hq: where the body ends;
    resume: int = -1  # and where scanning goes on after the delimiter line
    closer: str = ""  # arith: "))" or "]"
    depth: int = 0  # arith/sub: open parentheses or brackets
    why: str = ""
    offset: bool = False  # param: inside ${x:offset:length}
    name_done: bool = False  # param: the parameter's name has been read
    words: list[str] = field(default_factory=list)  # code: the current simple command
    word_refs: list[list[Ref]] = field(default_factory=list)
    cur: str = ""
    cur_refs: list[Ref] = field(default_factory=list)
    started: bool = False
    current: list[Ref] = field(default_factory=list)  # $( and `: values the current command prints
    piped: list[Ref] = field(default_factory=list)  # printed into the pipe to the current command
    escaping: list[Ref] = field(default_factory=list)  # printed into the substitution's result


class Lexer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.stack: list[_Frame] = [_Frame("code")]
        self.refs: list[Ref] = []
        self.heredocs: list[Heredoc] = []
        self.pending: list[tuple[Heredoc, bool]] = []  # (here-document, strip leading tabs)
        self.integer = _INTEGER_DECL.search(text) is not None
        self.assoc = set(_ASSOC_DECL.findall(text))
        self.stdin_code = _STDIN_CODE.search(text) is not None

    def run(self) -> tuple[list[Ref], list[Heredoc]]:
        text, i = self.text, 0
        while i < len(text):
            top = self.stack[-1]
            if top.kind in ("H", "Hq") and i >= top.end:
                self.stack.pop()
                i = top.resume
                continue
            i = self.step(top, i)
        for frame in self.code_frames():
            self.end_command(frame)
        return self.refs, self.heredocs

    # -- one character (or construct) at ``i``; returns where to go on -----------------------
    def step(self, top: _Frame, i: int) -> int:
        text, ch = self.text, self.text[i]
        kind = top.kind
        if ch == "$" and (m := PLACEHOLDER.match(text, i)):
            self.reference(m.group(1), i, m.end())
            return m.end()
        if kind in ("'", "Hq"):
            if kind == "'" and ch == "'":
                self.stack.pop()
            return i + 1
        if ch == "\\":
            self.note_word("\\" + text[i + 1:i + 2])
            return i + 2
        if kind == "$'":
            if ch == "'":
                self.stack.pop()
            return i + 1
        if ch == "$":
            return self.dollar(i)
        if ch == "`":
            if kind == "`":
                self.close_substitution(top)
                return i + 1
            self.note_word("`")
            self.stack.append(_Frame("`"))
            return i + 1
        if kind == '"':
            if ch == '"':
                self.stack.pop()
            return i + 1
        if kind == "H":
            return i + 1
        if ch in "'\"" and kind != "arith":
            self.note_word(ch)
            self.stack.append(_Frame(ch))
            return i + 1
        if kind == "arith":
            return self.arith(top, i)
        if kind == "sub":
            return self.subscript(top, i)
        if kind == "param":
            return self.param(top, i)
        return self.code(top, i)

    def dollar(self, i: int) -> int:
        text = self.text
        if text.startswith("$((", i):
            self.note_word("$((")
            self.stack.append(_Frame("arith", closer="))", why="$(( ))"))
            return i + 3
        if text.startswith("$(", i):
            self.note_word("$(")
            self.stack.append(_Frame("$("))
            return i + 2
        if text.startswith("$[", i):
            self.note_word("$[")
            self.stack.append(_Frame("arith", closer="]", why="$[ ]"))
            return i + 2
        if text.startswith("${", i):
            self.note_word("${")
            self.stack.append(_Frame("param"))
            return i + 2
        if text.startswith("$'", i) and self.stack[-1].kind not in ('"', "H"):
            self.note_word("$'")
            self.stack.append(_Frame("$'"))
            return i + 2
        self.note_word("$")
        return i + 1

    def arith(self, top: _Frame, i: int) -> int:
        ch = self.text[i]
        if top.depth == 0 and self.text.startswith(top.closer, i):
            self.stack.pop()
            return i + len(top.closer)
        if ch in "([":
            top.depth += 1
        elif ch in ")]" and top.depth:
            top.depth -= 1
        elif ch in "'\"":
            self.stack.append(_Frame(ch))
        return i + 1

    def subscript(self, top: _Frame, i: int) -> int:
        ch = self.text[i]
        if ch == "[":
            top.depth += 1
        elif ch == "]":
            if top.depth == 0:
                self.stack.pop()
            else:
                top.depth -= 1
        elif ch in "'\"":
            self.stack.append(_Frame(ch))
        return i + 1

    def param(self, top: _Frame, i: int) -> int:
        text, ch = self.text, self.text[i]
        if ch == "}":
            self.stack.pop()
            return i + 1
        if not top.name_done:
            m = re.compile(r"[#!]?(?:[A-Za-z_]\w*|[0-9@*#?$!-])").match(text, i)
            top.name_done = True
            if m is not None:
                name = m.group(0).lstrip("#!") or m.group(0)
                end = m.end()
                if text.startswith("[", end):
                    self.stack.append(_Frame("sub", why="" if name in self.assoc else "an array subscript"))
                    return end + 1
                if text.startswith(":", end) and text[end + 1:end + 2] not in ("-", "=", "?", "+"):
                    top.offset = True
                    top.why = "${x:offset:length}"
                    return end + 1
                return end
            return i
        if ch in "'\"":
            self.stack.append(_Frame(ch))
        return i + 1

    def code(self, top: _Frame, i: int) -> int:
        text, ch = self.text, self.text[i]
        if ch == ")" and top.kind in ("$(", "("):
            self.close_substitution(top)
            return i + 1
        if ch == "#" and not top.started and (i == 0 or text[i - 1] in " \t\n;&|()"):
            end = text.find("\n", i)
            return len(text) if end < 0 else end
        if ch in " \t":
            self.end_word(top)
            return i + 1
        if ch == "\n":
            self.end_command(top)
            if self.pending:
                return self.bodies(i + 1)
            return i + 1
        if text.startswith("<<", i) and not text.startswith("<<<", i):
            return self.heredoc(top, i)
        if ch in "&|()<>" and shell_words.in_test(top.words):
            self.end_word(top)
            op = text[i:i + 2] if text[i:i + 2] in ("&&", "||") else ch
            top.cur, top.started = op, True
            self.end_word(top)
            return i + len(op)
        if ch in ";&|":
            self.end_command(top, pipe=ch == "|" and not text.startswith("||", i))
            return i + (2 if text.startswith(("||", "&&", "|&", ";;"), i) else 1)
        if ch == "(":
            if text.startswith("((", i) and not top.started:
                self.stack.append(_Frame("arith", closer="))", why="(( ))"))
                return i + 2
            self.end_command(top)
            self.stack.append(_Frame("("))
            return i + 1
        if not top.started and (m := _NAME.match(text, i)) and text.startswith("[", m.end()):
            top.cur, top.started = m.group(0) + "[", True
            self.stack.append(_Frame("sub", why="" if m.group(0) in self.assoc else "an array subscript"))
            return m.end() + 1
        top.cur += ch
        top.started = True
        return i + 1

    # -- words and commands ------------------------------------------------------------------
    def code_frames(self) -> list[_Frame]:
        return [f for f in self.stack if f.kind in CODE]

    def note_word(self, text: str) -> None:
        top = self.stack[-1]
        if top.kind in CODE:
            top.cur += text
            top.started = True

    def end_word(self, frame: _Frame) -> None:
        if not frame.started:
            return
        frame.words.append(frame.cur)
        frame.word_refs.append(frame.cur_refs)
        frame.cur, frame.cur_refs, frame.started = "", [], False
        if frame.words[-1] == "]]":
            shell_words.resolve_test(frame.words, frame.word_refs)

    def end_command(self, frame: _Frame, pipe: bool = False) -> None:
        self.end_word(frame)
        carried = frame.current + (frame.piped if shell_words.passes_through(frame.words) else [])
        if pipe:
            frame.piped = carried
        else:
            frame.escaping += carried
            frame.piped = []
        frame.current = []
        frame.words, frame.word_refs = [], []

    def close_substitution(self, frame: _Frame) -> None:
        """``$(…)`` or a backquote closes: what it printed lands in the enclosing word."""
        self.end_command(frame)
        self.stack.pop()
        for ref in frame.escaping:
            self.walk(ref, len(self.stack) - 1)

    def walk(self, ref: Ref, index: int) -> None:
        """Apply the contexts from ``stack[index]`` outwards, as far as the value itself travels."""
        for frame in reversed(self.stack[:index + 1]):
            if (frame.kind in ("arith", "sub") and frame.why) or (frame.kind == "param" and frame.offset):
                ref.evaluated("number", frame.why)
            elif frame.kind in CODE:
                frame.cur_refs.append(ref)
                shell_words.place(ref, frame.words, frame.cur, frame.started)
                if frame.kind in ("$(", "`") and shell_words.echoes(frame.words):
                    frame.current.append(ref)  # decided when the command or the substitution ends
                return

    def reference(self, name: str, start: int, end: int) -> None:
        top = self.stack[-1]
        quote = {'"': '"', "'": "'", "$'": "'", "H": "H", "Hq": "Hq"}.get(top.kind, "")
        if top.kind == "param":
            below = self.stack[-2].kind
            quote = '"' if below in ('"', "H") else ""
        ref = Ref(name, start, end, quote)
        self.refs.append(ref)
        if self.stdin_code or any(f.reparse for f in self.stack) or any(
                shell_words.reparsed(f.words) for f in self.code_frames()):
            ref.reparse = True
        if self.integer:
            ref.evaluated("number", "a command that declares an integer variable (declare -i)")
        self.walk(ref, len(self.stack) - 1)
        if top.kind in CODE:
            top.cur += text_marker(name)
            top.started = True

    # -- here-documents ----------------------------------------------------------------------
    def heredoc(self, top: _Frame, i: int) -> int:
        doc, strip, end = shell_heredocs.operator(self.text, i)
        words = top.words[shell_words.head(top.words):]
        doc.reparse = (bool(words) and shell_words.base(words[0]) in shell_words.SHELLS | {"ssh"}) or \
            shell_words.reparsed(top.words)
        self.heredocs.append(doc)
        self.pending.append((doc, strip))
        top.cur += self.text[i:end]
        top.started = True
        return end

    def bodies(self, i: int) -> int:
        """The bodies of the pending here-documents start at ``i``; push one frame for each."""
        resumes = shell_heredocs.bodies(self.text, self.pending, i)
        frames = [_Frame("Hq" if doc.quoted else "H", end=doc.body_end, resume=resume, reparse=doc.reparse)
                  for (doc, _), resume in zip(self.pending, resumes, strict=True)]
        self.pending = []
        self.stack.extend(reversed(frames))
        return i


def text_marker(name: str) -> str:
    """What a reference looks like inside a word being read (never equal to a keyword)."""
    return "${" + name + "}"

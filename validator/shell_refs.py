"""Where each ``${name}`` of a ``run:`` command sits, as bash will read it.

The runner never splices a value into command text: it passes the value in an environment
variable and rewrites ``${name}`` into a reference to that variable.  A variable's value is not
read again by bash, except in a few places this module finds:

* the quoting around the reference (unquoted, "double", 'single', a here-document body), so the
  reference can be written in a form that stays one word;
* places where bash *evaluates* the value: arithmetic (``$(( ))``, ``(( ))``, ``let``, array
  subscripts, ``${x:offset}``, ``[[ a -eq b ]]``, a command using ``declare -i``), where the value
  must be a number, and variable-name positions (``[[ -v ]]``, ``printf -v``, ``read``,
  ``declare NAME``), where it must be a plain name;
* text that another shell reads again (``bash -c "…"``, ``eval``, ``ssh host …``, ``watch``),
  where the value must arrive quoted for that shell.

Pure text analysis (a small lexer, not a full parser), shared by the runner and the lint rules;
it errs towards finding an evaluating place where there is none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
# Everything that can make bash evaluate a value, as the lexer recognises it: arithmetic ((( and
# $(( ))), brackets ($[ ], subscripts, [[ ]], [ -v ]), ${x:offset}, the declaring and reading
# builtins, and -v.  Over-approximate on purpose: a match only means "ask the lexer".
_MAY_EVALUATE = re.compile(r"\(\(|\[|\$\{[#!]?(?:[A-Za-z_]\w*|[0-9@*#?$!-]):|-v\b"
                           r"|\b(?:let|declare|typeset|local|export|readonly|read|mapfile|readarray)\b")


@dataclass
class Ref:
    """One ``${name}``: its span in the command and how bash reads what stands there."""

    name: str
    start: int
    end: int
    quote: str  # "" unquoted, '"' double quotes, "'" single quotes, "H" here-document body
    shape: str | None = None  # "number" or "name": bash evaluates the value as one
    why: str = ""  # the evaluating construct, for messages
    reparse: bool = False  # inside text another shell reads again

    def evaluated(self, shape: str, why: str) -> None:
        if self.shape != "number":  # a number is the stricter demand
            self.shape, self.why = shape, why


@dataclass
class Heredoc:
    """A here-document: its delimiter word's span and its body's span."""

    word_start: int
    word_end: int
    delimiter: str
    quoted: bool
    reparse: bool = False  # fed to a shell (bash <<EOF)
    body_start: int = 0
    body_end: int = 0


@dataclass
class Analysis:
    refs: list[Ref]
    heredocs: list[Heredoc]


def may_evaluate(text: str) -> bool:
    """False only when no reference in ``text`` can be evaluated by bash (no :attr:`Ref.shape`), so
    a check that cares only about evaluated values can skip the lexer, which costs far more."""
    return _MAY_EVALUATE.search(text) is not None


def analyze(text: str) -> Analysis:
    """Every ``${name}`` of ``text`` with its context, and every here-document."""
    from validator.shell_lexer import Lexer

    refs, heredocs = Lexer(text).run()
    return Analysis(refs, heredocs)

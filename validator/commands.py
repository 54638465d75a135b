"""What a step's shell text refers to and what it would do: ``${name}`` references and
commands that destroy data or availability.

Pure text analysis shared by the lint rules and the runner's pre-flight check; it never
runs anything.  The destructive patterns are the ones an on-call reviewer would stop at
("you are about to ``DROP TABLE`` without asking?"), tuned to stay quiet on read-only
commands such as ``kubectl get`` or ``SELECT``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")

# Ends of one shell command (or SQL statement) inside a larger text.
_REST = r"[^;&|\n]*"


@dataclass(frozen=True)
class Danger:
    """A destructive command found at ``start`` of the text."""

    what: str
    start: int


# (what, keywords, regex): the regex runs only on text containing one of the keywords (lower-case).
_Rule = tuple[str, tuple[str, ...], re.Pattern[str]]
_DESTRUCTIVE: tuple[_Rule, ...] = tuple((what, keys, re.compile(rx)) for what, keys, rx in (
    ("rm -r", ("rm",), r"\brm\s+(?:-[A-Za-z]*[rR]|--recursive)|\brm\s+-[A-Za-z]+\s+-[A-Za-z]*[rR]"),
    ("DROP TABLE/DATABASE", ("drop",), r"(?i)\bdrop\s+(?:table|database|schema|keyspace)\b"),
    ("TRUNCATE", ("truncate",), r"(?i)\btruncate\s+(?:table\s+)?[A-Za-z_\"`]"),
    ("dropdb", ("dropdb",), r"\bdropdb\b"),
    ("FLUSHALL/FLUSHDB", ("flush",), r"(?i)\bflush(?:all|db)\b"),
    ("kubectl delete", ("kubectl",), r"\bkubectl\b" + _REST + r"\s(?:delete|drain)\b"),
    ("helm uninstall", ("helm",), r"\bhelm\s+(?:uninstall|delete)\b"),
    ("terraform destroy", ("terraform",), r"\bterraform\s+(?:destroy\b|apply\b" + _REST + r"-destroy\b)"),
    ("systemctl stop", ("systemctl", "service"),
     r"\bsystemctl\s+(?:\S+\s+)*?(?:stop|disable|mask|kill)\b|\bservice\s+\S+\s+stop\b"),
    ("git push --force", ("git",), r"\bgit\s+push\b" + _REST + r"\s(?:--force(?:-with-lease)?|-f)\b"),
    ("git reset --hard", ("git",), r"\bgit\s+(?:reset\s+--hard|clean\s+-[A-Za-z]*f)\b"),
    ("mkfs", ("mkfs",), r"\bmkfs(?:\.\w+)?\b"),
    ("dd of=", ("of=",), r"\bdd\b" + _REST + r"\bof="),
    ("docker rm -f", ("docker",), r"\bdocker\s+(?:container\s+)?(?:rm|rmi)\s+(?:\S+\s+)*?(?:-f|--force)\b"
                                  r"|\bdocker\s+(?:system|volume|image|container)\s+prune\b|\bdocker\s+volume\s+rm\b"),
    ("cloud resource delete", ("aws", "gcloud", "az "),
     r"\baws\s+\S+\s+(?:delete|terminate)-\S+|\baws\s+s3\s+(?:rb\b|rm\b" + _REST + r"--recursive)"
     r"|\bgcloud\b" + _REST + r"\s(?:delete)\b|\baz\b" + _REST + r"\s(?:delete)\b"),
    ("kill -9", ("kill",), r"\bkill\s+-(?:9|KILL|s\s+KILL)\b|\b(?:pkill|killall)\b"),
    ("shutdown", ("shutdown", "reboot", "halt", "poweroff"), r"(?:^|[;&|]\s*|\bsudo\s+)(?:shutdown|reboot|halt|poweroff)\b"),
    ("iptables -F", ("iptables",), r"\biptables\s+(?:-F|--flush)\b"),
    ("find -delete", ("-delete",), r"\bfind\b" + _REST + r"\s-delete\b"),
))
_KEYWORDS = re.compile("|".join(sorted({re.escape(k) for _, keys, _ in _DESTRUCTIVE for k in keys} | {"delete", "update"},
                                        key=len, reverse=True)))
_DELETE = re.compile(r"(?i)\b(delete\s+from|update)\s+[A-Za-z_\"`][\w.\"`]*(?:\s+set\b)?")
_STATEMENT_END = re.compile(r"[;\"'\n]|$")


def references(text: str) -> list[tuple[str, int]]:
    """``(name, offset)`` for every ``${name}`` the runner substitutes in ``text``."""
    return [(m.group(1), m.start()) for m in REFERENCE.finditer(text)]


def destructive(text: str) -> list[Danger]:
    """Every destructive command in ``text``, in order of appearance."""
    words = set(_KEYWORDS.findall(text.lower()))
    if not words:
        return []
    found = [Danger(what, m.start()) for what, keys, rx in _DESTRUCTIVE if words.intersection(keys)
             for m in rx.finditer(text)]
    if not words.intersection(("delete", "update")):
        return sorted(found, key=lambda d: d.start)
    for m in _DELETE.finditer(text):
        is_update = m.group(1).lower() == "update"
        if is_update and not m.group(0).lower().endswith("set"):
            continue
        end = _STATEMENT_END.search(text, m.end())
        statement = text[m.end():end.start() if end else len(text)]
        if not re.search(r"(?i)\bwhere\b", statement):
            found.append(Danger("UPDATE without WHERE" if is_update else "DELETE FROM without WHERE", m.start()))
    return sorted(found, key=lambda d: d.start)

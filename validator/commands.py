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


_DESTRUCTIVE: tuple[tuple[str, re.Pattern[str]], ...] = tuple((what, re.compile(rx)) for what, rx in (
    ("rm -r", r"\brm\s+(?:-[A-Za-z]*[rR]|--recursive)" + r"|\brm\s+-[A-Za-z]+\s+-[A-Za-z]*[rR]"),
    ("DROP TABLE/DATABASE", r"(?i)\bdrop\s+(?:table|database|schema|keyspace)\b"),
    ("TRUNCATE", r"(?i)\btruncate\s+(?:table\s+)?[A-Za-z_\"`]"),
    ("dropdb", r"\bdropdb\b"),
    ("FLUSHALL/FLUSHDB", r"(?i)\bflush(?:all|db)\b"),
    ("kubectl delete", r"\bkubectl\b" + _REST + r"\s(?:delete|drain)\b"),
    ("helm uninstall", r"\bhelm\s+(?:uninstall|delete)\b"),
    ("terraform destroy", r"\bterraform\s+(?:destroy\b|apply\b" + _REST + r"-destroy\b)"),
    ("systemctl stop", r"\bsystemctl\s+(?:\S+\s+)*?(?:stop|disable|mask|kill)\b|\bservice\s+\S+\s+stop\b"),
    ("git push --force", r"\bgit\s+push\b" + _REST + r"\s(?:--force(?:-with-lease)?|-f)\b"),
    ("git reset --hard", r"\bgit\s+(?:reset\s+--hard|clean\s+-[A-Za-z]*f)\b"),
    ("mkfs", r"\bmkfs(?:\.\w+)?\b"),
    ("dd of=", r"\bdd\b" + _REST + r"\bof="),
    ("docker rm -f", r"\bdocker\s+(?:container\s+)?(?:rm|rmi)\s+(?:\S+\s+)*?(?:-f|--force)\b"
                     r"|\bdocker\s+(?:system|volume|image|container)\s+prune\b|\bdocker\s+volume\s+rm\b"),
    ("cloud resource delete", r"\baws\s+\S+\s+(?:delete|terminate)-\S+|\baws\s+s3\s+(?:rb\b|rm\b" + _REST + r"--recursive)"
                              r"|\bgcloud\b" + _REST + r"\s(?:delete)\b|\baz\b" + _REST + r"\s(?:delete)\b"),
    ("kill -9", r"\bkill\s+-(?:9|KILL|s\s+KILL)\b|\b(?:pkill|killall)\b"),
    ("shutdown", r"(?:^|[;&|]\s*|\bsudo\s+)(?:shutdown|reboot|halt|poweroff)\b"),
    ("iptables -F", r"\biptables\s+(?:-F|--flush)\b"),
    ("find -delete", r"\bfind\b" + _REST + r"\s-delete\b"),
))
_DELETE = re.compile(r"(?i)\b(delete\s+from|update)\s+[A-Za-z_\"`][\w.\"`]*(?:\s+set\b)?")
_STATEMENT_END = re.compile(r"[;\"'\n]|$")


def references(text: str) -> list[tuple[str, int]]:
    """``(name, offset)`` for every ``${name}`` the runner substitutes in ``text``."""
    return [(m.group(1), m.start()) for m in REFERENCE.finditer(text)]


def destructive(text: str) -> list[Danger]:
    """Every destructive command in ``text``, in order of appearance."""
    found = [Danger(what, m.start()) for what, rx in _DESTRUCTIVE for m in rx.finditer(text)]
    for m in _DELETE.finditer(text):
        is_update = m.group(1).lower() == "update"
        if is_update and not m.group(0).lower().endswith("set"):
            continue
        end = _STATEMENT_END.search(text, m.end())
        statement = text[m.end():end.start() if end else len(text)]
        if not re.search(r"(?i)\bwhere\b", statement):
            found.append(Danger("UPDATE without WHERE" if is_update else "DELETE FROM without WHERE", m.start()))
    return sorted(found, key=lambda d: d.start)

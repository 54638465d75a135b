"""What a step's shell text refers to and what it would do to the system: ``${name}``
references, commands that destroy data or availability, and commands that change state.

Pure text analysis shared by the lint rules and the runner's pre-flight check; it never
runs anything.  The patterns are the ones an on-call reviewer would stop at ("you are
about to ``DROP TABLE`` without asking?"), tuned to stay quiet on read-only commands such
as ``kubectl get`` or ``SELECT``.  Each pattern runs only on text that contains one of its
keywords, so scanning a thousand runbooks stays cheap.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")

_CACHE = 1 << 16
_REST = r"[^;&|\n]*"  # the rest of one shell command (or SQL statement)
_DATASTORES = r"[\w@.-]*(?:postgres|mysql|mariadb|redis|mongo|kafka|rabbitmq|elasticsearch|etcd|zookeeper|cassandra)[\w@.-]*"


@dataclass(frozen=True)
class Danger:
    """A command found at ``start`` of the text.  ``lasting`` is false for a disruption that passes
    by itself (restarting a database drops connections but leaves nothing to undo)."""

    what: str
    start: int
    lasting: bool = True


@dataclass(frozen=True)
class Pattern:
    what: str
    keywords: tuple[str, ...]  # lower-case; the regex runs only when one occurs
    regex: re.Pattern[str]
    lasting: bool = True


def _table(*rows: tuple[str, tuple[str, ...], str] | tuple[str, tuple[str, ...], str, bool]) -> tuple[Pattern, ...]:
    return tuple(Pattern(r[0], r[1], re.compile(r[2]), *r[3:]) for r in rows)


DESTRUCTIVE = _table(
    ("rm -r", ("rm",), r"\brm\s+(?:-[A-Za-z]*[rR]|--recursive)|\brm\s+-[A-Za-z]+\s+-[A-Za-z]*[rR]"),
    ("DROP TABLE/DATABASE", ("drop",), r"(?i)\bdrop\s+(?:table|database|schema|keyspace)\b"),
    ("TRUNCATE", ("truncate",), r"(?i)\btruncate\s+(?:table\s+)?[A-Za-z_\"`]"),
    ("dropdb", ("dropdb",), r"\bdropdb\b"),
    ("FLUSHALL/FLUSHDB", ("flush",), r"(?i)\bflush(?:all|db)\b"),
    ("kubectl delete/drain", ("kubectl",),
     r"\bkubectl\b" + _REST + r"\s(?:delete|drain)\b|\bkubectl\b" + _REST + r"--replicas[= ]0\b"),
    ("helm uninstall", ("helm",), r"\bhelm\s+(?:uninstall|delete)\b"),
    ("terraform destroy", ("terraform",), r"\bterraform\s+(?:destroy\b|apply\b" + _REST + r"-destroy\b)"),
    ("service stop", ("systemctl", "service", "docker", "pm2"),
     r"\bsystemctl\s+(?:\S+\s+)*?(?:stop|disable|mask|kill)\b|\bservice\s+\S+\s+stop\b"
     r"|\bdocker(?:-compose|\s+compose)?\s+(?:\S+\s+)*?(?:stop|down|kill)\b|\bpm2\s+(?:stop|delete|kill)\b"),
    ("database restart", ("restart",), r"(?i)\b(?:systemctl|service|docker(?:-compose|\s+compose)?|pm2|kubectl\s+rollout)\s+"
                                       r"(?:\S+\s+)*?restart\s+(?:\S+\s+)*?" + _DATASTORES
                                       + r"|\bservice\s+" + _DATASTORES + r"\s+restart\b", False),
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
    ("shutdown", ("shutdown", "reboot", "halt", "poweroff"), r"(?:^|[;&|\n]\s*|\bsudo\s+)(?:shutdown|reboot|halt|poweroff)\b"),
    ("iptables -F", ("iptables",), r"\biptables\s+(?:-F|--flush)\b"),
    ("find -delete", ("-delete",), r"\bfind\b" + _REST + r"\s-delete\b"),
    ("restore from backup", ("restore",), r"(?i)\b(?:pg_restore|mongorestore)\b|\brestore-db-\S+"
                                          r"|\S*(?:backup|dump|snapshot)\S*\s+(?:-\S+\s+)*restore\b"),
)

MUTATING = _table(
    ("git change", ("git",), r"\bgit\s+(?:revert|commit|push|merge|rebase|cherry-pick|am|apply)\b"),
    ("container rebuild", ("docker", "compose"), r"\bdocker(?:-compose|\s+compose)\s+(?:\S+\s+)*?(?:up|build|pull)\b"),
    ("kubernetes change", ("kubectl",), r"\bkubectl\b" + _REST + r"\s(?:apply|create|patch|replace|set|scale|edit|label"
                                        r"|annotate|cordon|taint|rollout\s+undo)\b"),
    ("release", ("helm", "terraform", "deploy", "migrat", "release"),
     r"\bhelm\s+(?:install|upgrade|rollback)\b|\bterraform\s+(?:apply|import)\b"
     r"|\b(?:npm|yarn|pnpm|make|just|rake|cap)\s+(?:run\s+)?[\w:.-]*(?:deploy|migrat|release)"),
    ("file change", ("cp", "mv", "mkdir", "rsync", "ln", "chmod", "chown", "tee", "sed"),
     r"(?:^|[;&|(\n]\s*|\bsudo\s+)(?:(?:cp|mv|mkdir|rsync|ln|chmod|chown)\s|tee\s+(?:-a\s+)?(?!/dev/))|\bsed\s+-i"),
    ("SQL change", ("insert", "alter", "create", "grant", "revoke", "update"),
     r"(?i)\b(?:insert\s+into|alter\s+(?:table|database|user|role)|create\s+(?:table|index|database|user|role)"
     r"|grant|revoke|update\s+\S+\s+set)\b"),
    ("cloud change", ("aws", "gcloud"), r"\baws\s+\S+\s+(?:put|create|update|modify|attach|detach|start|stop|reboot)-\S+"
                                        r"|\bgcloud\b" + _REST + r"\s(?:create|update|patch|resize)\b"),
    ("firewall change", ("iptables", "ufw"), r"\biptables\s+-[AIDR]\b|\bufw\s+(?:allow|deny|delete|enable|disable)\b"),
)


def _keywords(*tables: Iterable[Pattern]) -> re.Pattern[str]:
    words = {k for table in tables for p in table for k in p.keywords} | {"delete", "update"}
    return re.compile("|".join(sorted(map(re.escape, words), key=len, reverse=True)))


def _index(table: tuple[Pattern, ...]) -> dict[str, tuple[int, ...]]:
    """keyword -> positions in ``table`` of the patterns that need it."""
    out: dict[str, list[int]] = {}
    for i, p in enumerate(table):
        for k in p.keywords:
            out.setdefault(k, []).append(i)
    return {k: tuple(v) for k, v in out.items()}


_KEYWORDS = _keywords(DESTRUCTIVE, MUTATING)
_INDEX = {id(DESTRUCTIVE): _index(DESTRUCTIVE), id(MUTATING): _index(MUTATING)}
_DELETE = re.compile(r"(?i)\b(delete\s+from|update)\s+[A-Za-z_\"`][\w.\"`]*(?:\s+set\b)?")
_STATEMENT_END = re.compile(r"[;\"'\n]|$")


@lru_cache(maxsize=_CACHE)
def references(text: str) -> tuple[tuple[str, int], ...]:
    """``(name, offset)`` for every ``${name}`` the runner substitutes in ``text``."""
    return tuple((m.group(1), m.start()) for m in REFERENCE.finditer(text)) if "${" in text else ()


def _scan(text: str, table: tuple[Pattern, ...], words: set[str]) -> list[Danger]:
    index = _INDEX[id(table)]
    wanted = sorted({i for w in words for i in index.get(w, ())})
    return [Danger(table[i].what, m.start(), table[i].lasting) for i in wanted for m in table[i].regex.finditer(text)]


def _unbounded_sql(text: str) -> list[Danger]:
    found: list[Danger] = []
    for m in _DELETE.finditer(text):
        is_update = m.group(1).lower() == "update"
        if is_update and not m.group(0).lower().endswith("set"):
            continue
        end = _STATEMENT_END.search(text, m.end())
        statement = text[m.end():end.start() if end else len(text)]
        if not re.search(r"(?i)\bwhere\b", statement):
            found.append(Danger("UPDATE without WHERE" if is_update else "DELETE FROM without WHERE", m.start()))
    return found


@lru_cache(maxsize=_CACHE)
def destructive(text: str) -> tuple[Danger, ...]:
    """Every command in ``text`` that may lose data or availability, in order of appearance.
    (Runbooks repeat the same commands, so results are cached by text.)"""
    words = set(_KEYWORDS.findall(text.lower()))
    if not words:
        return ()
    found = _scan(text, DESTRUCTIVE, words)
    if words.intersection(("delete", "update")):
        found += _unbounded_sql(text)
    return tuple(sorted(found, key=lambda d: d.start))


@lru_cache(maxsize=_CACHE)
def mutating(text: str) -> tuple[Danger, ...]:
    """Commands in ``text`` that change state someone may need to take back (a deploy, a revert,
    a copied file, an SQL write).  Starting or restarting a service is not one: it leaves nothing to undo."""
    words = set(_KEYWORDS.findall(text.lower()))
    return tuple(sorted(_scan(text, MUTATING, words), key=lambda d: d.start)) if words else ()

"""Credential patterns and redaction, shared by the secrets lint rule and the runner.

The patterns look for things that are unmistakably credentials (provider key formats,
private-key blocks, passwords inside URLs, ``token=...`` assignments); they are tuned to
stay quiet on ordinary runbook text.  :func:`redact` replaces both declared secret values
and anything matching a pattern, so the screen, the journal and every export agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

MASK = "[REDACTED]"


@dataclass(frozen=True)
class Pattern:
    name: str
    regex: re.Pattern[str]
    group: int = 0  # the part of the match that is secret (0: all of it)


PATTERNS: tuple[Pattern, ...] = (
    Pattern("AWS access key id", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    Pattern("AWS secret access key", re.compile(r"(?i)aws_secret_access_key\s*[=:]\s*['\"]?([A-Za-z0-9/+=]{40})"), 1),
    Pattern("GitHub token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b")),
    Pattern("GitLab token", re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}\b")),
    Pattern("Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}\b")),
    Pattern("Slack webhook", re.compile(r"https://hooks\.slack\.com/services/[A-Za-z0-9/]+")),
    Pattern("Stripe key", re.compile(r"\b[rs]k_live_[A-Za-z0-9]{16,}\b")),
    Pattern("Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b")),
    Pattern("JSON web token", re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b")),
    Pattern("private key", re.compile(r"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----[\s\S]*?(?:-----END (?:[A-Z]+ )?PRIVATE KEY-----|$)")),
    Pattern("password in URL", re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s:/@]+:([^\s@/]+)@"), 1),
    Pattern("bearer token", re.compile(r"(?i)\bauthorization:\s*bearer\s+([A-Za-z0-9._~+/=-]{16,})"), 1),
    Pattern("assigned secret", re.compile(
        r"(?i)\b(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?token|auth[_-]?token|client[_-]?secret)\b"
        r"\s*[=:]\s*['\"]?([^\s'\"$<{][^\s'\"]{7,})"), 1),
)

_PLACEHOLDER = re.compile(r"(?i)^(?:x+|\*+|\.+|<[^>]*>|\[[^\]]*\]|changeme|example|redacted|your[_-]?\w*|\$\{?\w+\}?)$")


@dataclass(frozen=True)
class Match:
    name: str
    start: int
    end: int


def find(text: str) -> Iterator[Match]:
    """Credential-looking spans in ``text`` (placeholders such as <TOKEN> or ${TOKEN} are not credentials)."""
    for pattern in PATTERNS:
        for m in pattern.regex.finditer(text):
            start, end = m.span(pattern.group)
            if start < 0 or _PLACEHOLDER.match(text[start:end]):
                continue
            yield Match(pattern.name, start, end)


def redact(text: str, values: Iterable[str] = ()) -> str:
    """Mask declared secret values and every credential pattern in ``text``."""
    for value in sorted({v for v in values if v and len(v) >= 3}, key=len, reverse=True):
        text = text.replace(value, MASK)
    spans = sorted({(m.start, m.end) for m in find(text)}, reverse=True)
    for start, end in spans:
        if MASK not in text[start:end]:
            text = text[:start] + MASK + text[end:]
    return text

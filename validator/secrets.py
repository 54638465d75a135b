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
from functools import cached_property

MASK = "[REDACTED]"


@dataclass(frozen=True)
class Pattern:
    """A credential format.  ``hints`` are substrings (lower-case: searched in the lower-cased text)
    of which every match contains one; a text holding none is skipped without running the regex,
    which keeps scanning a thousand runbooks cheap."""

    name: str
    regex: re.Pattern[str]
    group: int = 0  # the part of the match that is secret (0: all of it)
    hints: tuple[str, ...] = ()
    # The regex is lower-case, starts with one of the hints, and is tried only where a hint occurs
    # in the lower-cased text: much faster than scanning every position with (?i).
    anchored: bool = False

    def search_in(self, text: str, lower: str) -> Iterator[re.Match[str]]:
        if not self.anchored:
            return self.regex.finditer(text)
        if len(lower) != len(text):  # case folding changed the length: offsets would not agree
            return re.compile(self.regex.pattern, re.IGNORECASE).finditer(text)
        return self._anchored(lower)

    def mentioned(self, lower: str) -> bool:
        """Whether the lower-cased text holds one of the hints (or the pattern has none)."""
        if len(self.hints) < 2:
            return not self.hints or self.hints[0] in lower
        return self._any_hint.search(lower) is not None

    @cached_property
    def _any_hint(self) -> re.Pattern[str]:
        """The hints as one regex: one scan, which the engine speeds up with the hints' shared
        prefix (``gh`` for the GitHub formats), is much faster than one substring test per hint."""
        return re.compile("|".join(map(re.escape, self.hints)))

    def _anchored(self, lower: str) -> Iterator[re.Match[str]]:
        starts: set[int] = set()
        for hint in self.hints:
            at = lower.find(hint)
            while at >= 0:
                starts.add(at)
                at = lower.find(hint, at + 1)
        for start in sorted(starts):
            match = self.regex.match(lower, start)
            if match:
                yield match


PATTERNS: tuple[Pattern, ...] = (
    Pattern("AWS access key id", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"), hints=("akia", "asia")),
    Pattern("AWS secret access key", re.compile(r"(?i)aws_secret_access_key\s*[=:]\s*['\"]?([A-Za-z0-9/+=]{40})"), 1,
            ("aws_secret_access_key",)),
    Pattern("GitHub token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b"),
            hints=("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_")),
    Pattern("GitLab token", re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}\b"), hints=("glpat-",)),
    Pattern("Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}\b"), hints=("xox",)),
    Pattern("Slack webhook", re.compile(r"https://hooks\.slack\.com/services/[A-Za-z0-9/]+"), hints=("hooks.slack.com",)),
    Pattern("Stripe key", re.compile(r"\b[rs]k_live_[A-Za-z0-9]{16,}\b"), hints=("k_live_",)),
    Pattern("Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"), hints=("aiza",)),
    Pattern("JSON web token", re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b"), hints=("eyj",)),
    Pattern("private key", re.compile(r"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----[\s\S]*?"
                                      r"(?:-----END (?:[A-Z]+ )?PRIVATE KEY-----|$)"), hints=("private key-----",)),
    Pattern("password in URL", re.compile(r"(?<=[A-Za-z0-9+.-])://[^\s:/@]+:([^\s@/]+)@"), 1, ("@",)),
    Pattern("bearer token", re.compile(r"(?i)\bauthorization:\s*bearer\s+([A-Za-z0-9._~+/=-]{16,})"), 1, ("bearer",)),
    # Any key ending in password, pwd, secret, token or api key (db_password=, client_secret:, AUTH_TOKEN=).
    Pattern("assigned secret", re.compile(r"(?:passw(?:or)?d|pwd|secret|token|api[_-]?key)\s*[=:]\s*"
                                          r"['\"]?([^\s'\"$<{][^\s'\"]{7,})"), 1,
            ("passw", "pwd", "secret", "token", "api_key", "api-key", "apikey"), anchored=True),
)

_PLACEHOLDER = re.compile(r"(?i)^(?:x+|\*+|\.+|<[^>]*>|\[[^\]]*\]|changeme|example|redacted|your[_-]?\w*|\$\{?\w+\}?)$")


@dataclass(frozen=True)
class Match:
    name: str
    start: int
    end: int


def find(text: str) -> Iterator[Match]:
    """Credential-looking spans in ``text`` (placeholders such as <TOKEN> or ${TOKEN} are not credentials)."""
    lower = text.lower()
    for pattern in PATTERNS:
        # An anchored pattern looks only where its hints are, so it needs no separate test for them.
        if not (pattern.anchored and len(lower) == len(text)) and not pattern.mentioned(lower):
            continue
        for m in pattern.search_in(text, lower):
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

"""What a code fence of a markdown runbook holds: commands to run, a query to show, an interactive
session to quote, or text; and which words of a command are values the responder supplies.

Prompts (``$ ``, ``# `` as root, ``> ``) mark commands in a console transcript; the other
lines of such a block are sample output and are dropped.  ``$VAR``, ``${VAR}`` and
``<PLACEHOLDER>`` become inputs, except the shell's own variables (``$HOME``, ``$?``, ``$1``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SHELL_INFO = {"", "sh", "bash", "shell", "console", "shell-session", "zsh", "terminal", "cmd", "shellsession"}
QUERY_INFO = {"promql": "prometheus", "logql": "loki", "metricsql": "victoriametrics", "kql": "azure monitor",
              "sql": "sql", "traceql": "tempo", "lucene": "elasticsearch", "query": ""}
_PROMPT = re.compile(r"^\s*(?:[\w.@~:/-]*[$#>%]|\$|#|>)\s+(?=\S)")
_ROOT_PROMPT = re.compile(r"^\s*#\s+(?=[a-z./])")  # '# systemctl …' is a root prompt; '# Note' a comment
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)")
_COMMAND_WORD = re.compile(r"[a-z][\w.-]*")
_ANGLE = re.compile(r"<([A-Za-z][A-Za-z0-9_.-]*)>")
SHELL_VARS = {"HOME", "PATH", "PWD", "USER", "SHELL", "HOSTNAME", "RANDOM", "IFS", "TERM", "LANG", "OLDPWD", "EDITOR",
              "KUBECONFIG", "UID", "PPID", "SECONDS", "LINENO", "BASH", "TMPDIR"}
# Commands that open a session of their own: a runbook quotes them for the responder instead of running them.
_INTERACTIVE = (
    (re.compile(r"^(?:sudo\s+)?(?:psql|mysql|mongo|mongosh|sqlplus|sqlite3|cqlsh|rails\s+c(?:onsole)?)\b(?!.*\s-(?:c|e|-command|-eval)\b)"),
     "opens a database shell"),
    (re.compile(r"^(?:sudo\s+)?redis-cli(?:\s+-[hpan]\s+\S+)*\s*$"), "opens a Redis shell"),
    (re.compile(r"\b(?:kubectl|oc)\b.*\s(?:exec|run|debug|attach)\b.*\s-(?:\w*i\w*t|\w*t\w*i)\b"),
     "opens a shell in a container"),
    (re.compile(r"\boc\b.*\s(?:rsh|debug)\b|\bkubectl\b.*\sdebug\b"), "opens a shell in a container"),
    (re.compile(r"\bdocker\s+(?:exec|run)\b.*\s-(?:\w*i\w*t|\w*t\w*i)\b"), "opens a shell in a container"),
    (re.compile(r"^(?:sudo\s+)?ssh\s+(?:-\S+\s+)*[\w.@-]+\s*$"), "opens a remote shell"),
    (re.compile(r"^(?:sudo\s+)?(?:vi|vim|nano|less|more|top|htop|watch)\b"), "is interactive"),
)


@dataclass
class Fence:
    kind: str  # commands | query | interactive | text
    commands: list[str] = field(default_factory=list)
    dropped_output: int = 0  # lines of sample output left out
    unsure: bool = False  # no prompt anywhere: every line was taken for a command
    why_interactive: str = ""
    datasource: str = ""


def _join_continuations(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if out and out[-1].endswith("\\"):
            out[-1] = out[-1] + "\n" + line
        else:
            out.append(line)
    return out


def classify(info: str, code: str) -> Fence:
    if info in QUERY_INFO:
        return Fence("query", [code.strip()], datasource=QUERY_INFO[info])
    if info not in SHELL_INFO:
        return Fence("text", [code])
    lines = [ln.rstrip() for ln in code.splitlines() if ln.strip()]
    prompted = [ln for ln in lines if _PROMPT.match(ln) and (not ln.lstrip().startswith("#") or _ROOT_PROMPT.match(ln))]
    if prompted:
        commands: list[str] = []
        dropped = 0
        taking = False
        for ln in lines:
            if ln in prompted:
                commands.append(_PROMPT.sub("", ln, count=1))
                taking = ln.endswith("\\")
            elif taking:
                commands[-1] += "\n" + ln
                taking = ln.endswith("\\")
            else:
                dropped += 1
        fence = Fence("commands", commands, dropped)
    else:
        real = [ln for ln in lines if not ln.lstrip().startswith("#")]
        fence = Fence("commands", _join_continuations(real), unsure=info in ("", "console", "terminal"))
    for command in fence.commands:
        for pattern, why in _INTERACTIVE:
            if pattern.search(command.strip()):
                return Fence("interactive", fence.commands, fence.dropped_output, why_interactive=f"`{command.strip()}` {why}")
    return fence if fence.commands else Fence("text", [code])


def looks_like_command(code: str) -> bool:
    """Inline code in prose that is a command line rather than a name (``kubectl get pods`` vs ``replicas``)."""
    words = code.split()
    return len(words) >= 2 and _COMMAND_WORD.fullmatch(words[0]) is not None and not code.rstrip().endswith(":")


def input_name(raw: str) -> str:
    name = re.sub(r"[^A-Za-z0-9_]", "_", raw).strip("_").lower()
    return name if name and not name[0].isdigit() else f"v_{name}"


def parameterise(command: str) -> tuple[str, list[str]]:
    """The command with ``$VAR`` and ``<PLACEHOLDER>`` written as ``${name}``, and those names in order."""
    names: list[str] = []

    def var(match: re.Match[str]) -> str:
        raw = match.group(1) or match.group(2)
        if raw in SHELL_VARS or raw.isdigit():
            return match.group(0)
        names.append(input_name(raw))
        return "${" + names[-1] + "}"

    def angle(match: re.Match[str]) -> str:
        names.append(input_name(match.group(1)))
        return "${" + names[-1] + "}"

    text = _VAR.sub(var, command)
    text = _ANGLE.sub(angle, text)
    return text, list(dict.fromkeys(names))

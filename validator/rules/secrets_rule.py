"""Secrets (K5xx): credentials must never be written in a runbook or policy, and a value the
runner treats as secret must not have a default sitting in the file.

Findings name the kind of credential and where it is, never the credential itself; the
text reporter's source line is redacted the same way (see ``pipeline.Result.line_of``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from validator import secrets
from validator.findings import Finding, Severity
from validator.rules.base import Context, rule

_CREDENTIAL_NAME = re.compile(r"(?i)(?:^|_)(?:password|passwd|passphrase|pass|secret|token|api_?key|secret_?key|access_?key"
                              r"|private_?key|credentials?)$")
# The vendors' own documentation values (AWS's AKIAIOSFODNN7EXAMPLE): they grant nothing, and a
# runbook quoting one as the shape of an input is not leaking a key.  (The runner still redacts them.)
_DOCUMENTATION = re.compile(r"\S*EXAMPLE(?:KEY)?")


@rule("K501", "inline-credential", Severity.ERROR, "A credential (key, token, password) is written in the file.",
      "delete it, rotate it (it is in the git history now), and pass it as a secret input or from the environment")
def inline_credential(ctx: Context) -> Iterator[Finding]:
    """Runbooks are read by everyone on call, copied into wikis and kept in git forever; a key
    written in one is a key given away.  Cloud keys, tokens, private keys, passwords in URLs and
    ``password=...`` assignments are recognised; placeholders such as ``<TOKEN>`` or ``${token}`` are not,
    nor the vendors' documentation values such as AWS's ``AKIAIOSFODNN7EXAMPLE``.

    Remove the credential and rotate it, since git keeps it in history.  Declare an input with
    ``secret: true``, or read it from the environment or a secret store in the command.
    """
    for source in ctx.sources.values():
        text = source.locator.text
        for match in secrets.find(text):
            if _DOCUMENTATION.fullmatch(text, match.start, match.end):
                continue
            line = text.count("\n", 0, match.start) + 1
            col = match.start - (text.rfind("\n", 0, match.start) + 1) + 1
            assert ctx.current is not None
            yield Finding(source.path, line, col, ctx.current.id, ctx.current.severity,
                          f"{match.name} written inline (value not shown)", ctx.current.hint)


@rule("K502", "secret-input-default", Severity.ERROR, "A secret input has a default value.",
      "remove the default; the responder types the value, or the runner reads it from the environment")
def secret_default(ctx: Context) -> Iterator[Finding]:
    """A secret input is read without echo and redacted everywhere, but a default is written in
    the file for anyone to read, which defeats both.

    Remove ``default`` from the input (an empty default, which only makes the input optional, is fine).
    """
    for rb in ctx.runbooks:
        for inp in rb.inputs:
            if inp.secret and inp.default not in (None, ""):
                yield ctx.report(rb.source, (*inp.at, "default"), f"secret input '{inp.name}' has a default value", key=True)


@rule("K503", "credential-input-not-secret", Severity.WARNING, "An input named like a credential is not marked secret.",
      "add secret: true to the input")
def input_not_secret(ctx: Context) -> Iterator[Finding]:
    """Inputs are echoed on screen, written to the run journal and exported; only ``secret: true``
    inputs are read without echo and redacted.  An input called ``db_password`` that is not secret
    ends up in plain text in the incident record.

    Add ``secret: true`` to the input (and pass it to commands through ``env:``).
    """
    for rb in ctx.runbooks:
        for inp in rb.inputs:
            if not inp.secret and _CREDENTIAL_NAME.search(inp.name):
                yield ctx.report(rb.source, (*inp.at, "name"), f"input '{inp.name}' looks like a credential but is not secret")

"""Notification channels (C13x): credentials stay out of the repository."""

from __future__ import annotations

import re
from collections.abc import Iterator

from validator.findings import Finding, Severity
from validator.rules.base import Context, rule

# Apprise schemes whose URL is only an address: a plain webhook.  Every other service (slack://,
# msteams://, mailtos://, pagerduty://, opsgenie://, ...) puts its token or password in the URL.
PLAIN_SCHEMES = {"json", "jsons", "form", "forms", "xml", "xmls"}
_USERINFO = re.compile(r"^[a-z0-9+.-]+://[^/?#]*@", re.I)
_SECRET_QUERY = re.compile(r"[?&](?:token|key|apikey|api_key|secret|password|pass|auth|signature|sig)=", re.I)


@rule("C130", "credential-in-channel-url", Severity.ERROR,
      "A notification URL written in the policy holds (or must hold) a credential.",
      "put the URL in an environment variable and name it: `url_env: OPS_SLACK_URL`")
def credential_in_channel_url(ctx: Context) -> Iterator[Finding]:
    """Most notification services authenticate with a token in the URL itself (``slack://T…/B…/…``,
    ``msteams://…``, ``mailtos://user:password@…``), and a policy file is read by everyone with the
    repository, copied to the docs site's "edit" links and kept in history forever.  Only plain
    webhooks (``json://``, ``form://``, ``xml://``) without a user, password or token parameter may
    be written as ``url:``.

    Fix: put the URL in an environment variable on the responders' machines (or the secret store that
    fills them) and name the variable with ``url_env:``; the runner reads it when it sends.
    """
    for policy in ctx.policies:
        for contact in policy.contacts:
            for channel in contact.channels:
                url = channel.url or ""
                if not url:
                    continue
                scheme = url.split("://", 1)[0].lower()
                if scheme not in PLAIN_SCHEMES:
                    why = f"{scheme}:// URLs carry the service's token or password"
                elif _USERINFO.match(url):
                    why = "it has a user or password before the host"
                elif _SECRET_QUERY.search(url):
                    why = "it has a token or key parameter"
                else:
                    continue
                yield ctx.report(policy.source, (*channel.at, "url"),
                                 f"channel of contact '{contact.id}' is written in the policy, but {why}")

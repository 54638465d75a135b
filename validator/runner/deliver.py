"""Deliver a status message through the channels the policy gives each recipient, with Apprise.

Apprise speaks Slack, Microsoft Teams, e-mail, PagerDuty, Opsgenie, webhooks and a hundred
other services through one URL syntax, so the runner never grows a client per service.
A channel's URL comes from the environment (``url_env``) whenever it holds a credential;
only credential-free URLs (plain JSON/form/XML webhooks) may be written in the policy.

Each (recipient, channel) is tried a few times with a short pause; every attempt's result
comes back so the journal records it, and the caller prints what failed with the text to
paste by hand.  During drills only channels marked ``drills: true`` are used; dry runs send
nothing at all (the caller never gets here).
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass

from validator.model import Channel, Contact, Policy

ATTEMPTS = 3
PAUSE = 0.5  # seconds before the second attempt; doubled before the third


@dataclass
class Delivery:
    """The outcome of delivering one message to one recipient through one channel."""

    recipient: str  # contact id
    channel: str  # where it went, without credentials: the scheme and host, or the variable's name
    ok: bool
    attempts: int
    error: str = ""


def shown(channel: Channel) -> str:
    """A channel as the journal and the screen name it: never the URL of a credential-holding channel."""
    if channel.url_env:
        return f"${channel.url_env}"
    match = re.match(r"^([a-z0-9+.-]+)://([^/?#@]*@)?([^/?#]*)", channel.url or "", re.I)
    return f"{match.group(1)}://{match.group(3)}" if match else "(channel)"


def recipients(policy: Policy | None, party_ids: list[str]) -> list[Contact]:
    """Contacts behind the notify list: a role stands for its primary and secondary."""
    if policy is None:
        return []
    found: dict[str, Contact] = {}
    for pid in party_ids:
        role = policy.role(pid)
        ids = [i for i in (role.primary, role.secondary) if i] if role else [pid]
        for cid in ids:
            contact = policy.contact(cid)
            if contact is not None:
                found.setdefault(contact.id, contact)
    return list(found.values())


def channels_for(contact: Contact, drill: bool) -> list[Channel]:
    return [c for c in contact.channels if c.drills or not drill]


def _url(channel: Channel) -> tuple[str | None, str]:
    if channel.url_env:
        value = os.environ.get(channel.url_env, "").strip()
        return (value or None), ("" if value else f"${channel.url_env} is not set")
    return channel.url, ""


def _send_once(url: str, subject: str, body: str) -> str:
    """'' when Apprise reports the message accepted, else why not."""
    import apprise  # imported only when a message is really sent: it costs a few hundred ms

    sender = apprise.Apprise()
    if not sender.add(url):
        return "Apprise does not understand this URL"
    return "" if sender.notify(body=body, title=subject) else "the service refused or could not be reached"


def send(contacts: list[Contact], subject: str, body: str, drill: bool) -> list[Delivery]:
    results: list[Delivery] = []
    for contact in contacts:
        for channel in channels_for(contact, drill):
            url, problem = _url(channel)
            attempts = 0
            while url is not None and attempts < ATTEMPTS:
                if attempts:
                    time.sleep(PAUSE * 2 ** (attempts - 1))
                attempts += 1
                try:
                    problem = _send_once(url, subject, body)
                except Exception as err:  # a plugin's own failure is a failed delivery, never a crash
                    problem = f"{type(err).__name__}: {err}"
                if not problem:
                    break
            results.append(Delivery(contact.id, shown(channel), url is not None and not problem, attempts, problem))
    return results

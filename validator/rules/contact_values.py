"""What a contact value is: a placeholder left from a template, a dialable phone number, an
e-mail address a mail server would accept.

Phone numbers go through ``phonenumbers`` (Google's libphonenumber metadata): a regex
accepts ``+1 555 1234`` and rejects ``+44 (0)20 7946 0958``, while the library knows each
country's lengths and number ranges.  E-mail syntax goes through ``email-validator``
(RFC 5322 and internationalised addresses, syntax only: no DNS, so lint works offline).
Both libraries are imported when a value is first checked, not with this module: together
they cost more to import than checking one runbook, and a run that lints no policy (a
runbook checked alone, say) never needs them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import phonenumbers

_PLACEHOLDER_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a bracketed placeholder", re.compile(r"\[[^\]\n]*\]|<[^<>@\n]+>|\{\{[^{}\n]*\}\}")),
    ("an X digit run", re.compile(r"(?<![A-Za-z])[Xx#]{3,}(?![a-wyzA-WYZ])|(?<=\d)[Xx#]{2,}(?![A-Za-z])|(?<=[A-Z])X{4,}\b")),
    ("a to-do marker", re.compile(r"\b(?:TBD|TBA|TBC|TODO|FIXME|N/?A)\b")),
    ("a placeholder word", re.compile(
        r"\b(?:change[-_ ]?me|replace[-_ ]?me|fill[-_ ]?me|placeholder|redacted|lorem|ipsum|dolor sit"
        r"|replace (?:with|by|this)|to be (?:replaced|confirmed|decided|announced|filled)|fill (?:in|this)"
        r"|john doe|jane doe|your[-_ ]?name|name here|first[-_. ]?name[-_. ]?last[-_. ]?name|first\.last)\b", re.I)),
)
_PLACEHOLDER_EMAIL = re.compile(
    r"^(?:email|e-mail|mail|user|username|name|someone|somebody|you|your\.?name|test|foo|bar)@"
    r"|@(?:domain|yourdomain|your-domain|company|yourcompany|your-company|email|mail)\.(?:com|org|net|io)$", re.I)
_PLACEHOLDER_HANDLE = re.compile(r"^[@#](?:channel(?:[-_]name)?|handle|user(?:name)?|name|team|slack[-_]channel)$", re.I)


@dataclass(frozen=True)
class Placeholder:
    """Why a value looks like a placeholder, and the text that gave it away."""

    why: str
    text: str


def placeholder(value: str, field: str) -> Placeholder | None:
    """The placeholder inside ``value`` (a contact's ``field``), or None for a real-looking value."""
    for why, pattern in _PLACEHOLDER_PATTERNS:
        match = pattern.search(value)
        if match:
            return Placeholder(why, match.group(0))
    stripped = value.strip()
    if field == "email" and _PLACEHOLDER_EMAIL.search(stripped):
        return Placeholder("a template address", stripped)
    if field in ("chat", "pager") and _PLACEHOLDER_HANDLE.match(stripped):
        return Placeholder("a template handle", stripped)
    if field == "phone" and _fake_digits(stripped):
        return Placeholder("a dummy number", stripped)
    return None


def _fake_digits(phone: str) -> bool:
    """All one digit (000 000 0000) or a counting run (123 456 7890) after the country code."""
    digits = re.sub(r"\D", "", phone)
    tail = digits[-7:]
    return len(digits) >= 7 and (len(set(tail)) == 1 or tail in "01234567890123456789" or tail in "98765432109876543210")


# Domains reserved for documentation and testing (RFC 2606, RFC 6761): no mail is ever delivered there.
_RESERVED_DOMAIN = re.compile(r"(?:^|\.)(?:example\.(?:com|org|net)|example|test|invalid|localhost)$", re.I)
# Numbers set aside for drama and documentation: nobody answers them.  (region, national number regex)
_FICTIONAL_NUMBERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("Ofcom's UK drama range", re.compile(r"44(?:2079460[0-9]{3}|(?:113|114|115|116|117|118|121|131|141|151|161|191)496"
                                          r"0[0-9]{3}|2896496[0-9]{3}|2920180[0-9]{3}|1632960[0-9]{3}|7700900[0-9]{3}"
                                          r"|8081570[0-9]{3}|9098790[0-9]{3}|3069990[0-9]{3})")),
    ("the North American fictional range 555-0100 to 0199", re.compile(r"1[2-9][0-9]{2}55501[0-9]{2}")),
    ("ACMA's Australian drama range", re.compile(r"61(?:[2378](?:5550|7010)[0-9]{4}|49157[0-9]{4}|1800160401|1800975707)")),
    ("ComReg's Irish drama range", re.compile(r"353(?:20910[0-9]{4}|1555[0-9]{4}|855550[0-9]{3})")),
)


def fictional(value: str, field: str) -> Placeholder | None:
    """A value that is well formed but reaches nobody by design: an address at a domain reserved
    for examples (``oncall@example.com``) or a number set aside for fiction (+44 20 7946 0xxx)."""
    text = value.strip()
    if field == "email":
        domain = text.removeprefix("mailto:").rsplit("@", 1)[-1].rstrip(".>")
        if "@" in text and _RESERVED_DOMAIN.search(domain):
            return Placeholder("a domain reserved for examples", domain)
    elif field == "phone":
        digits = re.sub(r"\D", "", text.removeprefix("tel:"))
        digits = digits[2:] if text.startswith("00") else digits
        for region, pattern in _FICTIONAL_NUMBERS:
            if pattern.fullmatch(digits):
                return Placeholder(region, text)
    return None


def phone_problem(value: str) -> str | None:
    """Why ``value`` is not a valid international phone number, or None when it is."""
    text = value.strip()
    if text.lower().startswith("tel:"):
        text = text[4:]
    if not text.startswith(("+", "00")):
        return "is not in international format (start with + and the country code)"
    import phonenumbers

    try:
        number = phonenumbers.parse("+" + text[2:] if text.startswith("00") else text, None)
    except phonenumbers.NumberParseException as err:
        return f"cannot be read as a phone number ({_parse_reason(err)})"
    if not phonenumbers.is_possible_number(number):
        return "has the wrong number of digits for its country"
    if not phonenumbers.is_valid_number(number):
        return "is not a number in use in its country's numbering plan"
    return None


def _parse_reason(err: phonenumbers.NumberParseException) -> str:
    import phonenumbers

    reasons = {
        phonenumbers.NumberParseException.INVALID_COUNTRY_CODE: "unknown country code",
        phonenumbers.NumberParseException.NOT_A_NUMBER: "not a number",
        phonenumbers.NumberParseException.TOO_SHORT_NSN: "too short",
        phonenumbers.NumberParseException.TOO_SHORT_AFTER_IDD: "too short",
        phonenumbers.NumberParseException.TOO_LONG: "too long",
    }
    return reasons.get(err.error_type, "not a number")


def email_problem(value: str) -> str | None:
    """Why ``value`` is not a syntactically valid e-mail address, or None when it is."""
    text = value.strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError as err:
        reason = str(err).rstrip(".")
        return reason[:1].lower() + reason[1:]
    return None


_POINTER = re.compile(r"\b(?:integration|routing|api|service)[ _-]?key\b|\b(?:token|secret|password|credentials?)\b"
                      r"|(?:^|[\s/])\.env\b|\b[\w-]+\.(?:env|ya?ml|json|toml|ini|cfg|conf)\b", re.I)


def pager_problem(value: str) -> str | None:
    """Why a pager value is not a paging target: it points at a credential or a file, or is a sentence."""
    text = value.strip()
    if _POINTER.search(text):
        return "names where a key or file is kept, not whom to page"
    if len(text.split()) >= 4:
        return "is a sentence, not a paging service and target"
    return None


def normalised_phone(value: str) -> str | None:
    """E.164 form, for spotting two contacts that share a number; None when unreadable."""
    import phonenumbers

    try:
        number = phonenumbers.parse(value.strip(), None)
    except phonenumbers.NumberParseException:
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))

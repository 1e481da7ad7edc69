"""Email clean-up, the same for an import, the do-not-call list and a contact correction
(docs/architecture.md §6): syntax checked without the network, the domain lower-cased.

Every function takes text as typed and never raises on it; what cannot be understood comes back
with a flag saying why, so the caller keeps the value as typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class EmailResult:
    """An email as typed, its normalised form when the syntax is valid, and why not otherwise."""

    raw: str
    address: str | None
    flag: str | None


NO_EMAIL = EmailResult("", None, None)

# The plain ASCII addresses nearly every export holds, in a form email-validator accepts
# unchanged apart from lower-casing the domain; tests check the two agree. Everything else
# (Unicode, quoted local parts, odd domains) goes through email-validator itself.
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_PLAIN_LOCAL = re.compile(rf"{_ATEXT}+(?:\.{_ATEXT}+)*")
_PLAIN_DOMAIN = re.compile(rf"(?:{_LABEL}\.)+[a-z]{{2,63}}")
_SPECIAL_USE = ("arpa", "invalid", "local", "localhost", "onion", "test")


def normalise_email(raw: str) -> EmailResult:
    """Check an email's syntax (no network) and lower-case its domain."""
    text = raw.strip()
    if not text:
        return NO_EMAIL
    if text[:7].lower() == "mailto:":
        text = text[7:].strip()
    local, at, domain = text.rpartition("@")
    if at and len(local) <= 64 and len(text) <= 254:
        domain = domain.lower()
        if (
            _PLAIN_LOCAL.fullmatch(local)
            and _PLAIN_DOMAIN.fullmatch(domain)
            and "--" not in domain
            and domain.rpartition(".")[2] not in _SPECIAL_USE
        ):
            return EmailResult(text, f"{local}@{domain}", None)
    return _validated(text)


@lru_cache(maxsize=16384)
def _validated(text: str) -> EmailResult:
    # Imported here: most addresses take the plain path above, and loading email-validator
    # (it compiles its grammar) would slow every command that merely reads a lead.
    from email_validator import EmailNotValidError, validate_email

    try:
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError as error:
        return EmailResult(text, None, _email_reason(text, str(error)))
    return EmailResult(text, checked.normalized, None)


def _email_reason(text: str, detail: str) -> str:
    # email-validator's messages are long sentences; a rep needs a few words.
    if "@" not in text:
        return "not an email address (no @)"
    if text.count("@") > 1 and "quoted" not in detail:
        return "not an email address (more than one @)"
    if "after the @-sign" in detail or "domain" in detail.lower():
        return "not a valid email domain"
    return "not a valid email address"


def email_domain(address: str | None) -> str | None:
    """The lower-cased domain of an email, or None."""
    if not address:
        return None
    domain = address.rpartition("@")[2].strip().lower()
    return domain or None


# Mail services anyone can sign up to: their domain says nothing about the person's company.
_FREE_MAIL = frozenset(
    {
        "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.de", "yahoo.fr",
        "ymail.com", "hotmail.com", "hotmail.co.uk", "hotmail.de", "hotmail.fr", "outlook.com",
        "outlook.de", "live.com", "live.de", "msn.com", "icloud.com", "me.com", "mac.com",
        "aol.com", "gmx.de", "gmx.net", "gmx.com", "gmx.at", "gmx.ch", "web.de", "t-online.de",
        "freenet.de", "proton.me", "protonmail.com", "mail.com", "yandex.ru", "yandex.com",
        "mail.ru", "qq.com", "163.com", "126.com", "orange.fr", "free.fr", "laposte.net",
        "libero.it", "virgilio.it", "btinternet.com", "zoho.com", "fastmail.com", "hey.com",
        "naver.com", "rediffmail.com", "seznam.cz", "wp.pl", "o2.pl", "interia.pl",
    }
)  # fmt: skip


def company_domain(domain: str | None) -> str | None:
    """An email domain that names the person's company: None for free mail services."""
    if not domain or domain in _FREE_MAIL or "." not in domain:
        return None
    return domain

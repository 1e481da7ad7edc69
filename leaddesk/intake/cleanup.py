"""Clean-up of single values from an export: text, names, companies, email, size, dates.

Every function takes text as typed and never raises on it; what cannot be understood comes back
as None (or a flag) so the row keeps the value as typed. Nothing here evaluates a spreadsheet
formula: ``=HYPERLINK(…)`` in a cell is just text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email

from leaddesk.intake.dates import parse_when
from leaddesk.intake.phones import PhoneResult, normalise_phone

__all__ = [
    "EmailResult",
    "PhoneResult",
    "company_key",
    "email_domain",
    "normalise_email",
    "normalise_phone",
    "parse_employees",
    "parse_when",
    "split_full_name",
    "tidy",
    "tidy_text",
]


def tidy(value: str) -> str:
    """Trim and collapse all runs of whitespace (newlines too) to one space: names, companies."""
    if not value:
        return ""
    return " ".join(value.split())


def tidy_text(value: str) -> str:
    """Trim free text (a message, notes) keeping its line breaks, as ``\\n``."""
    if not value:
        return ""
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    return "\n".join(" ".join(line.split()) for line in text.split("\n")) if "  " in text else text


# --- email --------------------------------------------------------------------------------------


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


# --- names and companies ------------------------------------------------------------------------

_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "herr", "frau", "mme"})
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md", "mba"})
_PARTICLES = frozenset(
    {"van", "von", "de", "der", "den", "del", "della", "di", "da", "du", "la", "le", "dos", "ter"}
)


def split_full_name(full: str) -> tuple[str, str]:
    """(first, last) from one name cell: "Ada Lovelace", "Lovelace, Ada", "Dr. Ludwig van Gogh".

    Particles (van, de, von…) stay with the last name; honorifics are dropped; a single word is
    a first name.
    """
    text = tidy(full)
    if not text:
        return "", ""
    if text.count(",") == 1:
        last, first = (tidy(part) for part in text.split(","))
        if first and last and first.rstrip(".").casefold() not in _SUFFIXES:
            return first, last
        text = tidy(text.replace(",", " "))
    words = text.split(" ")
    while len(words) > 1 and words[0].rstrip(".").casefold() in _TITLES:
        words.pop(0)
    if len(words) == 1:
        return words[0], ""
    end = len(words)
    while end > 2 and words[end - 1].rstrip(".").casefold() in _SUFFIXES:
        end -= 1
    start = end - 1
    while start > 1 and words[start - 1].casefold() in _PARTICLES:
        start -= 1
    return " ".join(words[:start]), " ".join(words[start:])


_LEGAL_FORMS = frozenset(
    {
        "inc", "incorporated", "llc", "ltd", "limited", "corp", "corporation", "co", "plc",
        "llp", "lp", "gmbh", "mbh", "ag", "kg", "ohg", "ug", "se", "sa", "sas", "sarl", "srl",
        "spa", "bv", "nv", "oy", "oyj", "ab", "as", "asa", "aps", "kk", "pty", "pte", "pvt",
        "sl", "slu", "sro", "zrt", "kft", "doo", "ltda", "cv", "sc", "sdn", "bhd",
    }
)  # fmt: skip
_JOINERS = frozenset({"and", "und", "et"})
_JOINING = str.maketrans({".": None, "'": None, "’": None, "&": " and ", "ß": "ss"})
_NON_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=65536)
def company_key(name: str) -> str:
    """A key for matching one company written different ways: "ACME, Inc." == "Acme Inc" == "acme".

    Casefolded, accents and punctuation removed, "&" read as "and", a leading "the" and trailing
    legal forms (Inc, LLC, GmbH & Co. KG, S.A., B.V., plc…) dropped. Never empties a name made
    only of such words ("Co-Op Ltd" keeps "co op").
    """
    text = name.casefold()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    # Dots and apostrophes join ("S.A." is "sa", "O'Brien" is "obrien"); other marks split.
    words = _NON_WORD.sub(" ", text.translate(_JOINING)).split()
    if len(words) > 1 and words[0] == "the":
        words.pop(0)
    while len(words) > 1 and (words[-1] in _LEGAL_FORMS or words[-1] in _JOINERS):
        words.pop()
    return " ".join(words)


# --- company size -------------------------------------------------------------------------------

_NUMBER = re.compile(r"(\d[\d,.' ]*)\s*([kKmM])?(?![\d])")
_THOUSANDS = re.compile(r"^\d{1,3}(?:[,.' ]\d{3})+$")


def parse_employees(text: str) -> int | None:
    """Headcount from a size cell: "500" -> 500, "1,000+" -> 1000, "51-200" -> 51, "10k" -> 10000.

    A range gives its lower bound: the bucket guarantees at least that many, and fit rules
    written as "at least N employees" then never over-score a company. "Self-employed" is 1.
    """
    value = text.strip()
    if not value:
        return None
    if value.casefold() in ("self-employed", "self employed", "myself only", "sole trader"):
        return 1
    found = _NUMBER.search(value)
    if found is None:
        return None
    digits, scale = found.group(1).strip(" "), found.group(2)
    if _THOUSANDS.match(digits):
        digits = re.sub(r"\D", "", digits)
    else:
        digits = digits.replace(",", ".").replace("'", "").replace(" ", "")
        if digits.count(".") > 1:
            return None
    try:
        number = float(digits)
    except ValueError:
        return None
    if scale:
        number *= 1000 if scale in "kK" else 1_000_000
    count = int(number)
    if 0 < count < 10_000_000:
        return count
    return None

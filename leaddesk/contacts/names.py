"""Name clean-up, the same for an import, a search and a contact correction
(docs/architecture.md §6): tidy text, a person's first and last name, a company's matching key.

Every function takes text as typed and never raises on it. Nothing here evaluates a spreadsheet
formula: ``=HYPERLINK(…)`` in a cell is just text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


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

"""Clean-up of single values from an export: text, names, companies, email, size, dates.

Phones, emails and names are cleaned the same way everywhere, so their clean-up lives in
``leaddesk/contacts/`` and is gathered here for intake; company size is intake's own. Every
function takes text as typed and never raises on it; what cannot be understood comes back as
None (or a flag) so the row keeps the value as typed.
"""

from __future__ import annotations

import re

from leaddesk.contacts.emails import EmailResult, company_domain, email_domain, normalise_email
from leaddesk.contacts.names import company_key, split_full_name, tidy, tidy_text
from leaddesk.contacts.phones import PhoneResult, normalise_phone
from leaddesk.intake.dates import parse_when

__all__ = [
    "EmailResult",
    "PhoneResult",
    "company_domain",
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

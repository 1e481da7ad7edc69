"""Keep spreadsheet cells inert: no cell in a handoff file may start a formula.

Excel, LibreOffice and Google Sheets treat a cell starting with = + - @ as a formula, and a
leading tab or line break can hide one; spreadsheets in East Asian locales also read the
full-width ＝ ＋ － ＠ as their ASCII forms. Such cells get a leading apostrophe, the usual
"this is text" mark, so the value shows as typed and nothing runs. Phone columns are the
one exception: a plain international number (+ and digits) stays as it is, because sales
dials it and a CRM import reads it.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
PLAIN_PHONE = re.compile(r"\+[0-9]{4,15}")


def neutralise(value: str, *, phone: bool = False) -> str:
    if phone and PLAIN_PHONE.fullmatch(value):
        return value
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def is_live(value: str, *, phone: bool = False) -> bool:
    """True if a spreadsheet could read ``value`` as a formula (used by verify)."""
    return value.startswith(FORMULA_STARTS) and not (phone and PLAIN_PHONE.fullmatch(value))

"""Dates from export columns ("Created Date", "Submitted On") to aware UTC datetimes.

Exports write dates every way: ISO with or without a zone, US "3/5/2024 2:15 PM", European
"05.03.2024 14:15", "Mar 5, 2024", Excel serial numbers, epoch seconds. strptime is slow and
would be tried format by format, so a few regexes pick the parts out instead.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo

_NUMERIC = re.compile(
    r"(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})"
    r"(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*([AaPp]\.?[Mm]\.?)?)?"
    r"\s*(Z|UTC|GMT|[+\-]\d{2}:?\d{2})?"
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january", "januar", "janvier"),
            ("feb", "february", "februar", "fevrier", "février"),
            ("mar", "march", "märz", "mars"),
            ("apr", "april", "avril"),
            ("may", "mai"),
            ("jun", "june", "juni", "juin"),
            ("jul", "july", "juli", "juillet"),
            ("aug", "august", "aout", "août"),
            ("sep", "sept", "september", "septembre"),
            ("oct", "october", "oktober", "octobre", "okt"),
            ("nov", "november", "novembre"),
            ("dec", "december", "dezember", "decembre", "décembre", "dez"),
        ),
        start=1,
    )
    for name in names
}
_TIME = (
    r"(?:[ T,]+(?:at\s+)?(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp]\.?[Mm]\.?)?)?"
    r"\s*(Z|UTC|GMT|[+\-]\d{2}:?\d{2})?"
)
_MONTH_FIRST = re.compile(
    r"(?:[A-Za-z]+,?\s+)??([A-Za-zäéû]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})" + _TIME
)
_DAY_FIRST = re.compile(
    r"(?:[A-Za-z]+,?\s+)?(\d{1,2})(?:st|nd|rd|th)?\.?\s+([A-Za-zäéû]+)\.?,?\s+(\d{4})" + _TIME
)
_EXCEL_EPOCH = datetime(1899, 12, 30, tzinfo=UTC)


def parse_when(text: str, *, day_first: bool = False, assume: tzinfo = UTC) -> datetime | None:
    """An aware UTC datetime from a typed date, or None when it cannot be read.

    ``day_first`` settles 03/05/2024 (US exports are month first; most of Europe day first);
    a part over 12 settles it by itself. Times without a zone are taken in ``assume``.
    """
    value = text.strip()
    if not value or len(value) > 64:
        return None
    parsed: datetime | None
    try:
        parsed = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        parsed = _parse_other(value, day_first)
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=assume)
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def _parse_other(value: str, day_first: bool) -> datetime | None:
    try:
        if value.isascii() and value.replace(".", "", 1).isdigit():
            return _from_number(value)
        found = _NUMERIC.fullmatch(value)
        if found:
            return _from_numeric(found, day_first)
        found = _MONTH_FIRST.fullmatch(value)
        if found:
            month, day = _MONTHS.get(found.group(1).casefold()), int(found.group(2))
            return _build(found, int(found.group(3)), month, day, 4)
        found = _DAY_FIRST.fullmatch(value)
        if found:
            day, month = int(found.group(1)), _MONTHS.get(found.group(2).casefold())
            return _build(found, int(found.group(3)), month, day, 4)
    except (ValueError, OverflowError):
        return None
    return None


def _from_number(value: str) -> datetime | None:
    number = float(value)
    if 20_000 <= number < 80_000:
        # An Excel serial date (1954–2119) that lost its date format on the way out.
        return _EXCEL_EPOCH + timedelta(days=number)
    if 1e9 <= number < 1e10:
        return datetime.fromtimestamp(number, UTC)
    if 1e12 <= number < 1e13:
        return datetime.fromtimestamp(number / 1000, UTC)
    return None


def _from_numeric(found: re.Match[str], day_first: bool) -> datetime | None:
    first, second, third = found.group(1), found.group(2), found.group(3)
    if len(first) == 4:
        year, month, day = int(first), int(second), int(third)
    else:
        a, b = int(first), int(second)
        year = int(third)
        if len(third) == 2:
            year += 2000 if year < 70 else 1900
        elif len(third) != 4:
            return None
        # Dotted dates (05.03.2024) are written day first everywhere they are used.
        dotted = found.string[found.end(1)] == "."
        if a > 12 or ((day_first or dotted) and b <= 12):
            day, month = a, b
        else:
            month, day = a, b
    return _build(found, year, month, day, 4)


def _build(
    found: re.Match[str], year: int, month: int | None, day: int, at: int
) -> datetime | None:
    if month is None:
        return None
    hour = int(found.group(at) or 0)
    minute = int(found.group(at + 1) or 0)
    second = int(found.group(at + 2) or 0)
    meridiem = (found.group(at + 3) or "").replace(".", "").casefold()
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    return datetime(year, month, day, hour, minute, second, tzinfo=_zone(found.group(at + 4)))


def _zone(text: str | None) -> tzinfo | None:
    if not text:
        return None
    if text in ("Z", "UTC", "GMT"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))

"""A salesperson's calendar as they give it: an ICS file or URL, read whole, checked and kept.

Refused, naming the file and changing nothing: not a calendar, bigger than ``MAX_BYTES``, or
times with no time zone (floating times in a calendar with no X-WR-TIMEZONE: nobody can say
when those meetings are).
"""

from __future__ import annotations

import urllib.error
import urllib.request
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from leaddesk.errors import InputError

MAX_BYTES = 2_000_000  # a year of a busy diary is a few hundred kilobytes
URL_TIMEOUT_SECONDS = 15
TIME_PROPERTIES = ("DTSTART", "DTEND", "RECURRENCE-ID")


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://", "webcal://"))


def read_calendar(source: str) -> str:
    """The calendar at ``source`` (a file or an http(s)/webcal URL), checked (see
    ``check_calendar``), as text."""
    data = _fetch(source) if is_url(source) else _read_file(source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            f"{source} is not a calendar: it is not UTF-8 text. Export the calendar as .ics "
            "(iCalendar) and give that file.",
            field="ics",
        ) from None
    check_calendar(text, source)
    return text


def _read_file(source: str) -> bytes:
    path = Path(source).expanduser()
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(_too_big(source, size), field="ics")
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"No calendar file at {source}; check the path.", field="ics") from None
    except IsADirectoryError:
        raise InputError(f"{source} is a folder; give the .ics file in it.", field="ics") from None
    except PermissionError:
        raise InputError(f"{source} cannot be read (no permission).", field="ics") from None


def _fetch(source: str) -> bytes:
    url = "https://" + source[len("webcal://") :] if source.lower().startswith("webcal") else source
    try:
        with urllib.request.urlopen(url, timeout=URL_TIMEOUT_SECONDS) as response:
            data: bytes = response.read(MAX_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise InputError(
            f"The calendar at {source} could not be fetched ({reason}); check the address, or "
            "save the calendar as a file and give that.",
            field="ics",
        ) from None
    if len(data) > MAX_BYTES:
        raise InputError(_too_big(source, len(data)), field="ics")
    return data


def _too_big(source: str, size: int) -> str:
    return (
        f"{source} is too big for a calendar ({size:,} bytes; at most {MAX_BYTES:,}). Export "
        "only the coming months, or share a calendar of working events only."
    )


def parse_calendar(text: str, source: str) -> Any:
    """The icalendar Calendar, with an X-WR-TIMEZONE applied to its floating times."""
    import icalendar
    import x_wr_timezone

    if "BEGIN:VCALENDAR" not in text[:2000].upper():
        raise InputError(
            f"{source} is not a calendar (no BEGIN:VCALENDAR). Export the calendar as .ics "
            "(iCalendar) and give that file.",
            field="ics",
        )
    try:
        calendar = icalendar.Calendar.from_ical(text)
        return x_wr_timezone.to_standard(calendar)
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(
            f"{source} is not a readable calendar: {first[:200]}. Export it again as .ics.",
            field="ics",
        ) from None


def check_calendar(text: str, source: str) -> None:
    """Refuse a calendar nobody can place in time, naming the file and the first bad event."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise InputError(_too_big(source, len(text.encode("utf-8"))), field="ics")
    calendar = parse_calendar(text, source)
    for event in calendar.walk("VEVENT"):
        for name in TIME_PROPERTIES:
            value = event.get(name)
            moment = getattr(value, "dt", None)
            if isinstance(moment, datetime) and moment.tzinfo is None:
                summary = str(event.get("SUMMARY", "")).strip() or "an event"
                raise InputError(
                    f"{source}: '{summary}' at {moment:%Y-%m-%d %H:%M} has no time zone, and the "
                    "calendar names none (X-WR-TIMEZONE). Export it from the calendar program "
                    "again with time zones, or add X-WR-TIMEZONE:Your/Zone at the top.",
                    field="ics",
                )
    # Expanding the recurring events once finds rules nobody can expand now, not at booking.
    from leaddesk.meetings.busy import busy_times

    start = datetime.combine(date.today(), datetime.min.time()).astimezone()
    busy_times(calendar, start, start + timedelta(days=14), "UTC", source)

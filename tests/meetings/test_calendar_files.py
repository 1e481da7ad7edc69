"""A salesperson's calendar: busy times from ICS (repeating events, time zones, all-day and
free events), and calendars refused with a message naming the file, changing nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from meeting_helpers import at, calendar

from leaddesk.errors import InputError
from leaddesk.meetings import calendar_file
from leaddesk.meetings.busy import busy_times
from leaddesk.meetings.calendar_file import check_calendar, parse_calendar, read_calendar

WEEK = (datetime(2026, 12, 7, tzinfo=UTC), datetime(2026, 12, 14, tzinfo=UTC))


def busy(path: Path, zone: str = "Europe/Berlin") -> list[tuple[datetime, datetime]]:
    text = read_calendar(str(path))
    return busy_times(parse_calendar(text, str(path)), *WEEK, zone, str(path))


def test_a_weekly_standup_in_berlin_blocks_every_weekday_at_its_local_time(tmp_path: Path) -> None:
    path = calendar(
        tmp_path / "sam.ics",
        """DTSTART;TZID=Europe/Berlin:20261130T093000
        DTEND;TZID=Europe/Berlin:20261130T100000
        RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR
        SUMMARY:Standup""",
    )
    found = busy(path)
    assert [start for start, _ in found] == [
        at(day, 9, 30, "Europe/Berlin") for day in range(7, 12)
    ]
    assert all(end - start == (at(7, 10) - at(7, 9, 30)) for start, end in found)


def test_utc_times_and_an_exception_to_a_repeating_event_are_honoured(tmp_path: Path) -> None:
    path = calendar(
        tmp_path / "sam.ics",
        """DTSTART:20261207T130000Z
        DTEND:20261207T140000Z
        RRULE:FREQ=DAILY;COUNT=3
        EXDATE:20261208T130000Z
        SUMMARY:Pipeline review""",
    )
    assert [start for start, _ in busy(path)] == [at(7, 13), at(9, 13)]


def test_an_all_day_event_blocks_the_day_and_a_free_one_blocks_nothing(tmp_path: Path) -> None:
    path = calendar(
        tmp_path / "sam.ics",
        """DTSTART;VALUE=DATE:20261208
        DTEND;VALUE=DATE:20261209
        SUMMARY:Trade show""",
        """DTSTART:20261209T100000Z
        DTEND:20261209T110000Z
        TRANSP:TRANSPARENT
        SUMMARY:Lunch and learn (optional)""",
    )
    assert busy(path) == [(at(8, 0, 0, "Europe/Berlin"), at(9, 0, 0, "Europe/Berlin"))]


def test_floating_times_take_the_calendars_own_zone_when_it_names_one(tmp_path: Path) -> None:
    path = calendar(
        tmp_path / "sam.ics",
        """DTSTART:20261207T150000
        DTEND:20261207T160000
        SUMMARY:Client call""",
        header="X-WR-TIMEZONE:America/New_York",
    )
    assert busy(path) == [(at(7, 15, 0, "America/New_York"), at(7, 16, 0, "America/New_York"))]


def test_floating_times_with_no_zone_anywhere_are_refused_naming_file_and_event(
    tmp_path: Path,
) -> None:
    path = calendar(
        tmp_path / "sam.ics",
        """DTSTART:20261207T150000
        DTEND:20261207T160000
        SUMMARY:Client call""",
    )
    with pytest.raises(InputError, match=r"sam\.ics: 'Client call' at 2026-12-07 15:00 has no"):
        read_calendar(str(path))


def test_a_file_that_is_not_a_calendar_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text("Name,Phone\nSam,+4930123\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"contacts.csv is not a calendar") as refused:
        read_calendar(str(path))
    assert refused.value.field == "ics"


def test_a_broken_calendar_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "broken.ics"
    path.write_text("BEGIN:VCALENDAR\r\nthis is no content line\r\nEND:VCALENDAR\r\n")
    with pytest.raises(InputError, match=r"broken\.ics is not a readable calendar"):
        read_calendar(str(path))


def test_a_calendar_over_the_size_cap_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.ics"
    path.write_bytes(b"BEGIN:VCALENDAR\r\n" + b"X" * calendar_file.MAX_BYTES)
    with pytest.raises(InputError, match=r"huge.ics is too big for a calendar \(2,000,017 bytes"):
        read_calendar(str(path))


def test_a_missing_file_and_an_unreachable_url_say_so(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"No calendar file at .*nowhere\.ics"):
        read_calendar(str(tmp_path / "nowhere.ics"))
    with pytest.raises(InputError, match=r"http://127\.0\.0\.1:9/sam\.ics could not be fetched"):
        read_calendar("http://127.0.0.1:9/sam.ics")


def test_a_calendar_published_at_a_url_is_read(tmp_path: Path, httpserver: object) -> None:
    from pytest_httpserver import HTTPServer

    assert isinstance(httpserver, HTTPServer)
    text = calendar(tmp_path / "sam.ics", "DTSTART:20261207T130000Z\nDTEND:20261207T140000Z")
    httpserver.expect_request("/sam.ics").respond_with_data(
        text.read_bytes(), content_type="text/calendar"
    )
    check_calendar(read_calendar(httpserver.url_for("/sam.ics")), "sam.ics")

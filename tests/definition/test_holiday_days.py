"""A day's public holidays are worked out once and then read from the cache file, so a new
``leaddesk`` process does not build some 260 holiday calendars to list a queue."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from leaddesk.definition import holiday_days
from leaddesk.definition.business_time import public_holiday

REFORMATION_DAY = date(2026, 10, 31)  # a holiday in Saxony, not in Bavaria nor nationally
UNITY_DAY = date(2026, 10, 3)  # national


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv(holiday_days.CACHE_ENV, str(tmp_path))
    holiday_days.forget()
    yield tmp_path
    holiday_days.forget()


def _no_calendars(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(country: str, subdivision: str | None) -> None:
        raise AssertionError(f"built a calendar for {country}/{subdivision}")

    holiday_days.country_calendar.cache_clear()
    monkeypatch.setattr(holiday_days, "holiday_calendar", refuse)


def test_a_regional_holiday_closes_its_region_by_code_and_by_name(cache_folder: Path) -> None:
    saxony = holiday_days.holiday_day("DE", REFORMATION_DAY)
    assert not saxony.national
    assert saxony.closes("Sachsen") and saxony.closes(" SN ")
    assert not saxony.closes("Bayern") and not saxony.closes(None)
    assert holiday_days.holiday_day("DE", UNITY_DAY).closes(None)


def test_a_new_process_reads_the_days_answers_without_building_a_calendar(
    cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert public_holiday(REFORMATION_DAY, "de", "sachsen")
    assert holiday_days.calendar_exists("DE", "BY")
    holiday_days.forget()  # as a new process starts: only the file is left
    _no_calendars(monkeypatch)
    assert public_holiday(REFORMATION_DAY, "DE", "Sachsen")
    assert not public_holiday(REFORMATION_DAY, "DE", "Bayern")
    assert holiday_days.calendar_exists("DE", "BY")
    assert list(cache_folder.glob("holidays-*.json"))


def test_an_unreadable_cache_file_is_worked_out_again_and_rewritten(cache_folder: Path) -> None:
    holiday_days.cache_file().write_text("{not json", encoding="utf-8")
    assert public_holiday(UNITY_DAY, "DE")
    assert not public_holiday(date(2026, 10, 5), "DE")
    holiday_days.forget()
    assert '"day|DE|2026-10-03": [true' in holiday_days.cache_file().read_text(encoding="utf-8")


def test_a_country_the_holidays_package_lacks_has_no_holidays(cache_folder: Path) -> None:
    assert holiday_days.holiday_day("ZZ", UNITY_DAY) == holiday_days.HolidayDay(False, ())
    assert not holiday_days.calendar_exists("ZZ", None)

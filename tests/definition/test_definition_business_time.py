"""The speed-to-lead clock runs only while the team is open: weekends, holidays and DST."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leaddesk.definition import (
    BusinessHours,
    Policy,
    business_hours_between,
    default_definition_path,
    is_business_time,
    load_definition,
    next_opening,
    sla_deadline,
    within_calling_hours,
)

NEW_YORK = ZoneInfo("America/New_York")
POLICY = load_definition(default_definition_path("bant")).policy


def ny(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    """A New York wall-clock time, as the UTC instant the core works with."""
    return datetime(year, month, day, hour, minute, tzinfo=NEW_YORK).astimezone(UTC)


def test_shipped_policy_is_new_york_office_hours() -> None:
    assert POLICY.timezone == "America/New_York"
    assert (POLICY.holiday_country, POLICY.holiday_subdivision) == ("US", "NY")
    assert POLICY.business_hours.start == time(9, 0)


def test_inquiry_during_hours_is_due_two_hours_later() -> None:
    assert sla_deadline(ny(2024, 6, 12, 10, 15), POLICY) == ny(2024, 6, 12, 12, 15)


def test_late_friday_inquiry_runs_over_the_weekend() -> None:
    # One hour on Friday, one on Monday morning.
    assert sla_deadline(ny(2024, 6, 14, 16, 0), POLICY) == ny(2024, 6, 17, 10, 0)


def test_inquiry_at_night_starts_the_clock_at_opening() -> None:
    assert sla_deadline(ny(2024, 6, 12, 3, 0), POLICY) == ny(2024, 6, 12, 11, 0)
    assert sla_deadline(ny(2024, 6, 15, 12, 0), POLICY) == ny(2024, 6, 17, 11, 0)  # a Saturday


def test_public_holiday_is_skipped() -> None:
    # 4 July 2024 is a Thursday.
    assert sla_deadline(ny(2024, 7, 3, 16, 30), POLICY) == ny(2024, 7, 5, 10, 30)
    assert not is_business_time(ny(2024, 7, 4, 11, 0), POLICY)


def test_spring_forward_weekend_keeps_wall_clock_opening() -> None:
    # DST starts Sunday 10 March 2024: Friday closes at 22:00 UTC, Monday opens at 13:00 UTC.
    deadline = sla_deadline(ny(2024, 3, 8, 16, 0), POLICY)
    assert deadline == ny(2024, 3, 11, 10, 0)
    assert deadline == datetime(2024, 3, 11, 14, 0, tzinfo=UTC)


def test_fall_back_weekend_keeps_wall_clock_opening() -> None:
    deadline = sla_deadline(ny(2024, 11, 1, 16, 30), POLICY)
    assert deadline == datetime(2024, 11, 4, 15, 30, tzinfo=UTC)  # 10:30 EST


def test_dst_change_inside_opening_hours_counts_real_hours() -> None:
    # A 24/7 desk: the night DST starts has one real hour fewer.
    always_open = Policy(
        timezone="America/New_York",
        business_hours=BusinessHours(time(0, 0), time(23, 59, 59, 999999), frozenset(range(7))),
        speed_to_lead_hours=4,
    )
    start = ny(2024, 3, 10, 0, 30)
    deadline = sla_deadline(start, always_open)
    assert deadline - start == timedelta(hours=4)
    assert deadline.astimezone(NEW_YORK).hour == 5  # 00:30 EST + 4 real hours = 05:30 EDT


def test_business_hours_between_counts_only_open_time() -> None:
    friday, monday = ny(2024, 6, 14, 16, 0), ny(2024, 6, 17, 10, 0)
    assert business_hours_between(friday, monday, POLICY) == 2.0
    assert business_hours_between(monday, friday, POLICY) == -2.0
    assert business_hours_between(ny(2024, 7, 3, 9, 0), ny(2024, 7, 6, 9, 0), POLICY) == 16.0


def test_next_opening() -> None:
    assert next_opening(ny(2024, 6, 14, 17, 0), POLICY) == ny(2024, 6, 17, 9, 0)
    open_now = ny(2024, 6, 14, 12, 0)
    assert next_opening(open_now, POLICY) == open_now


def test_calling_hours_are_the_called_persons_local_time() -> None:
    evening_in_la = ny(2024, 6, 12, 23, 30)  # 20:30 in Los Angeles
    assert within_calling_hours(evening_in_la, "America/Los_Angeles", POLICY)
    assert not within_calling_hours(evening_in_la, "America/New_York", POLICY)
    assert not within_calling_hours(ny(2024, 6, 12, 7, 59), NEW_YORK, POLICY)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        sla_deadline(datetime(2024, 6, 12, 10, 0), POLICY)


@settings(max_examples=80, deadline=None)
@given(st.datetimes(datetime(2023, 1, 1), datetime(2027, 12, 31), timezones=st.just(UTC)))
def test_deadline_is_always_sla_business_hours_after_arrival(arrived: datetime) -> None:
    deadline = sla_deadline(arrived, POLICY)
    assert deadline.tzinfo == UTC
    assert deadline > arrived
    assert business_hours_between(arrived, deadline, POLICY) == pytest.approx(2.0)
    assert is_business_time(deadline - timedelta(seconds=1), POLICY)

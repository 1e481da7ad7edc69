"""Free slots: working hours on the salesperson's own clock (across DST), minus their
calendar and the meetings booked already, shown in the prospect's time and the rep's."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from meeting_helpers import at, calendar, prospect

from leaddesk.clock import FixedClock
from leaddesk.meetings.calendars import calendar_info, calendar_row
from leaddesk.meetings.hours import WorkingHours
from leaddesk.meetings.slots import working_slots
from leaddesk.store.models import SalesCalendar, User
from tests.factories import Team


def test_default_hours_are_weekdays_nine_to_five_on_the_salespersons_clock(
    team: Team, clock: FixedClock
) -> None:
    lead = prospect(team)
    with team.desk("rep1") as desk:
        free = desk.meetings.slots(lead, days=7)
    assert (free.salesperson, free.salesperson_zone) == ("sales1", "Europe/Berlin")
    assert free.prospect_zone == "Europe/London"
    starts = [slot.local("Europe/Berlin") for slot in free.slots]
    # Monday 09:00 Berlin is now: the first slot still to come is 09:30.
    assert starts[0] == at(7, 9, 30, "Europe/Berlin").astimezone(starts[0].tzinfo)
    assert {s.weekday() for s in starts} == {0, 1, 2, 3, 4}
    assert min(s.time() for s in starts).isoformat() == "09:00:00"
    assert max(s.time() for s in starts).isoformat() == "16:30:00"
    assert len(free.slots) == 15 + 4 * 16
    # The prospect in London hears an hour earlier than the salesperson's clock says.
    assert free.slots[0].local(free.prospect_zone).hour == 8


def test_a_working_day_stays_nine_to_five_locally_across_the_spring_change() -> None:
    row = SalesCalendar(user_id=1, updated_at=datetime(2026, 3, 1, tzinfo=UTC))
    friday = datetime(2026, 3, 27, 0, 0, tzinfo=UTC)
    slots = working_slots(row, "Europe/Berlin", friday, 4)  # Fri, Sat, Sun, Mon
    firsts = sorted(
        {
            slot.starts_at
            for slot in slots
            if slot.local("Europe/Berlin").hour == 9 and slot.local("Europe/Berlin").minute == 0
        }
    )
    # 09:00 Berlin is 08:00 UTC in winter and 07:00 UTC from Sunday 29 March.
    assert firsts == [
        datetime(2026, 3, 27, 8, 0, tzinfo=UTC),
        datetime(2026, 3, 30, 7, 0, tzinfo=UTC),
    ]
    # New York changed three weeks earlier: a prospect there hears 04:00, then 03:00.
    assert [f"{s.astimezone(ZoneInfo('America/New_York')):%H:%M}" for s in firsts] == [
        "04:00",
        "03:00",
    ]


def test_adjusted_hours_and_weekdays_are_kept_and_used(team: Team) -> None:
    lead = prospect(team)
    with team.desk("lead1") as desk:
        info = desk.meetings.set_calendar("sales1", hours="10:00-12:00", weekdays="tue,thu")
    assert info.hours == WorkingHours(
        start=datetime(2026, 1, 1, 10).time(), end=datetime(2026, 1, 1, 12).time(), weekdays=(1, 3)
    )
    with team.desk("rep1") as desk:
        free = desk.meetings.slots(lead, days=7)
    local = [slot.local("Europe/Berlin") for slot in free.slots]
    assert [f"{s:%a %H:%M}" for s in local] == [
        f"{day} {time}" for day in ("Tue", "Thu") for time in ("10:00", "10:30", "11:00", "11:30")
    ]


def test_busy_times_and_meetings_booked_already_are_not_offered(team: Team, tmp_path: Path) -> None:
    lead, other = prospect(team), prospect(team, "rep2")
    path = calendar(
        tmp_path / "sam.ics",
        """DTSTART;TZID=Europe/Berlin:20261207T140000
        DTEND;TZID=Europe/Berlin:20261207T150000
        RRULE:FREQ=DAILY;COUNT=2
        SUMMARY:Pipeline""",
    )
    with team.desk("sales1") as desk:
        info = desk.meetings.set_calendar("sales1", ics=str(path), email="sam@sales.example")
    with team.store.reading() as session:
        row = calendar_row(session, team.ids["sales1"])
        salesperson = session.get_one(User, team.ids["sales1"])
        assert calendar_info(salesperson, row).events == 1
    assert (info.source, info.email) == (str(path), "sam@sales.example")
    with team.desk("rep2") as desk:
        desk.meetings.book(other, at(7, 11, 0, "Europe/Berlin"), ics_out=tmp_path / "a.ics")
    with team.desk("rep1") as desk:
        free = desk.meetings.slots(lead, days=2)
    starts = {slot.starts_at for slot in free.slots}
    assert at(7, 11, 0, "Europe/Berlin") not in starts  # booked by rep2
    assert (
        at(7, 14, 0, "Europe/Berlin") not in starts and at(8, 14, 30, "Europe/Berlin") not in starts
    )
    assert at(7, 15, 0, "Europe/Berlin") in starts and at(9, 14, 0, "Europe/Berlin") not in starts
    assert free.calendar == str(path)


def test_a_calendar_given_again_says_which_booked_meetings_it_now_clashes_with(
    team: Team, tmp_path: Path
) -> None:
    lead = prospect(team)
    with team.desk("rep1") as desk:
        desk.meetings.book(lead, at(8, 10, 0, "Europe/Berlin"), ics_out=tmp_path / "a.ics")
    path = calendar(
        tmp_path / "sam.ics",
        """DTSTART;TZID=Europe/Berlin:20261208T093000
        DTEND;TZID=Europe/Berlin:20261208T103000
        SUMMARY:Board meeting""",
    )
    with team.desk("sales1") as desk:
        info = desk.meetings.set_calendar("sales1", ics=str(path))
    assert info.clashes == (f"lead {lead}, Tue 08 Dec 09:00 (Europe/London)",)


def test_only_slots_inside_the_prospects_calling_hours_are_offered(team: Team) -> None:
    """Berlin's 09:00–17:00 is 17:00–01:00 in Tokyo: the prospect is offered the slots up to
    21:00 their time (the policy's calling hours), never one at midnight."""
    lead = prospect(team, zone="Asia/Tokyo", country="JP")
    with team.desk("rep1") as desk:
        free = desk.meetings.slots(lead, days=3)
    tokyo = ZoneInfo("Asia/Tokyo")
    assert free.slots, "Berlin's mornings are Tokyo's evenings: some slots fit"
    for slot in free.slots:
        local_start, local_end = slot.starts_at.astimezone(tokyo), slot.ends_at.astimezone(tokyo)
        assert local_start.hour >= 8 and (local_end.hour, local_end.minute) <= (21, 0)
    assert at(7, 13, 0, "Europe/Berlin") not in {slot.starts_at for slot in free.slots}

"""Booking on the call: one transaction, no double booking across reps (two at once get one
booking and one Conflict naming who took it), the invitation parsed back (METHOD, a stable UID,
SEQUENCE going up on a move and a cancellation), the lead's timeline, and who may book."""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path

import pytest
from icalendar import Calendar
from meeting_helpers import at, prospect

from leaddesk.clock import FixedClock
from leaddesk.errors import Conflict, InputError, LeadDeskError, NotPermitted
from tests.factories import Team


def invitation(path: Path) -> tuple[Calendar, dict[str, object]]:
    calendar = Calendar.from_ical(path.read_bytes())
    event = calendar.walk("VEVENT")[0]
    return calendar, event


def test_booking_writes_an_invitation_for_prospect_and_salesperson(
    team: Team, tmp_path: Path
) -> None:
    lead = prospect(team)
    with team.desk("sales1") as desk:
        desk.meetings.set_calendar("sales1", email="sam@sales.example")
    thursday_ten_london = at(10, 10, 0, "Europe/London")
    with team.desk("rep1") as desk:
        sent = desk.meetings.book(
            lead,
            datetime(2026, 12, 10, 10, 0),  # no zone: the prospect's time, as agreed
            decision_maker="Jane Roe, CFO <jane@prospect.example>",
            others=("Raj, IT lead",),
            ics_out=tmp_path / "invite.ics",
        )
    meeting = sent.meeting
    assert meeting.starts_at == thursday_ten_london
    assert meeting.when == "Thu 10 Dec 10:00 (Europe/London)"
    assert sent.invitation == tmp_path / "invite.ics"
    calendar, event = invitation(sent.invitation)
    assert calendar["METHOD"] == "REQUEST"
    assert event["UID"] == meeting.uid and event["SEQUENCE"] == 0
    start = event["DTSTART"]
    assert start.params["TZID"] == "Europe/London"
    assert start.dt == thursday_ten_london
    assert calendar.walk("VTIMEZONE"), "the zone travels with the invitation"
    attendees = {str(a) for a in event["ATTENDEE"]}
    assert attendees == {
        f"mailto:pat{lead}@prospect.example",
        "mailto:sam@sales.example",
        "mailto:jane@prospect.example",
    }
    assert "Decision maker: Jane Roe, CFO" in str(event["DESCRIPTION"])
    assert sent.mailto.startswith(f"mailto:pat{lead}@prospect.example?cc=sam%40sales.example&")
    with team.desk("rep1") as desk:
        on = desk.meetings.of_lead(lead)
    assert on is not None and on.uid == meeting.uid


def test_a_move_and_a_cancellation_update_the_same_event(
    team: Team, tmp_path: Path, clock: FixedClock
) -> None:
    lead = prospect(team)
    path = tmp_path / "invite.ics"
    with team.desk("rep1") as desk:
        booked = desk.meetings.book(lead, at(10, 10, 0, "Europe/London"), ics_out=path)
    clock.advance(minutes=5)
    with team.desk("sales1") as desk:  # the salesperson moves it
        moved = desk.meetings.move(lead, at(10, 11, 0, "Europe/London"), ics_out=path)
    calendar, event = invitation(path)
    assert (calendar["METHOD"], event["UID"], event["SEQUENCE"]) == (
        "REQUEST",
        booked.meeting.uid,
        1,
    )
    assert event["DTSTART"].dt == at(10, 11, 0, "Europe/London")
    clock.advance(minutes=5)
    with team.desk("rep1") as desk:  # the rep cancels it
        cancelled = desk.meetings.cancel(lead, ics_out=path)
        timeline = desk.queue.lead_file(lead).timeline
    calendar, event = invitation(path)
    assert (calendar["METHOD"], event["UID"], event["SEQUENCE"]) == (
        "CANCEL",
        booked.meeting.uid,
        2,
    )
    assert event["STATUS"] == "CANCELLED"
    assert (moved.meeting.sequence, cancelled.meeting.status) == (1, "cancelled")
    texts = [entry.text for entry in timeline if entry.kind == "meeting"]
    assert texts == [
        "Meeting with Sales1 on Thu 10 Dec 11:00 (Europe/London) cancelled",
        "Meeting with Sales1 moved from Thu 10 Dec 10:00 (Europe/London) to Thu 10 Dec 11:00 "
        "(Europe/London)",
        "Meeting booked with Sales1 for Thu 10 Dec 10:00 (Europe/London)",
    ]
    # The slot is free again, for anyone.
    with team.desk("rep2") as desk:
        other = prospect(team, "rep2")
        desk.meetings.book(other, at(10, 11, 0, "Europe/London"), ics_out=tmp_path / "b.ics")


def test_a_slot_taken_by_a_colleague_is_refused_naming_them(team: Team, tmp_path: Path) -> None:
    mine, theirs = prospect(team), prospect(team, "rep2")
    slot = at(8, 10, 0, "Europe/Berlin")
    with team.desk("rep2") as desk:
        desk.meetings.book(theirs, slot, ics_out=tmp_path / "a.ics")
    with team.desk("rep1") as desk, pytest.raises(Conflict, match=r"was just taken by Rep2") as no:
        desk.meetings.book(mine, slot, ics_out=tmp_path / "b.ics")
    assert no.value.exit_code == 4
    with team.desk("rep1") as desk:
        assert desk.meetings.of_lead(mine) is None


def test_two_reps_booking_the_same_slot_at_once_get_one_booking_and_one_conflict(
    team: Team, tmp_path: Path
) -> None:
    leads = {"rep1": prospect(team), "rep2": prospect(team, "rep2")}
    slot = at(9, 15, 0, "Europe/Berlin")
    ready = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def book(rep: str) -> None:
        with team.desk(rep) as desk:
            ready.wait()
            try:
                outcomes[rep] = desk.meetings.book(leads[rep], slot, ics_out=tmp_path / rep)
            except LeadDeskError as exc:
                outcomes[rep] = exc

    threads = [threading.Thread(target=book, args=(rep,)) for rep in leads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    refused = [o for o in outcomes.values() if isinstance(o, Conflict)]
    booked = [rep for rep, o in outcomes.items() if not isinstance(o, LeadDeskError)]
    assert len(booked) == 1 and len(refused) == 1, outcomes
    assert f"was just taken by {booked[0].capitalize()}" in refused[0].message


def test_a_time_outside_working_hours_or_busy_is_not_a_free_slot(
    team: Team, tmp_path: Path
) -> None:
    lead = prospect(team)
    with team.desk("rep1") as desk:
        with pytest.raises(InputError, match="not the start of a 30-minute slot") as outside:
            desk.meetings.book(lead, at(8, 18, 0, "Europe/Berlin"), ics_out=tmp_path / "x.ics")
        with pytest.raises(InputError, match="has passed"):
            desk.meetings.book(lead, at(7, 7, 0), ics_out=tmp_path / "x.ics")
    assert outside.value.field == "at"


def test_reps_and_salespeople_book_and_admins_cannot(team: Team, tmp_path: Path) -> None:
    lead = prospect(team)
    with team.desk("admin") as desk, pytest.raises(NotPermitted, match="cannot book"):
        desk.meetings.book(lead, at(8, 10), ics_out=tmp_path / "x.ics")
    with team.desk("sales2") as desk, pytest.raises(NotPermitted, match="only with themselves"):
        desk.meetings.book(lead, at(8, 10), with_="sales1", ics_out=tmp_path / "x.ics")
    with team.desk("rep2") as desk, pytest.raises(NotPermitted, match="a colleague's"):
        desk.meetings.book(lead, at(8, 10), ics_out=tmp_path / "x.ics")
    with team.desk("sales2") as desk:
        sent = desk.meetings.book(lead, at(8, 10), ics_out=tmp_path / "x.ics")
    assert sent.meeting.salesperson == "sales2"
    with team.desk("sales1") as desk, pytest.raises(NotPermitted, match="is Sales2's"):
        desk.meetings.cancel(lead, ics_out=tmp_path / "x.ics")
    with team.desk("sales1") as desk, pytest.raises(NotPermitted, match="sets only their own"):
        desk.meetings.set_calendar("sales2", hours="08:00-12:00")


def test_a_lead_has_one_meeting_on_at_a_time(team: Team, tmp_path: Path) -> None:
    lead = prospect(team)
    with team.desk("rep1") as desk:
        desk.meetings.book(lead, at(8, 10), ics_out=tmp_path / "a.ics")
        with pytest.raises(Conflict, match="already has a meeting with Sales1"):
            desk.meetings.book(lead, at(8, 11), with_="sales2", ics_out=tmp_path / "b.ics")


def test_a_time_the_slot_list_never_offers_the_prospect_cannot_be_booked_or_moved_to(
    team: Team, tmp_path: Path
) -> None:
    """Christmas Day in London and midnight in Tokyo are in the salesperson's working hours
    but not in the prospect's calling hours: the slot list leaves them out, and so does
    booking or moving by hand, saying why; nothing is booked or moved."""
    london = prospect(team)
    tokyo = prospect(team, zone="Asia/Tokyo", country="JP")
    christmas = at(25, 10, 0, "Europe/London")
    with team.desk("rep1") as desk:
        assert christmas not in {
            slot.starts_at for slot in desk.meetings.slots(london, days=30).slots
        }
        with pytest.raises(InputError, match="Christmas Day is a public holiday there") as holiday:
            desk.meetings.book(london, christmas, ics_out=tmp_path / "a.ics")
        with pytest.raises(InputError, match="outside their calling hours") as night:
            desk.meetings.book(tokyo, at(8, 16, 0, "Europe/Berlin"), ics_out=tmp_path / "b.ics")
        assert desk.meetings.of_lead(london) is None and desk.meetings.of_lead(tokyo) is None
        desk.meetings.book(london, at(8, 10, 0, "Europe/London"), ics_out=tmp_path / "c.ics")
        with pytest.raises(InputError, match="Christmas Day is a public holiday there"):
            desk.meetings.move(london, christmas, ics_out=tmp_path / "d.ics")
        on = desk.meetings.of_lead(london)
    assert holiday.value.field == "at" and night.value.field == "at"
    assert "Fri 25 Dec 10:00 (Europe/London) is no time for" in holiday.value.message
    assert on is not None and on.starts_at == at(8, 10, 0, "Europe/London")

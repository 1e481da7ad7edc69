"""A meeting the salesperson moved or cancelled in their own calendar program follows when
they give LeadDesk their calendar again: same UID, SEQUENCE + 1, on the lead's timeline."""

from __future__ import annotations

from pathlib import Path

import icalendar
from meeting_helpers import at, prospect

from tests.factories import Team


def accepted_copy(uid: str, start: str, *, status: str = "CONFIRMED") -> str:
    """The event as it sits in the salesperson's calendar once they accepted the invitation
    (and perhaps moved it there): LeadDesk's UID, their time."""
    return f"""UID:{uid}
        DTSTART;TZID=Europe/Berlin:{start}
        DURATION:PT30M
        STATUS:{status}
        SUMMARY:Call with a prospect"""


def their_calendar(path: Path, *events: str) -> Path:
    """The salesperson's calendar file holding these events, each with its own UID line."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//Calendar//EN"]
    for event in events:
        lines += ["BEGIN:VEVENT", "DTSTAMP:20261201T000000Z"]
        lines += [line.strip() for line in event.splitlines()]
        lines.append("END:VEVENT")
    path.write_text("\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n", encoding="utf-8")
    return path


def test_a_meeting_moved_in_the_salespersons_calendar_is_moved_here(
    team: Team, tmp_path: Path
) -> None:
    lead, other = prospect(team), prospect(team)
    with team.desk("rep1") as desk:
        booked = desk.meetings.book(lead, at(8, 10, 0, "Europe/Berlin"), ics_out=tmp_path / "a.ics")
        gone = desk.meetings.book(other, at(8, 11, 0, "Europe/Berlin"), ics_out=tmp_path / "b.ics")
    uid, cancelled_uid = booked.meeting.uid, gone.meeting.uid
    path = their_calendar(
        tmp_path / "sam.ics",
        accepted_copy(uid, "20261208T143000"),
        accepted_copy(cancelled_uid, "20261208T110000", status="CANCELLED"),
    )
    with team.desk("sales1") as desk:
        info = desk.meetings.set_calendar("sales1", ics=str(path))
    assert info.clashes == ()  # its own meetings are not "busy" against themselves
    assert len(info.followed) == 2
    assert any(f"lead {lead}: moved in the calendar" in line for line in info.followed)
    assert any(f"lead {other}: cancelled in the calendar" in line for line in info.followed)
    with team.desk("rep1") as desk:
        moved = desk.meetings.of_lead(lead)
        assert moved is not None and moved.starts_at == at(8, 14, 30, "Europe/Berlin")
        assert (moved.uid, moved.sequence) == (uid, 1)
        assert desk.meetings.of_lead(other) is None
        timeline = [entry.text for entry in desk.queue.lead_file(lead).timeline]
    assert any("moved from" in text for text in timeline)
    written = [line.split("(invitation: ")[1].rstrip(")") for line in info.followed]
    update = icalendar.Calendar.from_ical(Path(written[0]).read_bytes())
    [event] = update.walk("VEVENT")
    assert (str(event["UID"]), int(event["SEQUENCE"])) in {(uid, 1), (cancelled_uid, 1)}
    # The freed slot is offered again; the new one is not.
    with team.desk("rep1") as desk:
        starts = {slot.starts_at for slot in desk.meetings.slots(prospect(team), days=3).slots}
    assert at(8, 11, 0, "Europe/Berlin") in starts
    assert at(8, 14, 30, "Europe/Berlin") not in starts


def test_a_calendar_move_onto_a_taken_slot_is_said_and_the_meeting_stays(
    team: Team, tmp_path: Path
) -> None:
    lead, other = prospect(team), prospect(team)
    with team.desk("rep1") as desk:
        booked = desk.meetings.book(lead, at(8, 10, 0, "Europe/Berlin"), ics_out=tmp_path / "a.ics")
        desk.meetings.book(other, at(8, 15, 0, "Europe/Berlin"), ics_out=tmp_path / "b.ics")
    path = their_calendar(
        tmp_path / "sam.ics", accepted_copy(booked.meeting.uid, "20261208T150000")
    )
    with team.desk("sales1") as desk:
        info = desk.meetings.set_calendar("sales1", ics=str(path))
    assert len(info.followed) == 1 and "not here" in info.followed[0]
    with team.desk("rep1") as desk:
        kept = desk.meetings.of_lead(lead)
    assert kept is not None and kept.starts_at == at(8, 10, 0, "Europe/Berlin")

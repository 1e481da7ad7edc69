"""A meeting moved after its lead was exported, for a team that gets its hand-offs as files.

A batch is what was sent: written again (``handoff rewrite``) it gives the same bytes, the
meeting where it was then. The move reaches the salesperson as the invitation's update (same
UID, SEQUENCE + 1) their calendar applies, and on their page, which shows the new time and
where it was; a cancellation likewise, as cancelled rather than gone."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import icalendar
import pytest
from sqlalchemy import select

from leaddesk.clock import FixedClock
from leaddesk.store.models import Lead, Person, User
from tests.handoff.handoff_helpers import Team, make_team


@pytest.fixture
def handoff_team(store_location: str) -> Iterator[Team]:
    # Wednesday 18 November 2026, 15:00 UTC: the rep books Thursday 10:00 London time.
    team = make_team(store_location, FixedClock(datetime.fromisoformat("2026-11-18T15:00Z")))
    with team.store.transaction() as session:
        sales = session.scalar(select(User).where(User.name == "sales1"))
        assert sales is not None
        sales.timezone = "Europe/Berlin"
    yield team
    team.store.close()


def exported_with_meeting(team: Team, tmp_path: Path) -> tuple[int, str, Path]:
    """A lead booked for Thursday 10:00 London time and exported: its batch's code and CSV."""
    lead_id = team.qualified_lead("rep1")
    with team.store.transaction() as session:
        lead = session.get(Lead, lead_id)
        assert lead is not None
        person = session.get(Person, lead.person_id)
        assert person is not None
        person.zone_key = "Europe/London"
    with team.desk("rep1") as desk:
        desk.meetings.book(
            lead_id, datetime(2026, 11, 19, 10, 0), with_="sales1", ics_out=tmp_path / "b.ics"
        )
        batch = desk.handoff.export(tmp_path / "out").new_batch
    assert batch is not None
    return lead_id, batch.code, batch.folder / f"{batch.code}.csv"


def meeting_at(csv_path: Path, lead_id: int) -> str:
    rows = csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8-sig")))
    return next(row["Meeting At"] for row in rows if row["LeadDesk Lead ID"] == str(lead_id))


def test_a_batch_written_again_after_a_move_keeps_its_bytes_and_the_meeting_it_sent(
    handoff_team: Team, tmp_path: Path
) -> None:
    lead_id, code, csv_path = exported_with_meeting(handoff_team, tmp_path)
    before = {path.name: path.read_bytes() for path in csv_path.parent.iterdir()}
    handoff_team.clock.advance(hours=1)
    with handoff_team.desk("rep1") as desk:
        desk.meetings.move(lead_id, datetime(2026, 11, 19, 14, 0), ics_out=tmp_path / "m.ics")
    for path in csv_path.parent.iterdir():
        path.unlink()  # lost: written again from the store
    with handoff_team.desk("rep1") as desk:
        again = desk.handoff.rewrite(code)
    assert again.same_as_before
    after = {path.name: path.read_bytes() for path in csv_path.parent.iterdir()}
    assert after == before
    assert meeting_at(csv_path, lead_id) == "2026-11-19 10:00 Europe/London"


def test_a_meeting_booked_after_the_export_is_not_written_into_its_batch(
    handoff_team: Team, tmp_path: Path
) -> None:
    lead_id, code, csv_path = exported_with_meeting(handoff_team, tmp_path)
    handoff_team.clock.advance(hours=1)
    with handoff_team.desk("rep1") as desk:
        desk.meetings.cancel(lead_id, ics_out=tmp_path / "c.ics")
        desk.meetings.book(
            lead_id, datetime(2026, 11, 20, 11, 0), with_="sales1", ics_out=tmp_path / "n.ics"
        )
        assert desk.handoff.rewrite(code).same_as_before
    assert meeting_at(csv_path, lead_id) == "2026-11-19 10:00 Europe/London"


def test_the_move_reaches_the_salesperson_as_the_invitations_update_and_on_their_page(
    handoff_team: Team, tmp_path: Path
) -> None:
    lead_id, _code, _csv = exported_with_meeting(handoff_team, tmp_path)
    first = icalendar.Calendar.from_ical((tmp_path / "b.ics").read_bytes())
    [booked] = first.walk("VEVENT")
    handoff_team.clock.advance(hours=1)
    with handoff_team.desk("rep1") as desk:
        sent = desk.meetings.move(
            lead_id, datetime(2026, 11, 19, 14, 0), ics_out=tmp_path / "m.ics"
        )
    assert sent.mailto.split("subject=")[1].startswith("Moved%3A%20Sales1")
    update = icalendar.Calendar.from_ical((tmp_path / "m.ics").read_bytes())
    [moved] = update.walk("VEVENT")
    assert str(update["METHOD"]) == "REQUEST"
    assert (str(moved["UID"]), int(moved["SEQUENCE"])) == (str(booked["UID"]), 1)
    assert moved["DTSTART"].dt.isoformat() == "2026-11-19T14:00:00+00:00"
    assert "Moved from Thu 19 Nov 10:00 (Europe/London)." in str(moved["DESCRIPTION"])
    with handoff_team.desk("sales1") as desk:
        record = desk.handoff.record(lead_id)
        [mine] = desk.meetings.mine()
    assert record.meeting is not None
    assert (record.meeting.when, record.meeting.was) == (
        "Thu 19 Nov 14:00 (Europe/London)",
        "Thu 19 Nov 10:00",
    )
    assert (mine.when, mine.was, mine.cancelled) == (record.meeting.when, "Thu 19 Nov 10:00", False)
    handoff_team.clock.advance(hours=1)
    with handoff_team.desk("rep1") as desk:
        desk.meetings.cancel(lead_id, ics_out=tmp_path / "x.ics")
    cancel = icalendar.Calendar.from_ical((tmp_path / "x.ics").read_bytes())
    [gone] = cancel.walk("VEVENT")
    assert (str(cancel["METHOD"]), int(gone["SEQUENCE"])) == ("CANCEL", 2)
    with handoff_team.desk("sales1") as desk:
        record = desk.handoff.record(lead_id)
        [mine] = desk.meetings.mine()
    assert record.meeting is not None and record.meeting.cancelled
    assert mine.cancelled and mine.when == "Thu 19 Nov 14:00 (Europe/London)"
    with handoff_team.desk("rep1") as desk:  # the rep's timeline says both, newest first
        said = [e.text for e in desk.queue.lead_file(lead_id).timeline if e.kind == "meeting"]
    assert said[:2] == [
        "Meeting with Sales1 on Thu 19 Nov 14:00 (Europe/London) cancelled",
        "Meeting with Sales1 moved from Thu 19 Nov 10:00 (Europe/London) to "
        "Thu 19 Nov 14:00 (Europe/London)",
    ]

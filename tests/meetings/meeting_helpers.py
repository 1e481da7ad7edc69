"""A small team with two salespeople, and calendars written as the tests need them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from leaddesk.clock import FixedClock
from leaddesk.domain import Role
from leaddesk.store.models import Person, User
from tests.factories import EVERYONE, Team

# Monday 7 December 2026, 08:00 UTC: 09:00 in Berlin, 08:00 in London.
MONDAY = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


def meeting_team(location: str, clock: FixedClock) -> Team:
    """rep1, rep2, lead1, sales1 (Berlin), sales2 (London), admin."""
    team = Team(location, clock, (*EVERYONE, ("sales2", Role.SALES)), display_name=str.capitalize)
    with team.store.transaction() as session:
        for name, zone in (("sales1", "Europe/Berlin"), ("sales2", "Europe/London")):
            user = session.scalar(select(User).where(User.name == name))
            assert user is not None
            user.timezone = zone
    return team


def prospect(team: Team, owner: str = "rep1", zone: str = "Europe/London", **fields: object) -> int:
    """A lead whose person is in ``zone`` (as the calling hours know it), with an email."""
    lead_id = team.lead(owner, **{"country": "GB", **fields})
    with team.store.transaction() as session:
        lead = team.get(lead_id)
        person = session.get(Person, lead.person_id)
        assert person is not None
        person.zone_key = zone
        person.email = f"pat{lead_id}@prospect.example"
    return lead_id


def calendar(path: Path, *events: str, header: str = "") -> Path:
    """An .ics file holding ``events`` (each the lines inside one VEVENT)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//Calendar//EN"]
    if header:
        lines.append(header)
    for number, event in enumerate(events):
        lines += ["BEGIN:VEVENT", f"UID:event-{number}@test", "DTSTAMP:20261201T000000Z"]
        lines += [line.strip() for line in event.strip().splitlines()]
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def at(day: int, hour: int, minute: int = 0, zone: str = "UTC") -> datetime:
    """A moment in December 2026 on ``zone``'s wall clock, in UTC."""
    from zoneinfo import ZoneInfo

    return datetime(2026, 12, day, hour, minute, tzinfo=ZoneInfo(zone)).astimezone(UTC)

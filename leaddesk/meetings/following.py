"""A meeting the salesperson moved or cancelled in their own calendar program follows when
they give LeadDesk their calendar again.

LeadDesk's invitation carries a stable UID; once the salesperson accepts it, their calendar
holds an event of that UID. When the calendar they give again has that event at another time,
the meeting is moved (its invitation updated with SEQUENCE+1, on the lead's timeline, as a
move by hand is); when the event says STATUS:CANCELLED, the meeting is cancelled. A move the
store cannot follow (the new time is taken by another booking) is said, and the meeting stays.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from leaddesk.errors import LeadDeskError
from leaddesk.meetings import booking
from leaddesk.meetings.busy import as_utc
from leaddesk.store.models import Meeting, User

Followed = tuple[str, booking.MeetingInfo | None]


def follow_calendar(
    session: Session, calendar: Any, *, salesperson: User, actor: User, at: datetime
) -> list[Followed]:
    """Move or cancel the salesperson's meetings still to come as their calendar now has
    them: what was done (or could not be) in words, each with the meeting changed (its
    invitation to send again), or None when it stayed as it was."""
    meetings = {
        meeting.uid: meeting
        for meeting in session.scalars(
            select(Meeting).where(
                Meeting.salesperson_id == salesperson.id,
                Meeting.held_start.is_not(None),
                Meeting.ends_at > at,
            )
        )
    }
    if not meetings:
        return []
    zone = ZoneInfo(salesperson.timezone or "UTC")
    said: list[Followed] = []
    for event in calendar.walk("VEVENT"):
        meeting = meetings.get(str(event.get("UID", "")))
        if meeting is None or event.get("RRULE") is not None or event.get("DTSTART") is None:
            continue
        lead_id = meeting.lead_id
        try:
            with session.begin_nested():  # a refused change leaves the meeting as it was
                said.append(_follow(session, event, meeting, actor, zone, at))
        except LeadDeskError as refused:
            why = refused.message
            said.append((f"lead {lead_id}: changed in the calendar, not here: {why}", None))
    return [item for item in said if item[0]]


def _follow(
    session: Session, event: Any, meeting: Meeting, actor: User, zone: ZoneInfo, at: datetime
) -> Followed:
    """One meeting as its event now is: cancelled, moved, or ("", None) when unchanged."""
    lead_id = meeting.lead_id
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        info = booking.cancel(session, lead_id=lead_id, actor=actor, at=at)
        return (f"lead {lead_id}: cancelled in the calendar, and here", info)
    start = as_utc(event["DTSTART"].dt, zone)
    if start == meeting.starts_at:
        return ("", None)
    info = booking.move(session, lead_id=lead_id, actor=actor, start=start, at=at)
    return (f"lead {lead_id}: moved in the calendar to {info.when}", info)

"""A salesperson's meetings booked through LeadDesk ("My meetings"), and a lead's meeting as
the hand-off carries it."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from leaddesk.meetings.booking import MeetingInfo, latest_meeting, meeting_info
from leaddesk.meetings.history import on_at, with_past
from leaddesk.store.models import Meeting

# A meeting that ended this long ago still shows, so today's finished ones stay in view.
STILL_SHOWN = timedelta(hours=12)


def meetings_with(session: Session, salesperson_id: int, at: datetime) -> list[MeetingInfo]:
    """Their meetings from today on, soonest first: those on, each moved one saying where it
    was, and those cancelled (said, not silently gone)."""
    rows = session.scalars(
        select(Meeting)
        .where(
            Meeting.salesperson_id == salesperson_id,
            Meeting.ends_at > at - STILL_SHOWN,
        )
        .order_by(Meeting.starts_at, Meeting.id)
    )
    return with_past(session, list(rows))


def meeting_of(session: Session, lead_id: int) -> MeetingInfo | None:
    """The lead's meeting still on (a cancelled one is not carried into the hand-off), saying
    where it was if it was moved."""
    row = latest_meeting(session, lead_id)
    if row is None or row.held_start is None:
        return None
    return with_past(session, [row])[0]


def meetings_of(
    session: Session, lead_ids: list[int], at: datetime | None = None
) -> dict[int, MeetingInfo]:
    """The meetings on for each of ``lead_ids`` (a batch's leads); with ``at``, as they
    stood then (a batch written again says what it said the first time)."""
    if at is not None:
        return on_at(session, lead_ids, at)
    found: dict[int, MeetingInfo] = {}
    for start in range(0, len(lead_ids), 500):
        chunk = lead_ids[start : start + 500]
        for row in session.scalars(select(Meeting).where(Meeting.held_lead_id.in_(chunk))):
            found[row.lead_id] = meeting_info(session, row)
    return found

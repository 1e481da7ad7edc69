"""Each salesperson's working hours and calendar: set by them (or their team lead), read when
a rep asks for their free slots."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, time
from functools import lru_cache
from typing import Any

from sqlalchemy.orm import Session

from leaddesk import audit
from leaddesk.audit.actions import AuditAction
from leaddesk.domain import Role
from leaddesk.errors import InputError
from leaddesk.meetings.busy import busy_times
from leaddesk.meetings.calendar_file import parse_calendar
from leaddesk.meetings.hours import WorkingHours, stored_hours
from leaddesk.store.models import Meeting, SalesCalendar, User


@dataclass(frozen=True)
class CalendarInfo:
    """What ``users calendar`` set, as it reports it."""

    salesperson: str
    hours: WorkingHours
    source: str | None
    email: str | None
    events: int
    # Meetings booked through LeadDesk that the calendar now says are busy ("lead 12, Thu 10
    # Dec 10:00 (Europe/London)"): the rep or the salesperson moves them.
    clashes: tuple[str, ...] = ()
    # Meetings moved or cancelled in the salesperson's own calendar program, followed here
    # (leaddesk/meetings/following.py), and those that could not be.
    followed: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "salesperson": self.salesperson,
            "hours": self.hours.describe(),
            "calendar": self.source,
            "email": self.email,
            "events": self.events,
            "clashes": list(self.clashes),
            "followed": list(self.followed),
        }


def salesperson_named(session: Session, name: str) -> User:
    """An active salesperson by login or display name, else a message listing them."""
    from sqlalchemy import func, select

    wanted = name.strip().lower()
    user = session.scalar(
        select(User).where((User.name == wanted) | (func.lower(User.display_name) == wanted))
    )
    if user is None or user.role is not Role.SALES or not user.active:
        team = session.scalars(
            select(User.name).where(User.role == Role.SALES, User.active.is_(True))
        ).all()
        what = "is not an active salesperson" if user is not None else "is no user here"
        known = ", ".join(team) or "none yet"
        raise InputError(f"'{name}' {what}; pick one of: {known}.", field="with")
    return user


def set_calendar(
    session: Session,
    *,
    salesperson: User,
    actor_id: int | None,
    at: datetime,
    source: str | None = None,
    text: str | None = None,
    hours: tuple[time, time] | None = None,
    weekdays: tuple[int, ...] | None = None,
    email: str | None = None,
) -> CalendarInfo:
    """Keep what was given (what was not stays as it was); audited."""
    row = calendar_row(session, salesperson.id)
    if row is None:
        row = SalesCalendar(user_id=salesperson.id, updated_at=at)
        session.add(row)
    if text is not None:
        row.source, row.calendar_text, row.loaded_at = source, text, at
    if hours is not None:
        row.day_start, row.day_end = hours[0].strftime("%H:%M"), hours[1].strftime("%H:%M")
    if weekdays is not None:
        row.weekdays = "".join(str(day) for day in weekdays)
    if email is not None:
        row.email = email.strip() or None
    row.updated_by_id, row.updated_at = actor_id, at
    info = calendar_info(salesperson, row)
    if text is not None:
        info = replace(info, clashes=_clashes(session, salesperson, text, source or "", at))
    audit.record(
        session,
        at=at,
        actor_id=actor_id,
        action=AuditAction.CALENDAR_SET,
        subject=f"user:{salesperson.name}",
        details=info.as_json(),
    )
    return info


def calendar_row(session: Session, user_id: int) -> SalesCalendar | None:
    from sqlalchemy import select

    return session.scalar(select(SalesCalendar).where(SalesCalendar.user_id == user_id))


def calendar_info(salesperson: User, row: SalesCalendar | None) -> CalendarInfo:
    events = 0
    if row is not None and row.calendar_text:
        events = len(parsed(row.calendar_text, row.source or "the calendar").walk("VEVENT"))
    return CalendarInfo(
        salesperson=salesperson.name,
        hours=hours_of(row),
        source=row.source if row else None,
        email=row.email if row else None,
        events=events,
    )


def hours_of(row: SalesCalendar | None) -> WorkingHours:
    if row is None:
        return stored_hours(None, None, None)
    return stored_hours(row.day_start, row.day_end, row.weekdays)


@lru_cache(maxsize=16)
def parsed(text: str, source: str) -> Any:
    """A kept calendar parsed once per process (slots are asked for again and again)."""
    return parse_calendar(text, source)


def _clashes(
    session: Session, salesperson: User, text: str, source: str, at: datetime
) -> tuple[str, ...]:
    """The meetings on with them from now that the new calendar says they are busy for."""
    from zoneinfo import ZoneInfo

    from sqlalchemy import select

    meetings = list(
        session.scalars(
            select(Meeting)
            .where(
                Meeting.salesperson_id == salesperson.id,
                Meeting.held_start.is_not(None),
                Meeting.ends_at > at,
            )
            .order_by(Meeting.starts_at)
        )
    )
    if not meetings:
        return ()
    zone = salesperson.timezone or "UTC"
    busy = busy_times(
        parsed(text, source), meetings[0].starts_at, meetings[-1].ends_at, zone, source
    )
    found = []
    for meeting in meetings:
        if any(begin < meeting.ends_at and end > meeting.starts_at for begin, end in busy):
            their = meeting.prospect_zone or "UTC"
            when = meeting.starts_at.astimezone(ZoneInfo(their))
            found.append(f"lead {meeting.lead_id}, {when:%a %d %b %H:%M} ({their})")
    return tuple(found)

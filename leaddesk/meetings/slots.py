"""A salesperson's free slots: their working hours in their own zone, minus the busy times of
their calendar, minus the meetings already booked through LeadDesk, and only those inside the
prospect's calling hours (the policy's, on their clock: nobody is offered a call at 02:00);
shown in the prospect's time and the rep's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from leaddesk.definition import within_calling_hours
from leaddesk.definition.business_time import not_a_calling_time
from leaddesk.meetings.busy import Interval, busy_times
from leaddesk.meetings.calendars import calendar_row, hours_of, parsed
from leaddesk.queue import zones
from leaddesk.queue.policy import current_policy
from leaddesk.store.models import Lead, Meeting, Person, SalesCalendar, User

SLOT_MINUTES = 30
MAX_DAYS = 60


@dataclass(frozen=True)
class Slot:
    starts_at: datetime  # UTC
    ends_at: datetime

    def local(self, zone: str) -> datetime:
        return self.starts_at.astimezone(ZoneInfo(zone))


@dataclass(frozen=True)
class FreeSlots:
    """What the slot picker shows: whose slots, in which zones, and the slots themselves."""

    lead_id: int
    salesperson: str
    salesperson_name: str
    salesperson_zone: str
    prospect: str
    prospect_zone: str
    rep_zone: str
    hours: str
    calendar: str | None  # where their busy times came from; None: working hours only
    slots: tuple[Slot, ...]
    # The days they work (Monday = 0, in their zone): the picker shows only those days.
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)
    # Free working slots left out only because they fall outside the prospect's calling hours.
    outside_calling_hours: int = 0
    days: int = 7  # how many days were looked at

    def further_days(self) -> int | None:
        """How many days to look at for a slot when there is none, or None when looking further
        ahead cannot help."""
        if self.outside_calling_hours or self.days >= MAX_DAYS:
            return None
        return min(max(14, self.days * 2), MAX_DAYS)

    def none_because(self) -> str:
        """Why there is no slot, when there is none: the salesperson's free time and the
        prospect's calling hours never meet (looking further ahead will not help), or the
        days looked at are full."""
        if self.outside_calling_hours:
            return (
                f"{self.salesperson_name}'s free time never falls inside {self.prospect}'s "
                f"calling hours ({self.prospect_zone}): looking further ahead will not help"
            )
        return f"{self.salesperson_name} has no free time in these days"

    def as_json(self) -> dict[str, Any]:
        return {
            "lead_id": self.lead_id,
            "salesperson": self.salesperson,
            "salesperson_zone": self.salesperson_zone,
            "prospect_zone": self.prospect_zone,
            "rep_zone": self.rep_zone,
            "hours": self.hours,
            "calendar": self.calendar,
            "slots": [
                {
                    "start": slot.starts_at.isoformat().replace("+00:00", "Z"),
                    "prospect_time": slot.local(self.prospect_zone).isoformat(),
                    "rep_time": slot.local(self.rep_zone).isoformat(),
                    "salesperson_time": slot.local(self.salesperson_zone).isoformat(),
                }
                for slot in self.slots
            ],
        }


@dataclass(frozen=True)
class Zones:
    prospect: str
    rep: str
    salesperson: str


def zones_for(session: Session, lead: Lead, rep: User | None, salesperson: User) -> Zones:
    """The prospect's zone as the calling hours know it (the team's when unknown), the rep's
    and the salesperson's own (the team's when they gave none)."""
    policy = current_policy(session)
    person = session.get(Person, lead.person_id)
    known = zones.zones_of(person.zone_key if person else None)
    return Zones(
        prospect=known[0] if known else policy.timezone,
        rep=(rep.timezone if rep is not None and rep.timezone else None) or policy.timezone,
        salesperson=salesperson.timezone or policy.timezone,
    )


def free_slots(
    session: Session,
    *,
    lead: Lead,
    salesperson: User,
    rep: User | None,
    at: datetime,
    days: int,
) -> FreeSlots:
    """The salesperson's free slots from ``at`` for ``days`` days."""
    days = max(1, min(days, MAX_DAYS))
    where = zones_for(session, lead, rep, salesperson)
    row = calendar_row(session, salesperson.id)
    candidates = working_slots(row, where.salesperson, at, days)
    if candidates:
        taken = _blocked(session, row, salesperson.id, where.salesperson, candidates)
        candidates = [slot for slot in candidates if not _overlaps(slot, taken)]
    person = session.get(Person, lead.person_id)
    policy = current_policy(session)
    country = person.country if person else None
    free = len(candidates)
    candidates = [
        slot
        for slot in candidates
        if within_calling_hours(slot.starts_at, where.prospect, policy, country)
        and within_calling_hours(
            slot.ends_at - timedelta(minutes=1), where.prospect, policy, country
        )
    ]
    return FreeSlots(
        lead_id=lead.id,
        salesperson=salesperson.name,
        salesperson_name=salesperson.display_name,
        salesperson_zone=where.salesperson,
        prospect=person.full_name if person else f"lead {lead.id}",
        prospect_zone=where.prospect,
        rep_zone=where.rep,
        hours=hours_of(row).describe(),
        weekdays=hours_of(row).weekdays,
        calendar=row.source if row is not None and row.calendar_text else None,
        slots=tuple(candidates),
        outside_calling_hours=free - len(candidates),
        days=days,
    )


def working_slots(row: SalesCalendar | None, zone: str, at: datetime, days: int) -> list[Slot]:
    """Every slot of their working hours starting after ``at``, for ``days`` days (their
    days: a working day is built on their wall clock, so it stays 09:00–17:00 across DST)."""
    hours = hours_of(row)
    local = ZoneInfo(zone)
    first_day = at.astimezone(local).date()
    step = timedelta(minutes=SLOT_MINUTES)
    slots: list[Slot] = []
    for offset in range(days):
        day: date = first_day + timedelta(days=offset)
        if day.weekday() not in hours.weekdays:
            continue
        begin = datetime.combine(day, hours.start, tzinfo=local).astimezone(UTC)
        close = datetime.combine(day, hours.end, tzinfo=local).astimezone(UTC)
        start = begin
        while start + step <= close:
            if start > at:
                slots.append(Slot(start, start + step))
            start += step
    return slots


def why_not_free(
    session: Session,
    *,
    salesperson: User,
    start: datetime,
    at: datetime,
    lead: Lead | None = None,
    prospect_zone: str | None = None,
) -> str | None:
    """None if ``start`` is one of the salesperson's free slots now; else why not, in words
    (a slot booked by someone else is the caller's to word, with who took it). With the lead
    and the prospect's zone, a slot outside the prospect's calling hours (a public holiday
    there, a weekend, late at night) is not free either, as the slot list never offers it."""
    row = calendar_row(session, salesperson.id)
    zone = salesperson.timezone or current_policy(session).timezone
    local = start.astimezone(ZoneInfo(zone))
    if start <= at:
        return f"{local:%a %d %b %H:%M} has passed"
    days = (local.date() - at.astimezone(ZoneInfo(zone)).date()).days + 1
    if days > MAX_DAYS:
        return f"{local:%a %d %b} is more than {MAX_DAYS} days ahead"
    slots = [slot for slot in working_slots(row, zone, at, days) if slot.starts_at == start]
    if not slots:
        hours = hours_of(row).describe()
        return (
            f"{local:%a %d %b %H:%M} ({zone}) is not the start of a {SLOT_MINUTES}-minute slot "
            f"in {salesperson.display_name}'s working hours ({hours})"
        )
    if row is not None and row.calendar_text:
        busy = busy_times(
            parsed(row.calendar_text, row.source or "the calendar"),
            slots[0].starts_at,
            slots[0].ends_at,
            zone,
            row.source or "the calendar",
        )
        if _overlaps(slots[0], busy):
            return f"{salesperson.display_name} is busy then in their calendar"
    if lead is not None and prospect_zone:
        return _not_for_prospect(session, lead, prospect_zone, slots[0])
    return None


def _not_for_prospect(session: Session, lead: Lead, zone: str, slot: Slot) -> str | None:
    """Why the prospect cannot be met in ``slot`` on their own clock, or None."""
    policy = current_policy(session)
    person = session.get(Person, lead.person_id)
    country = person.country if person else None
    who = person.full_name if person else f"lead {lead.id}"
    for moment in (slot.starts_at, slot.ends_at - timedelta(minutes=1)):
        local = moment.astimezone(ZoneInfo(zone))
        why = not_a_calling_time(local, policy, country)
        if why is not None:
            return f"{slot.local(zone):%a %d %b %H:%M} ({zone}) is no time for {who}: {why}"
    return None


def _blocked(
    session: Session, row: SalesCalendar | None, salesperson_id: int, zone: str, slots: list[Slot]
) -> list[Interval]:
    start, end = slots[0].starts_at, slots[-1].ends_at
    taken: list[Interval] = [
        (meeting.starts_at, meeting.ends_at)
        for meeting in session.scalars(
            select(Meeting).where(
                Meeting.salesperson_id == salesperson_id,
                Meeting.held_start.is_not(None),
                Meeting.starts_at < end,
                Meeting.ends_at > start,
            )
        )
    ]
    if row is not None and row.calendar_text:
        source = row.source or "the calendar"
        taken += busy_times(parsed(row.calendar_text, source), start, end, zone, source)
    return sorted(taken)


def _overlaps(slot: Slot, busy: list[Interval]) -> bool:
    return any(begin < slot.ends_at and end > slot.starts_at for begin, end in busy)

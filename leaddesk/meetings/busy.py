"""When a salesperson is busy according to their calendar, recurring events expanded."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from leaddesk.errors import InputError

Interval = tuple[datetime, datetime]
# The end of the UID of every invitation LeadDesk writes (leaddesk/meetings/invitation.py).
OURS = "@leaddesk"


def busy_times(
    calendar: Any, start: datetime, end: datetime, zone: str, source: str
) -> list[Interval]:
    """Busy intervals (UTC) overlapping [start, end): opaque, not cancelled events; an all-day
    event blocks its days in ``zone`` (the salesperson's), unless it is marked free."""
    import recurring_ical_events

    local = ZoneInfo(zone)
    try:
        events = recurring_ical_events.of(calendar).between(start, end)
    except Exception as exc:  # the library raises its own kinds for rules it cannot expand
        raise InputError(
            f"{source}: a repeating event cannot be expanded ({str(exc)[:200]}); fix or remove "
            "it in the calendar program and give the calendar again.",
            field="ics",
        ) from None
    busy: list[Interval] = []
    for event in events:
        if str(event.get("UID", "")).endswith(OURS):
            continue  # a meeting LeadDesk booked: the meetings table has it where it is now
        if str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
            continue
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        begins = event["DTSTART"].dt
        ends_prop = event.get("DTEND")
        if ends_prop is not None:
            ends = ends_prop.dt
        elif event.get("DURATION") is not None:
            ends = begins + event["DURATION"].dt
        else:
            ends = begins + (timedelta(days=1) if not isinstance(begins, datetime) else timedelta())
        busy.append((as_utc(begins, local), as_utc(ends, local)))
    return sorted(busy)


def as_utc(moment: date | datetime, local: ZoneInfo) -> datetime:
    """A calendar time in UTC: a floating time or a day read on ``local``'s clock."""
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time(0, 0), tzinfo=local)
    elif moment.tzinfo is None:
        moment = moment.replace(tzinfo=local)
    return moment.astimezone(UTC)

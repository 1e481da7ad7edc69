"""Business-hours arithmetic for SLAs: the clock runs only while the team is open.

Opening hours are wall-clock times in the team's zone, so a DST change moves them with the
team; durations are measured in real elapsed time. Weekends and the configured public holidays
are closed. Every datetime in and out is timezone-aware UTC.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from leaddesk.definition.holiday_days import country_calendar, holiday_day
from leaddesk.definition.policy import Policy

# Enough to find an opening past any run of holidays; a policy with no open day is rejected
# when the definition is read, so this bound is only a guard.
_MAX_DAYS = 3660


def _utc(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None:
        raise ValueError(f"{name} must be timezone-aware")
    return moment.astimezone(UTC)


def is_business_day(day: date, policy: Policy) -> bool:
    if day.weekday() not in policy.business_hours.weekdays:
        return False
    if policy.holiday_country:
        # Remembered per (country, day) on disk: an import's first SLA deadline need not
        # load the ``holidays`` package's 250 calendars (~1 s).
        closed = holiday_day(policy.holiday_country.upper(), day)
        return not closed.closes(policy.holiday_subdivision)
    return True


def _windows(start_day: date, policy: Policy) -> Iterator[tuple[datetime, datetime]]:
    """Open periods (UTC) from ``start_day`` on, in order."""
    zone = policy.zone
    hours = policy.business_hours
    for offset in range(_MAX_DAYS):
        day = start_day + timedelta(days=offset)
        if is_business_day(day, policy):
            yield (
                _wall(day, hours.start, zone),
                _wall(day, hours.end, zone),
            )
    raise ValueError("the policy has no business day in ten years")


def _wall(day: date, at: time, zone: ZoneInfo) -> datetime:
    # fold=0 and zoneinfo's handling of gaps give the usual reading of a skipped/doubled hour.
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def _local_day(moment: datetime, policy: Policy) -> date:
    return moment.astimezone(policy.zone).date()


def is_business_time(at: datetime, policy: Policy) -> bool:
    """Whether the team is open at this moment."""
    moment = _utc(at, "at")
    day = _local_day(moment, policy)
    if not is_business_day(day, policy):
        return False
    opens = _wall(day, policy.business_hours.start, policy.zone)
    closes = _wall(day, policy.business_hours.end, policy.zone)
    return opens <= moment < closes


def next_opening(at: datetime, policy: Policy) -> datetime:
    """``at`` itself if the team is open, else when it next opens."""
    moment = _utc(at, "at")
    for opens, closes in _windows(_local_day(moment, policy), policy):
        if moment < closes:
            return max(moment, opens)
    raise AssertionError("unreachable")  # pragma: no cover - _windows raises first


def add_business_hours(start: datetime, hours: float, policy: Policy) -> datetime:
    """The moment ``hours`` of open time after ``start``."""
    moment = _utc(start, "start")
    remaining = timedelta(hours=hours)
    for opens, closes in _windows(_local_day(moment, policy), policy):
        if moment >= closes:
            continue
        begin = max(moment, opens)
        if begin + remaining <= closes:
            return begin + remaining
        remaining -= closes - begin
    raise AssertionError("unreachable")  # pragma: no cover - _windows raises first


def sla_deadline(arrived_at: datetime, policy: Policy) -> datetime:
    """When a new lead must have been called: the speed-to-lead SLA in business hours.

    A lead arriving while the team is closed starts its clock at the next opening.
    """
    return add_business_hours(arrived_at, policy.speed_to_lead_hours, policy)


def business_hours_between(a: datetime, b: datetime, policy: Policy) -> float:
    """Open hours from ``a`` to ``b``; negative when ``b`` is before ``a``."""
    start, end = _utc(a, "a"), _utc(b, "b")
    if end < start:
        return -business_hours_between(b, a, policy)
    total = timedelta()
    for opens, closes in _windows(_local_day(start, policy), policy):
        if opens >= end:
            break
        overlap = min(closes, end) - max(opens, start)
        if overlap > timedelta():
            total += overlap
    return total.total_seconds() / 3600


def within_calling_hours(
    at: datetime,
    zone: str | ZoneInfo,
    policy: Policy,
    country: str | None = None,
    region: str | None = None,
) -> bool:
    """Whether a person in ``zone`` may be phoned at this moment (their local clock): inside
    their country's calling hours, on one of its calling weekdays, and not on a public holiday
    of their country (and region, when the ``holidays`` library knows it)."""
    local = _utc(at, "at").astimezone(ZoneInfo(zone) if isinstance(zone, str) else zone)
    hours = policy.calling_hours.for_country(country)
    if not hours.start <= local.time().replace(tzinfo=None) < hours.end:
        return False
    return calling_day(local.date(), policy, country, region)


def not_a_calling_time(
    local: datetime, policy: Policy, country: str | None = None, region: str | None = None
) -> str | None:
    """Why ``local`` (the person's wall clock) is no time to phone them, in words ("Sunday is
    not a calling day there", "Christmas Day is a public holiday there", "outside their
    calling hours (08:00–21:00)"); None when it is a calling time."""
    hours = policy.calling_hours.for_country(country)
    day = local.date()
    if day.weekday() not in hours.weekdays:
        return f"{local:%A} is not a calling day there"
    if public_holiday(day, country, region):
        return f"{holiday_name(day, country, region)} is a public holiday there"
    if not hours.start <= local.time().replace(tzinfo=None) < hours.end:
        return f"outside their calling hours ({hours.start:%H:%M}–{hours.end:%H:%M} their time)"
    return None


def holiday_name(day: date, country: str | None, region: str | None = None) -> str:
    for calendar in (
        country_calendar(country.upper(), None) if country else None,
        country_calendar(country.upper(), subdivision_of(country, region))
        if country and subdivision_of(country, region)
        else None,
    ):
        if calendar is not None and day in calendar:
            return str(calendar.get(day))
    return "It"


def calling_day(
    day: date, policy: Policy, country: str | None = None, region: str | None = None
) -> bool:
    """Whether people in ``country`` (and ``region``) may be phoned at all on ``day``."""
    if day.weekday() not in policy.calling_hours.for_country(country).weekdays:
        return False
    return not public_holiday(day, country, region)


def public_holiday(day: date, country: str | None, region: str | None = None) -> bool:
    """A public holiday of the country, or of its region; False for a country the ``holidays``
    library does not know (and for no country)."""
    if not country:
        return False
    # Asked of the day's remembered answer: no calendar is built in most processes.
    return holiday_day(country.upper(), day).closes(region)


@cache
def subdivision_of(country: str | None, region: str | None) -> str | None:
    """The ``holidays`` subdivision code a free-text region names ("Bayern", "BY"); None when
    it names none."""
    if not country or not region or not region.strip():
        return None
    national = country_calendar(country.upper(), None)
    if national is None:
        return None
    wanted = region.strip().casefold()
    for code in national.subdivisions:
        if code.casefold() == wanted:
            return str(code)
    aliases = getattr(national, "subdivisions_aliases", {}) or {}
    for alias, code in aliases.items():
        if str(alias).casefold() == wanted:
            return str(code)
    return None


def business_hours_before(end: datetime, hours: float, policy: Policy) -> datetime:
    """The moment ``hours`` of open time before ``end``: a Friday 16:30 inquiry is 24 business
    hours old only on the following Wednesday or so, never on the Sunday."""
    moment = _utc(end, "end")
    remaining = timedelta(hours=hours)
    zone, open_hours = policy.zone, policy.business_hours
    day = _local_day(moment, policy)
    for offset in range(_MAX_DAYS):
        current = day - timedelta(days=offset)
        if not is_business_day(current, policy):
            continue
        opens = _wall(current, open_hours.start, zone)
        closes = min(_wall(current, open_hours.end, zone), moment)
        if closes <= opens:
            continue
        if closes - remaining >= opens:
            return closes - remaining
        remaining -= closes - opens
    raise ValueError("the policy has no business day in ten years")

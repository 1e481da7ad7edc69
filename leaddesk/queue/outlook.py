"""When the queue has nothing to call: whether there are leads at all, when the first of the
rep's leads can be called (a callback or try coming due, or a lead's own calling hours
opening where it is), and whether today is no calling day in the team's country, so an empty
queue tells the rep what happens next instead of showing nothing.

The first callable moment is worked out per zone key and country the rep's leads are in (a
few dozen groups, read in one grouped query), never per lead."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import Session

from leaddesk.definition import Policy
from leaddesk.definition.business_time import calling_day, holiday_name, public_holiday
from leaddesk.domain import OPEN_STAGES
from leaddesk.queue import zones
from leaddesk.queue.policy import current_policy
from leaddesk.queue.rows import day_and_time
from leaddesk.store.models import Lead, Person

# How far ahead a calling day is looked for; a policy calling on no day is refused when read.
_LOOK_AHEAD_DAYS = 31


@dataclass(frozen=True)
class CallingPause:
    """Today is no calling day in the team's country: why, and when calling starts again."""

    why: str  # "Sunday", "Christmas Day"
    resumes_at: datetime
    zone: str  # the team's, named in the words

    def words(self, now: datetime) -> str:
        """ "Nobody is callable now: Sunday; calling resumes Monday 08:00 (Europe/Berlin)." """
        local = self.resumes_at  # in the team's zone
        soon = (local.date() - now.astimezone(local.tzinfo).date()).days < 7
        when = f"{local:%A %H:%M}" if soon else f"{local:%A} {local.day} {local:%b %H:%M}"
        return f"Nobody is callable now: {self.why}; calling resumes {when} ({self.zone})."


@dataclass(frozen=True)
class FirstCallable:
    """When the first of the rep's leads can be called, and what it waits for: "callback" or
    "try" (it comes due inside the person's calling hours), or "hours" (their calling hours
    or calling day)."""

    at: datetime
    waits_for: str
    team_zone: str


@dataclass(frozen=True)
class QueueOutlook:
    """The leads a rep's queue draws on (theirs, and the open pool where reps work it)."""

    open_leads: int
    next_callback_at: datetime | None
    next_retry_at: datetime | None
    pause: CallingPause | None = None
    first: FirstCallable | None = None

    def words(self, now: datetime, zone: tzinfo) -> str:
        """ "No leads to call yet.", "Nothing due now — next callback at 14:30.", …"""
        if not self.open_leads:
            return "No leads to call yet."
        first = self.first
        if first is not None:
            return self._first_words(first, now, zone)
        if self.pause is not None:
            return self.pause.words(now)
        due = [
            (moment, kind)
            for moment, kind in ((self.next_callback_at, "callback"), (self.next_retry_at, "try"))
            if moment is not None
        ]
        if due:
            moment, kind = min(due)
            when = day_and_time(moment.astimezone(zone), now.astimezone(zone).date())
            return f"Nothing due now — next {kind} at {when}."
        return f"Nothing due now: {self._waiting()} for their calling hours."

    def _waiting(self) -> str:
        if self.open_leads == 1:
            return "your open lead waits"
        return f"your {self.open_leads} open leads wait"

    def _first_words(self, first: FirstCallable, now: datetime, zone: tzinfo) -> str:
        if first.waits_for != "hours":
            when = day_and_time(first.at.astimezone(zone), now.astimezone(zone).date())
            return f"Nothing due now — next {first.waits_for} at {when}."
        team = ZoneInfo(first.team_zone)
        if self.pause is not None and first.at >= self.pause.resumes_at:
            # Today is no calling day here, and none of the rep's leads elsewhere is either.
            resumes = first.at.astimezone(team)
            return CallingPause(self.pause.why, resumes, self.pause.zone).words(now)
        local = first.at.astimezone(team)
        today = now.astimezone(team).date()
        if local.date() == today:
            when = f"at {local:%H:%M}"
        elif (local.date() - today).days < 7:
            when = f"{local:%A %H:%M}"
        else:
            when = f"{local:%A} {local.day} {local:%b %H:%M}"
        which = "it" if self.open_leads == 1 else "the first"
        return (
            f"Nothing due now: {self._waiting()} for their calling hours; "
            f"{which} can be called {when} ({first.team_zone})."
        )


def calling_pause(at: datetime, policy: Policy) -> CallingPause | None:
    """Why nobody is phoned today in the team's zone and country, and when calling resumes
    there; None on a calling day."""
    country, region = policy.holiday_country, policy.holiday_subdivision
    today = at.astimezone(policy.zone).date()
    if calling_day(today, policy, country, region):
        return None
    why = (
        holiday_name(today, country, region)
        if public_holiday(today, country, region)
        else f"{today:%A}"
    )
    day = _next_calling_day(today, policy)
    if day is None:
        return None
    start = policy.calling_hours.for_country(country).start
    resumes = datetime.combine(day, start, tzinfo=policy.zone)
    return CallingPause(why, resumes, policy.timezone)


def _next_calling_day(today: date, policy: Policy) -> date | None:
    country, region = policy.holiday_country, policy.holiday_subdivision
    for ahead in range(1, _LOOK_AHEAD_DAYS):
        day = today + timedelta(days=ahead)
        if calling_day(day, policy, country, region):
            return day
    return None


def queue_outlook(session: Session, user_id: int, at: datetime) -> QueueOutlook:
    policy = current_policy(session)
    mine: ColumnElement[bool] = Lead.assigned_to_id == user_id
    if policy.pool_visible_to_reps:
        mine = or_(mine, Lead.assigned_to_id.is_(None))
    reachable = (
        Lead.stage.in_(OPEN_STAGES),
        mine,
        Lead.hold_reason.is_(None),
        Person.do_not_call.is_(False),
        Person.erased_at.is_(None),
    )

    def query(what: ColumnElement[Any]) -> Select[tuple[Any]]:
        joined = select(what).select_from(Lead).join(Person, Person.id == Lead.person_id)
        return joined.where(*reachable)

    count = session.scalar(query(func.count())) or 0
    if not count:
        return QueueOutlook(0, None, None)
    callback = session.scalar(query(func.min(Lead.callback_at)).where(Lead.callback_at > at))
    retry = session.scalar(
        query(func.min(Lead.next_attempt_at)).where(
            Lead.callback_at.is_(None), Lead.next_attempt_at > at
        )
    )
    first = _first_callable(session, query, at, policy)
    return QueueOutlook(count, callback, retry, calling_pause(at, policy), first)


def _first_callable(
    session: Session,
    query: Callable[[ColumnElement[Any]], Select[tuple[Any]]],
    at: datetime,
    policy: Policy,
) -> FirstCallable | None:
    """The first moment after ``at`` one of the reachable leads can be called: per zone key
    and country, its leads due now (or with nothing due), its first callback and first try
    to come, each moved on to the first moment the group's calling hours are open."""
    country = func.upper(Person.country)
    due = func.coalesce(Lead.callback_at, Lead.next_attempt_at)
    due_now = func.sum(case((or_(due.is_(None), due <= at), 1), else_=0))
    callback = func.min(case((Lead.callback_at > at, Lead.callback_at)))
    retry = func.min(
        case((and_(Lead.callback_at.is_(None), Lead.next_attempt_at > at), Lead.next_attempt_at))
    )
    groups = session.execute(
        query(Person.zone_key.expression)
        .add_columns(country, due_now, callback, retry)
        .group_by(Person.zone_key, country)
    ).all()
    found: list[tuple[datetime, bool, str]] = []
    for key, where, now_due, next_callback, next_retry in groups:
        starts = [(at, "hours")] if now_due else []
        starts += [
            (_aware(moment), kind)
            for moment, kind in ((next_callback, "callback"), (next_retry, "try"))
            if moment is not None
        ]
        for start, kind in starts:
            opens = zones.first_callable(key, where, start, policy)
            if opens is None or opens <= at:
                continue  # callable now yet not in the queue (skipped, taken): not "next"
            # At the same moment, a lead coming due says more than one waiting for hours.
            waits_for = kind if opens == start else "hours"
            found.append((opens, waits_for == "hours", waits_for))
    if not found:
        return None
    moment, _order, waits_for = min(found)
    return FirstCallable(moment, waits_for, policy.timezone)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)

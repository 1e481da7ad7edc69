"""When the queue has nothing to call: whether there are leads at all, when the next one comes
due, and whether today is no calling day at all (a weekend, a public holiday of the team's
country), so an empty queue tells the rep what happens next instead of showing nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from leaddesk.definition import Policy
from leaddesk.definition.business_time import calling_day, holiday_name, public_holiday
from leaddesk.domain import OPEN_STAGES
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
class QueueOutlook:
    """The leads a rep's queue draws on (theirs, and the open pool where reps work it)."""

    open_leads: int
    next_callback_at: datetime | None
    next_retry_at: datetime | None
    pause: CallingPause | None = None

    def words(self, now: datetime, zone: tzinfo) -> str:
        """ "No leads to call yet.", "Nothing due now — next callback at 14:30.", …"""
        if not self.open_leads:
            return "No leads to call yet."
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
        if self.open_leads == 1:
            return "Nothing due now: your open lead waits for their calling hours."
        return f"Nothing due now: your {self.open_leads} open leads wait for their calling hours."


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
    return QueueOutlook(count, callback, retry, calling_pause(at, policy))

"""Speed-to-lead deadlines for many leads at once (demo data, big imports).

``leaddesk.definition.sla_deadline`` walks the calendar day by day for every lead, which is
right but slow for a million rows. Here the team's open periods over a date range are listed
once and each deadline is a binary search plus a short walk: the same answer, much faster.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, and_, or_, select

from leaddesk.definition import Policy
from leaddesk.definition.business_time import is_business_day, sla_deadline
from leaddesk.domain import OPEN_STAGES
from leaddesk.store.models import Lead, Person


class SlaClock:
    def __init__(self, policy: Policy, first_day: date, last_day: date) -> None:
        self.policy = policy
        zone = policy.zone
        hours = policy.business_hours
        self.opens: list[datetime] = []
        self.closes: list[datetime] = []
        day = first_day - timedelta(days=1)
        while day <= last_day + timedelta(days=1):
            if is_business_day(day, policy):
                self.opens.append(_wall(day, hours.start, zone))
                self.closes.append(_wall(day, hours.end, zone))
            day += timedelta(days=1)
        self.budget = timedelta(hours=policy.speed_to_lead_hours)

    def deadline(self, arrived_at: datetime) -> datetime:
        """As ``sla_deadline(arrived_at, policy)``; falls back to it outside the listed range."""
        moment = arrived_at.astimezone(UTC)
        index = bisect_right(self.closes, moment)
        remaining = self.budget
        while index < len(self.opens):
            begin = max(moment, self.opens[index])
            if begin + remaining <= self.closes[index]:
                return begin + remaining
            remaining -= self.closes[index] - begin
            index += 1
        return sla_deadline(arrived_at, self.policy)


def _wall(day: date, at: time, zone: object) -> datetime:
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)  # type: ignore[arg-type]


def overdue_first_call(at: datetime) -> ColumnElement[bool]:
    """Leads the queue words "call overdue": open, never called, past the speed-to-lead
    deadline, with no callback booked or retry set for later, and callable at all (not on
    hold, not do-not-call, not erased).

    The one definition of an SLA breach, so the rep's status bar, the team console and the
    queue's overdue rows count the same leads.
    """
    uncallable = (
        select(Person.id)
        .where(
            Person.id == Lead.person_id,
            or_(Person.do_not_call.is_(True), Person.erased_at.is_not(None)),
        )
        .exists()
    )
    return and_(
        Lead.stage.in_(sorted(OPEN_STAGES)),
        Lead.first_contact_at.is_(None),
        Lead.sla_due_at < at,
        Lead.callback_at.is_(None),
        or_(Lead.next_attempt_at.is_(None), Lead.next_attempt_at <= at),
        Lead.hold_reason.is_(None),
        ~uncallable,
    )

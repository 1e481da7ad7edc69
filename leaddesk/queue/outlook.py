"""When the queue has nothing to call: whether there are leads at all, and when the next one
comes due, so an empty queue tells the rep what happens next instead of showing nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from leaddesk.domain import OPEN_STAGES
from leaddesk.queue.policy import current_policy
from leaddesk.queue.rows import day_and_time
from leaddesk.store.models import Lead, Person


@dataclass(frozen=True)
class QueueOutlook:
    """The leads a rep's queue draws on (theirs, and the open pool where reps work it)."""

    open_leads: int
    next_callback_at: datetime | None
    next_retry_at: datetime | None

    def words(self, now: datetime, zone: tzinfo) -> str:
        """ "No leads to call yet.", "Nothing due now — next callback at 14:30.", …"""
        if not self.open_leads:
            return "No leads to call yet."
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


def queue_outlook(session: Session, user_id: int, at: datetime) -> QueueOutlook:
    mine: ColumnElement[bool] = Lead.assigned_to_id == user_id
    if current_policy(session).pool_visible_to_reps:
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
    return QueueOutlook(count, callback, retry)

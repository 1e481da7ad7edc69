"""What came into a rep's queue while they were busy: callbacks whose time has come, leads a
colleague handed them, fresh inquiries from an import or back from nurture.

The window asks every minute or so and says it in one line, so a rep on another call learns
that Ada expects her callback at 14:30 without watching the list. What the rep did themselves
(a lead they imported, a callback they just booked for in five minutes) is not news to them.

Each ask returns a mark to give to the next one; only what happened after the mark counts.
The look-ups walk the leads' and assignments' primary keys from the mark and the callback
index, so asking costs a few milliseconds however big the store is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from leaddesk.domain import OPEN_STAGES
from leaddesk.queue.listing import ROW_COLUMNS, facts_of, load_rows
from leaddesk.queue.ordering import Band, callback_window, classify, sort_key
from leaddesk.queue.rows import QueueRow
from leaddesk.queue.scope import QueueScope, scope_for
from leaddesk.store.models import Account, Assignment, Lead, Person

# More than this at once is said as a number; the queue lists them all anyway.
MOST = 100
# Bands worth interrupting a rep for; a retry coming due is the day's routine.
NEWS_BANDS = (Band.CALLBACK, Band.NEW)


@dataclass(frozen=True)
class QueueMark:
    """Where the last look stopped: its moment, and the newest lead and assignment it saw."""

    at: datetime
    lead_id: int
    assignment_id: int


def mark_now(session: Session, at: datetime) -> QueueMark:
    """A mark for ``at``: only what happens after it will be news."""
    return QueueMark(
        at=at,
        lead_id=session.scalar(select(func.coalesce(func.max(Lead.id), 0))) or 0,
        assignment_id=session.scalar(select(func.coalesce(func.max(Assignment.id), 0))) or 0,
    )


def arrivals(
    session: Session, user_id: int, mark: QueueMark, at: datetime
) -> tuple[list[QueueRow], QueueMark]:
    """Leads that came due or came to ``user_id`` after ``mark`` and can be called now, in
    queue order; and the mark for the next ask."""
    scope = scope_for(session, user_id, at)
    later = mark_now(session, at)
    if at <= mark.at:
        return [], later
    ids = (
        _callbacks_come_due(session, scope, mark)
        | _handed_over(session, user_id, mark)
        | _new_leads(session, scope, mark)
    )
    return _in_queue(session, scope, ids), later


def _callbacks_come_due(session: Session, scope: QueueScope, mark: QueueMark) -> set[int]:
    # A callback enters the queue a window before its time: news when that moment passed
    # since the last look.
    window = callback_window(scope.policy)
    statement = (
        select(Lead.id)
        .where(
            _owned(scope),
            Lead.stage.in_(sorted(OPEN_STAGES)),
            Lead.callback_at > mark.at + window,
            Lead.callback_at <= scope.at + window,
        )
        .limit(MOST)
    )
    return set(session.scalars(statement))


def _handed_over(session: Session, user_id: int, mark: QueueMark) -> set[int]:
    """Leads a colleague (or the sweep on a colleague's behalf) moved to the rep."""
    statement = (
        select(Assignment.lead_id)
        .where(
            Assignment.id > mark.assignment_id,
            Assignment.to_user_id == user_id,
            or_(Assignment.by_user_id.is_(None), Assignment.by_user_id != user_id),
        )
        .limit(MOST)
    )
    return set(session.scalars(statement))


def _new_leads(session: Session, scope: QueueScope, mark: QueueMark) -> set[int]:
    """Leads made since the mark that landed in the rep's queue without an assignment row:
    the open pool's, where reps call from it."""
    if not scope.include_pool:
        return set()
    statement = (
        select(Lead.id)
        .where(Lead.id > mark.lead_id, Lead.assigned_to_id.is_(None))
        .order_by(Lead.id)
        .limit(MOST)
    )
    return set(session.scalars(statement))


def _owned(scope: QueueScope) -> ColumnElement[bool]:
    mine = Lead.assigned_to_id == scope.user_id
    return or_(mine, Lead.assigned_to_id.is_(None)) if scope.include_pool else mine


def _in_queue(session: Session, scope: QueueScope, ids: set[int]) -> list[QueueRow]:
    """Of ``ids``, those in a news band of the queue right now, in queue order."""
    if not ids:
        return []
    statement = (
        select(*ROW_COLUMNS)
        .join(Person, Lead.person_id == Person.id)
        .outerjoin(Account, Lead.account_id == Account.id)
        .where(Lead.id.in_(sorted(ids)))
    )
    keyed = []
    for row in session.execute(statement).tuples():
        facts = facts_of(row)
        held = facts.claim_expires_at is not None and facts.claim_expires_at > scope.at
        if held and facts.claimed_by_id == scope.user_id:
            continue  # the lead the rep is on right now
        band = classify(
            facts,
            user_id=scope.user_id,
            at=scope.at,
            policy=scope.policy,
            include_pool=scope.include_pool,
        )
        if isinstance(band, Band) and band in NEWS_BANDS:
            keyed.append((sort_key(facts, band, scope.policy), facts.lead_id))
    keyed.sort()
    return load_rows(session, [lead_id for _key, lead_id in keyed], scope)


def arrival_notice(rows: Sequence[QueueRow], at: datetime) -> str | None:
    """One line for the rep, or None when nothing came: the first lead named with why it is
    there, the rest counted by kind."""
    if not rows:
        return None
    first = rows[0]
    who = f"{first.person} ({first.company})" if first.company else first.person
    text = f"In your queue now: {who}, {first.reason_at(at)}"
    callbacks = sum(1 for row in rows[1:] if row.band is Band.CALLBACK)
    fresh = sum(1 for row in rows[1:] if row.band is Band.NEW)
    more = []
    if callbacks:
        more.append(_count(callbacks, "callback", "callbacks") + " due")
    if fresh:
        more.append(_count(fresh, "new inquiry", "new inquiries"))
    if len(rows) >= MOST:  # each look stops at MOST of a kind: say no number it cannot vouch for
        text += f"; also {MOST - 1} or more other leads"
    elif more:
        text += "; also " + " and ".join(more)
    return text


def _count(number: int, one: str, many: str) -> str:
    return f"1 {one}" if number == 1 else f"{number} {many}"

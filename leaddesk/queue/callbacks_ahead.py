"""The callbacks a rep has booked, soonest first: today's still to come, and the days ahead.

The queue shows a callback only when its time comes; a rep planning the day (or asked "when
did I say I'd call Ada?") needs the whole list. Late ones still open come first.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from leaddesk.domain import OPEN_STAGES
from leaddesk.queue.listing import load_rows
from leaddesk.queue.ordering import Band
from leaddesk.queue.rows import QueueRow
from leaddesk.queue.scope import scope_for
from leaddesk.store.models import Lead

MOST = 500


def callbacks_ahead(
    session: Session, user_id: int, at: datetime, *, days: int = 7, limit: int = 200
) -> list[QueueRow]:
    """``user_id``'s open leads with a callback booked before ``days`` from ``at``, soonest
    first (each says when, in the person's time, and how late if it is)."""
    scope = scope_for(session, user_id, at)
    ids = session.scalars(
        select(Lead.id)
        .where(
            Lead.assigned_to_id == user_id,
            Lead.stage.in_(sorted(OPEN_STAGES)),
            Lead.callback_at <= at + timedelta(days=days),
        )
        .order_by(Lead.callback_at, Lead.id)
        .limit(max(0, min(limit, MOST)))
    ).all()
    return load_rows(session, ids, scope, band=Band.CALLBACK)

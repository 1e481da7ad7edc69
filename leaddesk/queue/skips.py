""" "Skip for now" as the queue reads it: a lead the rep skipped waits behind the leads that
were next when they skipped it, until those are worked or the skip lapses.

A skip is a row of ``queue_skips``, one per rep and lead (the latest skip wins), naming the
leads it waits behind; the rep's live ones are read with the queue's other facts in
leaddesk/queue/scope.py. The audit event of each skip is its history, not read by the queue.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from sqlalchemy import delete, or_
from sqlalchemy.orm import Session

from leaddesk.queue.rows import QueueRow
from leaddesk.store.models import QueueSkip

# A skip is for now: by the next working day it is forgotten.
SKIP_LASTS = timedelta(hours=12)


def put_skipped_behind(ordered: list[int], skips: dict[int, list[int]]) -> list[int]:
    """``ordered`` (queue order) with each skipped lead moved just after the last of the
    leads it waits behind that is still in the list; once none is, it is back in its place."""
    result = list(ordered)
    for lead_id, behind in skips.items():
        if lead_id not in result:
            continue
        result.remove(lead_id)
        places = [result.index(other) for other in behind if other in result]
        at = max(places) + 1 if places else ordered.index(lead_id)
        result.insert(min(at, len(result)), lead_id)
    return result


def skipped_row(row: QueueRow) -> QueueRow:
    """``row`` as the queue shows a lead skipped for now: its why-line starts by saying so."""
    return dataclasses.replace(row, skipped=True)


def keep_skip(
    session: Session, lead_id: int, *, user_id: int, at: datetime, behind: list[int]
) -> None:
    """Write the rep's skip of ``lead_id``, replacing their earlier one; their lapsed skips
    go with it, so the queue's read stays a handful of rows."""
    session.execute(
        delete(QueueSkip).where(
            QueueSkip.user_id == user_id,
            or_(QueueSkip.lead_id == lead_id, QueueSkip.skipped_at <= at - SKIP_LASTS),
        )
    )
    session.add(QueueSkip(lead_id=lead_id, user_id=user_id, skipped_at=at, behind=behind))

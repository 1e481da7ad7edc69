""" "Skip for now" as the queue reads it: a lead the rep skipped waits behind the leads that
were next when they skipped it, until those are worked or the skip lapses.

A skip is kept in the audit trail it is recorded in (no column of its own): the rep's skips
of the last hours, each naming the leads it waits behind.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from leaddesk.audit.actions import AuditAction
from leaddesk.queue.rows import QueueRow, word_reason
from leaddesk.store.models import AuditEvent

# A skip is for now: by the next working day it is forgotten.
SKIP_LASTS = timedelta(hours=12)


def skips_of(session: Session, user_id: int, at: datetime) -> dict[int, list[int]]:
    """The rep's live skips: lead id → the leads it waits behind (the latest skip wins)."""
    rows = session.execute(
        select(AuditEvent.lead_id, AuditEvent.details)
        .where(
            AuditEvent.action == AuditAction.QUEUE_SKIPPED.value,
            AuditEvent.actor_id == user_id,
            AuditEvent.at > at - SKIP_LASTS,
            AuditEvent.at <= at,
        )
        .order_by(AuditEvent.at, AuditEvent.id)
    ).all()
    found: dict[int, list[int]] = {}
    for lead_id, details in rows:
        if lead_id is not None:
            behind = (details or {}).get("behind", [])
            found[lead_id] = [int(other) for other in behind]
    return found


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


def skipped_row(row: QueueRow, at: datetime) -> QueueRow:
    """``row`` as the queue shows a lead skipped for now: its why-line starts by saying so."""
    marked = dataclasses.replace(row, skipped=True)
    return dataclasses.replace(marked, reason=word_reason(marked, at))

"""The call row itself, as both ways of logging a call write it: on the rep's own lead
(``call_log``) and on a lead a forced move took during the call (``kept_call``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from leaddesk.domain import CallOutcome
from leaddesk.store.models import CallAttempt


def add_call(
    session: Session,
    *,
    lead_id: int,
    user_id: int,
    at: datetime,
    outcome: CallOutcome,
    callback_at: datetime | None,
    note: str | None,
    duration_seconds: int | None,
    ended_at: datetime | None,
) -> CallAttempt:
    """Add the call (a blank note is no note) and flush, so its id is known."""
    call = CallAttempt(
        lead_id=lead_id,
        user_id=user_id,
        at=at,
        outcome=outcome,
        duration_seconds=duration_seconds,
        note=note.strip() if note and note.strip() else None,
        callback_at=callback_at,
        ended_at=ended_at,
    )
    session.add(call)
    session.flush()
    return call

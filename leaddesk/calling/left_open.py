"""A call the rep's window left open (closed or killed mid-call) comes back to them: the
lead they were qualifying, its call and its answers, instead of dropping out of sight."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from leaddesk.calling.ending import INTERRUPTED_WITHIN, CallEnded, end_interrupted_calls
from leaddesk.domain import CallOutcome
from leaddesk.queue.claims import try_claim
from leaddesk.queue.rows import QueueRow
from leaddesk.queue.search import lead_row
from leaddesk.store.models import CallAttempt, Lead


@dataclass(frozen=True)
class CallLeftOpen:
    """The lead to bring back, held for the rep again; ``on_line`` when its call is not ended
    yet (the window was reopened before its claim ran out), then ``seconds`` it has lasted."""

    call_id: int
    row: QueueRow
    on_line: bool
    seconds: int

    @property
    def message(self) -> str:
        return f"Back to {self.row.person}: the call was still open when LeadDesk closed."


def take_back_call_left_open(
    session: Session, *, user_id: int, at: datetime
) -> tuple[CallLeftOpen | None, list[CallEnded]]:
    """End the calls no window will end (their talk time counted up to when the rep was last
    seen, as ``end_interrupted_calls`` does), then hold again for the rep the lead of their
    latest connected call with no verdict yet, so they finish qualifying it."""
    ended = end_interrupted_calls(session, user_id=user_id, at=at)
    just_ended = [call.call_id for call in ended]
    # Still on the line: found by the index of open calls (ix_call_attempts_open); the calls
    # just ended are read by id. Together, the latest first.
    still_open = session.scalars(
        select(CallAttempt).where(
            CallAttempt.user_id == user_id,
            CallAttempt.at >= at - INTERRUPTED_WITHIN,
            CallAttempt.at <= at,
            CallAttempt.outcome == CallOutcome.CONNECTED,
            CallAttempt.ended_at.is_(None),
        )
    ).all()
    ended_now = (
        session.scalars(select(CallAttempt).where(CallAttempt.id.in_(just_ended))).all()
        if just_ended
        else []
    )
    calls = sorted({*still_open, *ended_now}, key=lambda c: (c.at, c.id), reverse=True)
    for call in calls:
        lead = session.get(Lead, call.lead_id)
        if lead is None or not lead.stage.is_open or lead.hold_reason is not None:
            continue  # a verdict closed it, or it was put on hold: nothing to finish
        if _called_since(session, call):
            continue
        if try_claim(session, lead.id, user_id=user_id, at=at) is None:
            continue  # a colleague has it now
        row = lead_row(session, lead.id, user_id, at)
        if row is None:
            continue
        on_line = call.ended_at is None
        rung = call.duration_seconds or 0
        began = call.at - timedelta(seconds=rung)
        seconds = int((at - began).total_seconds()) if on_line else rung
        session.flush()
        return CallLeftOpen(call.id, row, on_line, max(seconds, rung)), ended
    return None, ended


def _called_since(session: Session, call: CallAttempt) -> bool:
    """Another call was logged on the lead after this one: the lead moved on."""
    later = session.scalar(
        select(CallAttempt.id)
        .where(CallAttempt.lead_id == call.lead_id, CallAttempt.at > call.at)
        .limit(1)
    )
    return later is not None

"""Ending a connected call: its whole length stored as talk time, told by the rep's window,
by the verdict that ends it, or worked out for a call a closed window left open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from leaddesk import audit
from leaddesk.audit.actions import AuditAction
from leaddesk.domain import CallOutcome, talk_time
from leaddesk.errors import Conflict, InputError, NotPermitted
from leaddesk.queue.claims import LEASE
from leaddesk.queue.policy import current_policy
from leaddesk.queue.rows import clock_text
from leaddesk.store.models import CallAttempt, Lead, Person, User

MAX_DURATION = 24 * 3600
# A call's end may be told a little after the clock that timed it stopped (a slow disk, a
# second machine's clock): this much past "now" is taken as now.
END_SLACK = timedelta(minutes=1)
# Calls left open by a closed window are looked for this far back.
INTERRUPTED_WITHIN = timedelta(days=2)


def check_duration(seconds: int) -> None:
    if not 0 <= seconds <= MAX_DURATION:
        raise InputError(
            f"give the call's length in seconds (0 to {MAX_DURATION})", field="duration"
        )


@dataclass(frozen=True)
class CallEnded:
    call_id: int
    lead_id: int
    duration_seconds: int
    ended_at: datetime
    message: str

    def as_json(self) -> dict[str, Any]:
        return {
            "call_id": self.call_id,
            "lead_id": self.lead_id,
            "duration_seconds": self.duration_seconds,
            "ended_at": self.ended_at.isoformat(),
            "message": self.message,
        }


def end_call(
    session: Session, call_id: int, *, user_id: int, at: datetime, duration_seconds: int
) -> CallEnded:
    """A connected call is over: its whole length, from dialling to hanging up.

    "Connected" is logged when the person picks up, and the rep qualifies on the line; only
    now is the talk time known. Only the rep who made the call says when it ended, once.
    """
    check_duration(duration_seconds)
    call = session.get(CallAttempt, call_id, with_for_update=True)
    if call is None:
        raise InputError(f"No call {call_id}.")
    if call.user_id != user_id:
        caller = session.scalar(select(User.display_name).where(User.id == call.user_id))
        raise NotPermitted(f"Call {call_id} was made by {caller}; only they can end it.")
    if call.outcome is not CallOutcome.CONNECTED:
        raise Conflict(
            f"Call {call_id} was logged as '{call.outcome.value}', so it ended then; "
            "only a connected call is ended afterwards."
        )
    if call.ended_at is not None:
        raise Conflict(f"Call {call_id} already ended, after {minutes_and_seconds(call)}.")
    rung = call.duration_seconds or 0
    if duration_seconds < rung:
        raise InputError(
            f"the call had already lasted {rung} s when it was logged as connected",
            field="duration",
        )
    began = call.at - timedelta(seconds=rung)
    if began + timedelta(seconds=duration_seconds) > at + END_SLACK:
        raise InputError(
            f"the call began at {began:%H:%M:%S} UTC, so {duration_seconds} s "
            "would end it in the future",
            field="duration",
        )
    call.duration_seconds = duration_seconds
    call.ended_at = at
    audit.record(
        session,
        at=at,
        actor_id=user_id,
        action=AuditAction.CALL_ENDED,
        lead_id=call.lead_id,
        details={"call_id": call.id, "duration_seconds": duration_seconds},
    )
    session.flush()
    return CallEnded(
        call_id=call.id,
        lead_id=call.lead_id,
        duration_seconds=duration_seconds,
        ended_at=at,
        message=f"Call ended after {minutes_and_seconds(call)}.",
    )


def end_interrupted_calls(session: Session, *, user_id: int, at: datetime) -> list[CallEnded]:
    """The rep's connected calls that no window will end any more (it was closed or killed
    mid-call), ended at the last moment LeadDesk knew the rep was on them.

    While a lead is open the window renews its claim every few minutes, so the claim's
    expiry less one lease is when it last saw the rep working it. A claim still running
    may belong to a window that is still open: those calls are left alone until it expires.
    """
    calls = session.scalars(
        select(CallAttempt)
        .where(
            CallAttempt.user_id == user_id,
            CallAttempt.at >= at - INTERRUPTED_WITHIN,
            CallAttempt.at <= at,
            CallAttempt.outcome == CallOutcome.CONNECTED,
            CallAttempt.ended_at.is_(None),
        )
        .order_by(CallAttempt.at, CallAttempt.id)
    ).all()
    ended = []
    policy = current_policy(session) if calls else None
    for call in calls:
        lead = session.get(Lead, call.lead_id)
        assert lead is not None
        claimed = lead.claimed_by_id == user_id and lead.claim_expires_at is not None
        if claimed and lead.claim_expires_at is not None and lead.claim_expires_at > at:
            continue  # a window may still be on this call
        until = _stop(call, _last_seen(lead, call, user_id), at)
        audit.record(
            session,
            at=at,
            actor_id=user_id,
            action=AuditAction.CALL_ENDED,
            lead_id=call.lead_id,
            reason="the window closed during the call",
            details={"call_id": call.id, "duration_seconds": call.duration_seconds},
        )
        person = session.get(Person, lead.person_id)
        who = f"{person.first_name} {person.last_name}".strip() if person else f"lead {lead.id}"
        ended.append(
            CallEnded(
                call_id=call.id,
                lead_id=call.lead_id,
                duration_seconds=call.duration_seconds or 0,
                ended_at=until,
                message=(
                    f"Your call with {who} was still open when LeadDesk closed: "
                    f"{minutes_and_seconds(call)} counted, up to "
                    f"{clock_text(until, at, policy) if policy else until.isoformat()}."
                ),
            )
        )
    session.flush()
    return ended


def end_connected_call(
    session: Session,
    lead_id: int,
    *,
    user_id: int,
    at: datetime,
    duration_seconds: int | None = None,
) -> CallEnded | None:
    """The rep's connected call on this lead, still on the line, ends now: a verdict ends the
    call it was given on (docs/architecture.md §4), from the window and the CLI alike. None
    when no call of theirs is open on it.

    ``duration_seconds`` is the whole call as the rep's window timed it; without it, while
    the rep holds the lead the call lasted until now, and a call whose claim ran out (the
    window was closed) is counted up to the last moment the rep was seen on it.
    """
    call = session.scalar(
        select(CallAttempt)
        .where(
            CallAttempt.lead_id == lead_id,
            CallAttempt.user_id == user_id,
            CallAttempt.at >= at - INTERRUPTED_WITHIN,
            CallAttempt.at <= at,
            CallAttempt.outcome == CallOutcome.CONNECTED,
            CallAttempt.ended_at.is_(None),
        )
        .order_by(CallAttempt.at.desc(), CallAttempt.id.desc())
        .limit(1)
    )
    lead = session.get(Lead, lead_id)
    if call is None or lead is None:
        return None
    live = lead.claimed_by_id == user_id and lead.claim_expires_at and lead.claim_expires_at > at
    until = _stop(call, at if live else _last_seen(lead, call, user_id), at)
    if duration_seconds is not None and live:
        # The window's own timer, which counted from the dialling: a bad one is not a reason
        # to refuse the verdict, so it is only kept within what a call can be.
        rung = call.duration_seconds or 0
        call.duration_seconds = min(max(duration_seconds, 0), MAX_DURATION)
        if call.duration_seconds < rung:
            call.duration_seconds = rung
    audit.record(
        session,
        at=at,
        actor_id=user_id,
        action=AuditAction.CALL_ENDED,
        lead_id=lead_id,
        reason="the verdict ended the call",
        details={"call_id": call.id, "duration_seconds": call.duration_seconds},
    )
    return CallEnded(
        call_id=call.id,
        lead_id=lead_id,
        duration_seconds=call.duration_seconds or 0,
        ended_at=until,
        message=f"Call ended after {minutes_and_seconds(call)}.",
    )


def _last_seen(lead: Lead, call: CallAttempt, user_id: int) -> datetime:
    """When LeadDesk last saw the rep on the call: the window renews the claim every few
    minutes, so its expiry less one lease; the call's own log without a claim."""
    if lead.claimed_by_id == user_id and lead.claim_expires_at is not None:
        return lead.claim_expires_at - LEASE
    return call.at


def _stop(call: CallAttempt, seen: datetime, at: datetime) -> datetime:
    """End ``call`` at ``seen`` (not before it was logged, not after ``at``); when it ended."""
    rung = call.duration_seconds or 0
    began = call.at - timedelta(seconds=rung)
    until = min(max(seen, call.at), at)
    call.duration_seconds = max(rung, int((until - began).total_seconds()))
    call.ended_at = until
    return until


def minutes_and_seconds(call: CallAttempt) -> str:
    return talk_time(call.duration_seconds)

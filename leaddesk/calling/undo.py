"""Undo a call's outcome: the rep pressed 2 (no answer) while the person was saying hello.

Logging a call moves the lead on (its cadence, a hold, its stage), so a wrong key costs a lead
its place in the queue, or a fresh inquiry its speed-to-lead. For a few minutes after logging,
the rep who logged it may take it back: the call record goes, the lead gets back exactly the
state it had before (kept in the call's audit event), and the rep holds the lead again to log
what really happened. The undo is itself an audit event, so the trail keeps both.

A call that used up the cadence and moved the lead to nurture as unreachable is undone too: its
nurture verdict goes with it and the lead is open again, as it was before the call.

Refused once anything else happened to the lead (a verdict, another call, a reassignment), for
a do-not-call (it also held the person's other leads) and for a call whose lead was closed
since by something else: those are a team lead's to put right, and the refusal says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from leaddesk import lifecycle
from leaddesk.audit.actions import AuditAction
from leaddesk.domain import OPEN_STAGES, CallOutcome, LeadType, Stage
from leaddesk.errors import Conflict, InputError
from leaddesk.leads.undo_rules import (
    check_own_and_recent,
    flush_or_refuse,
    hold_again,
    last_event,
)
from leaddesk.store.models import CallAttempt, Lead, VerdictRecord

LOGGED = AuditAction.CALL_LOGGED
UNDONE = AuditAction.CALL_UNDONE
NURTURED = AuditAction.NURTURED_UNREACHABLE
# Outcomes a rep may take back. A do-not-call also held the person's other leads: only a
# team lead taking them off the list undoes it.
UNDOABLE = frozenset(set(CallOutcome) - {CallOutcome.DO_NOT_CALL})
_TIMES = ("last_attempt_at", "first_contact_at", "callback_at", "next_attempt_at")


def before_call(lead: Lead) -> dict[str, Any]:
    """What logging a call may change on the lead besides its stage, as it was: kept in the
    call's undo snapshot (the lifecycle adds the stage, its timestamps and the claim)."""
    state: dict[str, Any] = {
        "lead_type": lead.lead_type.value if lead.lead_type is not None else None,
        "hold_reason": lead.hold_reason,
        "attempts": lead.attempts,
        "cadence_attempts": lead.cadence_attempts,
    }
    for name in _TIMES:
        moment = getattr(lead, name)
        state[name] = moment.isoformat() if moment is not None else None
    state["definition_version_id"] = lead.definition_version_id
    return state


@dataclass(frozen=True)
class UndoneCall:
    call_id: int
    lead_id: int
    outcome: CallOutcome
    stage: Stage
    attempts: int
    claim_expires_at: datetime | None
    message: str

    def as_json(self) -> dict[str, Any]:
        return {
            "call_id": self.call_id,
            "lead_id": self.lead_id,
            "outcome": self.outcome.value,
            "stage": self.stage.value,
            "attempts": self.attempts,
            "claim_expires_at": (
                self.claim_expires_at.isoformat() if self.claim_expires_at else None
            ),
            "message": self.message,
        }


def can_undo(outcome: CallOutcome) -> bool:
    """Whether a call logged with ``outcome`` may be taken back by the rep who logged it."""
    return outcome in UNDOABLE


def undo_call(session: Session, call_id: int, *, user_id: int, at: datetime) -> UndoneCall:
    """Take back the outcome of call ``call_id``, logged by ``user_id`` within UNDO_WITHIN."""
    call = session.get(CallAttempt, call_id)
    if call is None:
        raise InputError(f"No call {call_id}.")
    said = call.outcome.label
    check_own_and_recent(
        record=f"Call {call_id}",
        done=f"the {said} call was logged",
        by=call.user_id,
        when=call.at,
        user_id=user_id,
        at=at,
        instead="Log the next call as it goes, or note what happened.",
    )
    lead = session.get(Lead, call.lead_id, with_for_update=True)
    assert lead is not None
    latest = session.scalar(
        select(CallAttempt.id)
        .where(CallAttempt.lead_id == lead.id)
        .order_by(CallAttempt.at.desc(), CallAttempt.id.desc())
        .limit(1)
    )
    logged = last_event(session, lead.id, (LOGGED,))
    snapshot = lifecycle.snapshot_of(logged)
    logged_call = (logged.details or {}).get("call_id") if logged is not None else None
    if latest != call.id:
        raise Conflict(f"A later call on lead {lead.id} was logged; this one cannot be undone.")
    if logged_call != call.id or snapshot is None:
        # The later call was taken back itself: only the last outcome logged is undone.
        raise Conflict(
            f"Only the last outcome logged on lead {lead.id} can be taken back: the call "
            "after this one was, so this one stays. Log the next call as it goes, or note what "
            "happened."
        )
    if not can_undo(call.outcome):
        raise Conflict(
            "A do-not-call cannot be undone here: it also held the person's other leads. "
            "Ask your team lead to take them off the do-not-call list."
        )
    unreachable = _unreachable_verdict(session, lead, call) if lead.stage is Stage.NURTURE else None
    if lead.stage not in OPEN_STAGES and unreachable is None:
        raise Conflict(
            f"Lead {lead.id} is closed now ({lead.stage.label}) by something "
            "other than this call; its outcome can no longer be undone. Ask your team lead to "
            "reopen it."
        )
    unchanged = (
        logged is not None
        and lead.stage.value == logged.to_state
        and lead.attempts == snapshot.kept["attempts"] + 1
        and lead.last_attempt_at == call.at
        and lead.assigned_to_id == user_id
    )
    if not unchanged:
        raise Conflict(
            f"Lead {lead.id} changed after the call was logged (a verdict, a reassignment); "
            "its outcome can no longer be undone."
        )
    lifecycle.restore(
        session,
        lead,
        snapshot,
        at=at,
        action=UNDONE,
        actor_id=user_id,
        reason=call.outcome.value,
        details={
            "call_id": call.id,
            "outcome": call.outcome.value,
            "logged_at": call.at.isoformat(),
            "duration_seconds": call.duration_seconds,
            "callback_at": call.callback_at.isoformat() if call.callback_at else None,
            "reopened_from_nurture": unreachable is not None,
        },
    )
    before = snapshot.kept
    if unreachable is not None:
        # The call used up the cadence: its nurture verdict goes with it.
        session.delete(unreachable)
        lead.definition_version_id = before.get("definition_version_id", lead.definition_version_id)
    lead.lead_type = LeadType(before["lead_type"]) if before["lead_type"] else None
    lead.hold_reason = before["hold_reason"]
    lead.attempts = before["attempts"]
    # A call logged before the count was kept (just before an upgrade) keeps the backfilled one.
    lead.cadence_attempts = before.get("cadence_attempts", lead.cadence_attempts)
    for name in _TIMES:
        setattr(lead, name, _moment(before.get(name)))
    hold_again(session, lead, user_id, at)  # to log what really happened
    session.delete(call)
    flush_or_refuse(session, lead.id, "the call")
    return UndoneCall(
        call_id=call.id,
        lead_id=lead.id,
        outcome=call.outcome,
        stage=lead.stage,
        attempts=lead.attempts,
        claim_expires_at=lead.claim_expires_at,
        message=(
            f"Undone: the {said} call is no longer logged"
            f"{' and the lead is out of nurture' if unreachable is not None else ''}. "
            "Log what really happened."
        ),
    )


def _moment(text: object) -> datetime | None:
    return datetime.fromisoformat(text) if isinstance(text, str) and text else None


def _unreachable_verdict(session: Session, lead: Lead, call: CallAttempt) -> VerdictRecord | None:
    """The nurture verdict this call gave the lead when it used up the cadence, if that is
    still the last thing that happened to it; None otherwise."""
    closing = last_event(session, lead.id, (NURTURED,))
    if closing is None or closing.at != call.at or closing.actor_id != call.user_id:
        return None
    verdict = session.scalar(
        select(VerdictRecord)
        .where(VerdictRecord.lead_id == lead.id)
        .order_by(VerdictRecord.decided_at.desc(), VerdictRecord.id.desc())
        .limit(1)
    )
    if verdict is None or verdict.decided_at != call.at or lead.closed_at != call.at:
        return None
    return verdict

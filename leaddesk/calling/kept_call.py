"""The call a team lead's forced move cut across: the rep who was on it still logs it.

A team lead may move a lead while its rep is on the phone (``reassign --force``); the move
names that rep on the lead (``Lead.taken_from_call_id``). When the rep then logs how the call
went, the lead is no longer theirs, but the call happened: it is kept, as the call row and its
audit event, and nothing more is done to a colleague's lead (no stage, cadence, claim or
callback of theirs changes; a "do not call" still flags the person, as any rep may). One call
per move: logging it clears the name. On a team database the guards
(``leaddesk.store.row_guards``) let that rep's login write exactly this, once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from leaddesk import audit
from leaddesk.audit.actions import AuditAction
from leaddesk.calling.call_row import add_call
from leaddesk.domain import OPEN_STAGES, CallOutcome
from leaddesk.privacy import do_not_call
from leaddesk.store.models import Lead, Person, User


def call_is_kept(lead: Lead, user_id: int) -> bool:
    """Whether this call on ``lead`` is the one a forced move took from ``user_id``."""
    return lead.taken_from_call_id == user_id and lead.assigned_to_id != user_id


def keep_call(
    session: Session,
    lead: Lead,
    *,
    user_id: int,
    at: datetime,
    outcome: CallOutcome,
    callback_at: datetime | None,
    note: str | None,
    duration_seconds: int | None,
) -> tuple[int, str]:
    """Write the call and its audit event; the call's id and what to tell the rep."""
    call = add_call(
        session,
        lead_id=lead.id,
        user_id=user_id,
        at=at,
        outcome=outcome,
        callback_at=callback_at,
        note=note,
        duration_seconds=duration_seconds,
        ended_at=at,  # the lead is a colleague's now: nothing goes on from here
    )
    # One call per move. (A team database's guard has cleared it already, with the insert.)
    session.connection().execute(
        update(Lead)
        .where(Lead.id == lead.id, Lead.taken_from_call_id == user_id)
        .values(taken_from_call_id=None)
    )
    session.expire(lead, ["taken_from_call_id"])
    now_with = _now_with(session, lead)
    if outcome is CallOutcome.DO_NOT_CALL:
        _flag_do_not_call(session, lead, at=at)
    audit.record(
        session,
        at=at,
        actor_id=user_id,
        action=AuditAction.CALL_LOGGED,
        lead_id=lead.id,
        reason=outcome.value,
        details={"call_id": call.id, "outcome": outcome.value, "kept_after_move_to": now_with},
    )
    said = outcome.label.lower()
    tell = " Tell them about the callback you agreed." if callback_at is not None else ""
    if outcome is CallOutcome.DO_NOT_CALL:
        tell = " The person is on the do-not-call list now."
    return call.id, (
        f"Lead {lead.id} was moved to {now_with} during your call; your call ({said}) was "
        f"kept on it.{tell}"
    )


def _now_with(session: Session, lead: Lead) -> str:
    if lead.assigned_to_id is None:
        return "the open pool"
    name = session.scalar(select(User.display_name).where(User.id == lead.assigned_to_id))
    return name or "a colleague"


def _flag_do_not_call(session: Session, lead: Lead, *, at: datetime) -> None:
    """ "Take me off your list" is honoured whoever has the lead: the person is flagged and
    their open leads held, and nothing else of a colleague's lead changes."""
    session.execute(
        update(Person)
        .where(Person.id == lead.person_id, Person.do_not_call.is_(False))
        .values(do_not_call=True, do_not_call_at=at)
    )
    session.execute(
        update(Lead)
        .where(Lead.person_id == lead.person_id, Lead.stage.in_(OPEN_STAGES))
        .values(hold_reason=do_not_call.HOLD, version=Lead.version + 1)
        .execution_options(synchronize_session=False)
    )
    session.expire(lead)

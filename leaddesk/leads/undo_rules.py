"""What every "take it back" shares: only who did it, only for a few minutes, only while it is
the last thing that happened to the lead, and the lead back in their hands afterwards.

Used by undoing a call's outcome (leaddesk.calling.undo) and a verdict (leaddesk.qualifying.undo).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from leaddesk.audit.actions import AuditAction
from leaddesk.errors import Conflict, NotPermitted
from leaddesk.queue.claims import LEASE, claimed_by_other, holder_message
from leaddesk.store.models import AuditEvent, Lead

UNDO_WITHIN = timedelta(minutes=10)


def check_own_and_recent(
    *,
    record: str,
    done: str,
    by: int,
    when: datetime,
    user_id: int,
    at: datetime,
    instead: str,
) -> None:
    """``record`` ("Call 12") was ``done`` ("the no answer call was logged") by ``by`` at
    ``when``: refuse a colleague, and anyone once UNDO_WITHIN has passed (``instead`` says
    what to do then)."""
    verb = done.rsplit(" ", 1)[-1]
    if by != user_id:
        raise NotPermitted(f"{record} was {verb} by a colleague; only they can undo it.")
    if at - when > UNDO_WITHIN:
        minutes = int(UNDO_WITHIN.total_seconds() // 60)
        raise Conflict(
            f"{done[:1].upper()}{done[1:]} more than {minutes} minutes ago; it can no longer be "
            f"undone. {instead}"
        )


def last_event(session: Session, lead_id: int, actions: Iterable[AuditAction]) -> AuditEvent | None:
    """The lead's latest audit event of these kinds: the one an undo takes back (its snapshot
    read with ``leaddesk.lifecycle.snapshot_of``)."""
    return session.scalar(
        select(AuditEvent)
        .where(AuditEvent.lead_id == lead_id, AuditEvent.action.in_(tuple(actions)))
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )


def hold_again(session: Session, lead: Lead, user_id: int, at: datetime) -> None:
    """Back in the rep's hands to do it right; refused while a colleague holds the lead."""
    if claimed_by_other(lead, user_id, at):
        raise Conflict(holder_message(session, lead))
    lead.claimed_by_id = user_id
    lead.claim_expires_at = at + LEASE


def flush_or_refuse(session: Session, lead_id: int, what: str) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise Conflict(
            f"Lead {lead_id} was changed by someone else just now; {what} was not undone."
        ) from None

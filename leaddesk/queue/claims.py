"""Claims: a rep's expiring lease on the lead they are calling, so nobody else calls it.

A claim is taken with one conditional UPDATE whose WHERE clause says "still free (or already
mine, or the holder's lease ran out)" and is checked by its row count. That is atomic on
SQLite (writers are serialised, and LeadDesk begins writes with BEGIN IMMEDIATE) and on
PostgreSQL (a concurrent UPDATE of the same row waits, then re-checks the WHERE clause against
the committed row), so two processes never hold the same lead.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import ColumnElement, Integer, Update, bindparam, or_, select, update
from sqlalchemy.orm import Session

from leaddesk import audit
from leaddesk.audit.actions import AuditAction
from leaddesk.domain import OPEN_STAGES
from leaddesk.errors import Conflict, InputError, MovedDuringCall
from leaddesk.queue.policy import current_policy
from leaddesk.store.driver_statements import DriverStatement, InTransaction
from leaddesk.store.models import Lead, User
from leaddesk.store.types import UTCDateTime

# Long enough for a call and a questionnaire; the window renews it while the lead is open.
LEASE = timedelta(minutes=15)


def try_claim(
    session: InTransaction,
    lead_id: int,
    *,
    user_id: int,
    at: datetime,
    any_owner: bool = False,
    lease: timedelta = LEASE,
) -> datetime | None:
    """Claim (or renew) ``lead_id`` for ``user_id``; the new expiry, or None if not free.

    Only open, callable leads that are the user's own or in the pool can be claimed, unless
    ``any_owner`` (a team lead taking over a lead).
    """
    expires = at + lease
    params = {"lead_id": lead_id, "user_id": user_id, "at": at, "expires": expires}
    changed = _CLAIMS[any_owner].changed(session, params)
    return expires if changed == 1 else None


@lru_cache(maxsize=2)
def claim_statement(any_owner: bool) -> Update:
    # Built once and reused with bind parameters: `next` runs this on every call.
    return claim_of(Lead.id == bindparam("lead_id", type_=Integer), any_owner=any_owner)


def claim_of(which: ColumnElement[bool], *, any_owner: bool = False) -> Update:
    """The claim of the lead ``which`` picks, if it is still free to take (parameters
    ``user_id``, ``at``, ``expires``)."""
    user = bindparam("user_id", type_=Integer)
    at = bindparam("at", type_=UTCDateTime())
    conditions = [
        which,
        Lead.stage.in_(sorted(OPEN_STAGES)),
        Lead.hold_reason.is_(None),
        or_(Lead.claimed_by_id.is_(None), Lead.claimed_by_id == user, Lead.claim_expires_at <= at),
    ]
    if not any_owner:
        conditions.append(or_(Lead.assigned_to_id == user, Lead.assigned_to_id.is_(None)))
    return (
        update(Lead)
        .where(*conditions)
        # A Core UPDATE bypasses the ORM's version counter, so bump it here: a team lead's
        # edit loaded before this claim must not silently overwrite it.
        .values(
            claimed_by_id=user,
            claim_expires_at=bindparam("expires", type_=UTCDateTime()),
            version=Lead.version + 1,
        )
    )


# Run on the driver's cursor on SQLite (`next` and the window's renewals take claims often).
_CLAIMS = {any_owner: DriverStatement(claim_statement(any_owner)) for any_owner in (False, True)}


def release_claim(session: Session, lead: Lead) -> bool:
    """Clear the claim on an ORM-loaded lead (a verdict or a call disposition ends the call).

    No checks and no audit event: the caller's own change is the event. True if there was one.
    """
    had_claim = lead.claimed_by_id is not None
    if had_claim or lead.claim_expires_at is not None:
        lead.claimed_by_id = None
        lead.claim_expires_at = None
    return had_claim


def holder_message(session: Session, lead: Lead) -> str:
    name = session.scalar(select(User.display_name).where(User.id == lead.claimed_by_id))
    until = "now"
    if lead.claim_expires_at is not None:  # in the team's time, as the window shows the day
        zone = current_policy(session).zone
        place = zone.key.split("/")[-1].replace("_", " ")
        until = f"{lead.claim_expires_at.astimezone(zone):%H:%M} {place} time"
    return f"Lead {lead.id} is being called by {name or 'a colleague'} (until {until})."


def claimed_by_other(lead: Lead, user_id: int, at: datetime) -> bool:
    return (
        lead.claimed_by_id is not None
        and lead.claimed_by_id != user_id
        and lead.claim_expires_at is not None
        and lead.claim_expires_at > at
    )


def renew(
    session: Session, lead_id: int, *, user_id: int, at: datetime, any_owner: bool = False
) -> datetime:
    """Keep (or take) the claim on a lead the rep has open; the new expiry.

    Raises Conflict when a colleague holds it, InputError when the lead cannot be called.
    """
    expires = try_claim(session, lead_id, user_id=user_id, at=at, any_owner=any_owner)
    if expires is not None:
        return expires
    lead = session.get(Lead, lead_id)
    if lead is None:
        raise InputError(f"No lead {lead_id}.")
    if lead.taken_from_call_id == user_id and lead.assigned_to_id != user_id:
        # Before who holds it now: the rep is still on the phone, and the call is theirs.
        raise MovedDuringCall(moved_message(session, lead))
    if claimed_by_other(lead, user_id, at):
        raise Conflict(holder_message(session, lead))
    if not lead.stage.is_open:
        raise Conflict(f"Lead {lead_id} is closed ({lead.stage.value}); nobody calls it now.")
    if lead.hold_reason is not None:
        raise Conflict(f"Lead {lead_id} is on hold ({lead.hold_reason.replace('_', ' ')}).")
    raise Conflict(f"Lead {lead_id} is assigned to another rep.")


def moved_message(session: Session, lead: Lead) -> str:
    """What the rep whose call a team lead's forced move cut across is told: the call goes
    on and is logged as usual (``leaddesk.calling.kept_call`` keeps it on the lead)."""
    to = "the open pool"
    if lead.assigned_to_id is not None:
        name = session.scalar(select(User.display_name).where(User.id == lead.assigned_to_id))
        to = name or "a colleague"
    return (
        f"Your team lead moved lead {lead.id} to {to} during this call; log the call as usual, "
        "it is kept on the lead."
    )


def release(
    session: Session, lead_id: int, *, user_id: int, at: datetime, any_holder: bool = False
) -> bool:
    """Give a claimed lead back to the queue. False if it was not claimed at all.

    Only the holder may release a live claim, unless ``any_holder`` (a team lead).
    """
    lead = session.get(Lead, lead_id)
    if lead is None:
        raise InputError(f"No lead {lead_id}.")
    if lead.claimed_by_id is None:
        return False
    if lead.claimed_by_id != user_id and not any_holder and claimed_by_other(lead, user_id, at):
        raise Conflict(holder_message(session, lead))
    holder = lead.claimed_by_id
    release_claim(session, lead)
    audit.record(
        session,
        at=at,
        actor_id=user_id,
        action=AuditAction.CLAIM_RELEASED,
        lead_id=lead_id,
        from_state=f"claimed:{holder}",
        to_state="free",
    )
    return True

"""Moving one lead to a new owner (or to the open pool): the one write every team operation uses.

Each move is a version-checked UPDATE, an ``assignments`` history row and one audit event, all
in the caller's transaction. If the lead changed since the team lead looked at it (a call, a
verdict, another move), the UPDATE matches nothing and the caller decides: refuse the whole
operation (a team lead's command) or skip the lead (the scheduled sweep).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.orm import Session

from leaddesk import audit
from leaddesk.audit.actions import AuditAction
from leaddesk.domain import OPEN_STAGES, Role
from leaddesk.errors import Conflict, InputError
from leaddesk.store.models import Assignment, Lead, User

POOL = "pool"
# Roles whose members work a call queue and so can be given leads.
QUEUE_ROLES = frozenset({Role.QUALIFIER, Role.TEAM_LEAD})


def live_claim(at: datetime) -> ColumnElement[bool]:
    """The lead is on a call right now: claimed, and the lease has not run out."""
    return and_(Lead.claimed_by_id.is_not(None), Lead.claim_expires_at > at)


def no_live_claim(at: datetime) -> ColumnElement[bool]:
    return or_(
        Lead.claimed_by_id.is_(None), Lead.claim_expires_at.is_(None), Lead.claim_expires_at <= at
    )


def is_open() -> ColumnElement[bool]:
    return Lead.stage.in_(sorted(OPEN_STAGES))


def covers(territories: tuple[str, ...], country: str | None) -> bool:
    """A rep without territories takes any lead; a lead without a country suits any rep."""
    return not territories or country is None or country.upper() in territories


@dataclass(frozen=True)
class PlannedMove:
    """One lead that will move, as the team lead sees it in a preview."""

    lead_id: int
    version: int  # the version seen; the move refuses if the lead changed since
    person: str
    country: str | None
    source: str
    arrived_at: datetime
    from_user_id: int | None
    from_user: str | None  # None: the open pool
    to_user_id: int | None
    to_user: str | None
    on_call_with: str | None = None  # the rep holding a live claim, if any
    claimed_by_id: int | None = None
    # How these people are named to the team lead (display names); the fields above are
    # their user names, which the CLI takes and the audit trail records.
    from_display_name: str | None = None
    to_display_name: str | None = None
    on_call_display_name: str | None = None

    HEADERS = ("lead", "person", "country", "source", "arrived", "from", "to", "on a call with")

    def row(self) -> tuple[object, ...]:
        return (
            self.lead_id,
            self.person,
            self.country or "",
            self.source,
            self.arrived_at.isoformat(timespec="minutes"),
            self.from_user or POOL,
            self.to_user or POOL,
            self.on_call_with or "",
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "lead_id": self.lead_id,
            "person": self.person,
            "country": self.country,
            "source": self.source,
            "arrived_at": self.arrived_at.isoformat(),
            "from": self.from_user,
            "to": self.to_user,
            "on_call_with": self.on_call_with,
        }


def changed_message(lead_id: int) -> str:
    return (
        f"Lead {lead_id} changed while you were moving it (a call, a verdict or another move). "
        "Nothing was moved; look again and retry."
    )


def apply_move(
    session: Session,
    move: PlannedMove,
    *,
    actor_id: int | None,
    at: datetime,
    reason: str,
    details: dict[str, Any] | None = None,
) -> bool:
    """Move one lead; False if it changed since ``move.version`` was read (nothing written).

    The claim is cleared with the move: a live one only reaches here when the team lead forced
    it, and an expired one means nothing any more.
    """
    result = session.connection().execute(
        update(Lead)
        .where(Lead.id == move.lead_id, Lead.version == move.version)
        .values(
            assigned_to_id=move.to_user_id,
            claimed_by_id=None,
            claim_expires_at=None,
            # The rep whose live call a forced move takes it from still logs that call.
            taken_from_call_id=move.claimed_by_id if move.on_call_with is not None else None,
            # A new owner starts a fresh clock: the untouched flag belonged to the old one.
            flagged_untouched_at=None,
            version=Lead.version + 1,
        )
    )
    if result.rowcount != 1:
        return False
    session.add(
        Assignment(
            lead_id=move.lead_id,
            from_user_id=move.from_user_id,
            to_user_id=move.to_user_id,
            by_user_id=actor_id,
            at=at,
            reason=reason,
        )
    )
    extra = dict(details or {})
    if move.on_call_with is not None:
        extra["taken_from_call_with"] = move.on_call_with
    audit.record(
        session,
        at=at,
        actor_id=actor_id,
        action=AuditAction.REASSIGNED,
        lead_id=move.lead_id,
        from_state=move.from_user or POOL,
        to_state=move.to_user or POOL,
        reason=reason,
        details=extra or None,
    )
    return True


def apply_all(
    session: Session,
    moves: tuple[PlannedMove, ...],
    *,
    actor_id: int | None,
    at: datetime,
    reason: str,
    details: dict[str, Any] | None = None,
) -> None:
    """Apply every move or none: the first lead that changed rolls the whole operation back."""
    for move in moves:
        if not apply_move(session, move, actor_id=actor_id, at=at, reason=reason, details=details):
            raise Conflict(changed_message(move.lead_id))
    session.flush()


def target_user(session: Session, name: str | None) -> User | None:
    """The rep leads are moved to; None for the open pool. Refuses people who have no queue."""
    if name is None or name.strip().lower() == POOL:
        return None
    user = session.scalar(select(User).where(User.name == name.strip().lower()))
    if user is None:
        raise InputError(f"No user named '{name}'.")
    if not user.active:
        raise InputError(f"{user.display_name} is deactivated; pick an active rep or the pool.")
    if user.role not in QUEUE_ROLES:
        role = user.role.label
        raise InputError(f"{user.display_name} is {role} and has no call queue.")
    return user


def require_reason(reason: str | None, default: str) -> str:
    text = (reason or "").strip() or default
    if len(text) > 500:
        raise InputError("keep the reason under 500 characters", field="reason")
    return text

"""Reassign: the team lead picks leads (by id, or "the N oldest of rep A") and gives them to a
rep or back to the open pool, with a reason.

A lead a rep is calling right now is not taken from under them. The preview says who is on
the call; applying then either refuses (Conflict naming the rep), moves the lead when the call
ends (``after_call``: the rep's release or call log carries it out; the sweep catches a lease
that simply ran out), or, forced, clears the claim and says so in the audit trail.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from leaddesk import audit
from leaddesk.audit.actions import AuditAction
from leaddesk.errors import Conflict, InputError
from leaddesk.store.models import Lead, PendingMove, Person, User
from leaddesk.team.moves import (
    POOL,
    PlannedMove,
    apply_all,
    apply_move,
    covers,
    is_open,
    live_claim,
    require_reason,
    target_user,
)

DEFAULT_REASON = "Reassigned by the team lead"
MOST_LEADS_PICKED = 1_000_000  # "the N oldest": more than any team holds


@dataclass(frozen=True)
class LeadPick:
    """Which leads to move: named ones, or those of one rep (or the pool), oldest first."""

    lead_ids: tuple[int, ...] = ()
    from_user: str | None = None  # a user name, or "pool"
    count: int | None = None  # only the N oldest
    source: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class ReassignPreview:
    """Who gets what, before anything is written."""

    moves: tuple[PlannedMove, ...]
    to_user: str | None
    reason: str
    warnings: tuple[str, ...]
    skipped: tuple[str, ...]  # leads left alone and why (already with the receiver)
    to_display_name: str | None = None  # the receiver as the team lead knows them

    @property
    def on_call(self) -> tuple[PlannedMove, ...]:
        return tuple(m for m in self.moves if m.on_call_with is not None)

    headers = PlannedMove.HEADERS

    def rows(self) -> list[tuple[object, ...]]:
        return [move.row() for move in self.moves]

    def as_json(self) -> dict[str, Any]:
        return {
            "to": self.to_user,
            "reason": self.reason,
            "moves": [m.as_json() for m in self.moves],
            "warnings": list(self.warnings),
            "skipped": list(self.skipped),
        }


@dataclass(frozen=True)
class ReassignResult:
    moved: tuple[PlannedMove, ...]
    after_call: tuple[PlannedMove, ...]  # will move when the rep on the call lets go
    forced: tuple[PlannedMove, ...]  # taken from a live call on the team lead's say-so
    preview: ReassignPreview

    def as_json(self) -> dict[str, Any]:
        return {
            "to": self.preview.to_user,
            "reason": self.preview.reason,
            "moved": [m.lead_id for m in self.moved],
            "after_call": [m.lead_id for m in self.after_call],
            "forced": [m.lead_id for m in self.forced],
            "warnings": list(self.preview.warnings),
            "skipped": list(self.preview.skipped),
        }


def planned_moves_query(at: datetime) -> Select[tuple[Any, ...]]:
    """Open leads with what a preview shows: person, country, current owner, who is calling."""
    owner = aliased(User)
    caller = aliased(User)
    return (
        select(
            Lead.id,
            Lead.version,
            Person.first_name,
            Person.last_name,
            Person.email,
            Person.country,
            Lead.source,
            Lead.arrived_at,
            Lead.assigned_to_id,
            owner.name,
            caller.name,
            Lead.claimed_by_id,
            owner.display_name,
            caller.display_name,
        )
        .join(Person, Person.id == Lead.person_id)
        .outerjoin(owner, owner.id == Lead.assigned_to_id)
        .outerjoin(caller, (caller.id == Lead.claimed_by_id) & live_claim(at))
        .where(is_open())
    )


def to_move(row: Sequence[Any], to: User | None) -> PlannedMove:
    name = f"{row[2] or ''} {row[3] or ''}".strip() or row[4] or f"Lead {row[0]}"
    return PlannedMove(
        lead_id=row[0],
        version=row[1],
        person=name,
        country=(row[5] or None) and str(row[5]).upper(),
        source=row[6],
        arrived_at=row[7],
        from_user_id=row[8],
        from_user=row[9],
        to_user_id=to.id if to else None,
        to_user=to.name if to else None,
        on_call_with=row[10],
        claimed_by_id=row[11] if row[10] else None,
        from_display_name=row[12],
        to_display_name=to.display_name if to else None,
        on_call_display_name=row[13],
    )


def preview_reassign(
    session: Session, pick: LeadPick, *, to_user: str | None, reason: str | None, at: datetime
) -> ReassignPreview:
    to = target_user(session, to_user)
    text = require_reason(reason, DEFAULT_REASON)
    rows = _picked_rows(session, pick, at)
    skipped: list[str] = []
    moves: list[PlannedMove] = []
    for row in rows:
        move = to_move(row, to)
        if move.from_user_id == move.to_user_id:
            skipped.append(f"Lead {move.lead_id} is already with {_holder(move.to_display_name)}.")
            continue
        moves.append(move)
    return ReassignPreview(
        moves=tuple(moves),
        to_user=to.name if to else None,
        reason=text,
        warnings=tuple(_warnings(session, moves, to)),
        skipped=tuple(skipped),
        to_display_name=to.display_name if to else None,
    )


def apply_reassign(
    session: Session,
    preview: ReassignPreview,
    *,
    actor_id: int | None,
    at: datetime,
    force: bool = False,
    after_call: bool = False,
) -> ReassignResult:
    """Carry out a preview in the caller's transaction: all of it, or (Conflict) none of it."""
    on_call = preview.on_call
    if on_call and not (force or after_call):
        first = on_call[0]
        others = f" and {len(on_call) - 1} more" if len(on_call) > 1 else ""
        raise Conflict(
            f"Lead {first.lead_id}{others} is on a call with {first.on_call_display_name} "
            "right now. Nothing was moved; use --force to take it anyway, or move it after "
            "the call."
        )
    deferred = on_call if after_call and not force else ()
    now = tuple(m for m in preview.moves if m not in deferred)
    forced = tuple(m for m in now if m.on_call_with is not None)
    apply_all(session, now, actor_id=actor_id, at=at, reason=preview.reason)
    for move in deferred:
        _defer(session, move, actor_id=actor_id, at=at, reason=preview.reason)
    return ReassignResult(moved=now, after_call=deferred, forced=forced, preview=preview)


def reassign(
    session: Session,
    pick: LeadPick,
    *,
    to_user: str | None,
    reason: str | None,
    actor_id: int | None,
    at: datetime,
    force: bool = False,
    after_call: bool = False,
) -> ReassignResult:
    preview = preview_reassign(session, pick, to_user=to_user, reason=reason, at=at)
    return apply_reassign(
        session, preview, actor_id=actor_id, at=at, force=force, after_call=after_call
    )


# -- moves waiting for a call to end -------------------------------------------------------------


def _defer(
    session: Session, move: PlannedMove, *, actor_id: int | None, at: datetime, reason: str
) -> None:
    lead = session.get(Lead, move.lead_id)
    if lead is None or lead.version != move.version:
        raise Conflict(f"Lead {move.lead_id} changed since you looked; look again and retry.")
    # A later move of the same lead replaces the one still waiting.
    waiting = _waiting(session, move.lead_id) or PendingMove(lead_id=move.lead_id)
    waiting.to_user_id, waiting.by_user_id = move.to_user_id, actor_id
    waiting.reason, waiting.at = reason, at
    session.add(waiting)
    audit.record(
        session,
        at=at,
        actor_id=actor_id,
        action=AuditAction.REASSIGN_AFTER_CALL,
        lead_id=move.lead_id,
        from_state=move.from_user or POOL,
        to_state=move.to_user or POOL,
        reason=reason,
        details={"on_call_with": move.on_call_with},
    )


def move_after_call(session: Session, lead_id: int, *, at: datetime) -> bool:
    """Carry out a move that waited for the call to end; True if the lead moved.

    The desk calls this when the rep releases the lead or logs a call that ends the claim, so
    the lead moves at once; the sweep calls it for leases that ran out. A lead that closed
    meanwhile stays where it is.
    """
    waiting = _waiting(session, lead_id)
    lead = session.get(Lead, lead_id)
    if waiting is None or lead is None:
        return False
    if not lead.stage.is_open:
        session.delete(waiting)  # closed meanwhile: it stays where it is, nothing waits
        return False
    if lead.claimed_by_id is not None and lead.claim_expires_at and lead.claim_expires_at > at:
        return False
    to = session.get(User, waiting.to_user_id) if waiting.to_user_id is not None else None
    by, reason = waiting.by_user_id, waiting.reason
    session.delete(waiting)
    session.flush()
    if to is not None and not to.active:
        to = None  # the receiver left meanwhile: the pool is the safe place
    row = session.execute(planned_moves_query(at).where(Lead.id == lead_id)).first()
    if row is None:
        return False
    move = to_move(row, to)
    if move.from_user_id == move.to_user_id:
        return False
    return apply_move(
        session,
        move,
        actor_id=by,
        at=at,
        reason=reason or DEFAULT_REASON,
        details={"after_call": True},
    )


def _waiting(session: Session, lead_id: int) -> PendingMove | None:
    return session.scalar(select(PendingMove).where(PendingMove.lead_id == lead_id))


def _holder(display_name: str | None) -> str:
    return display_name or "the open pool"


# -- picking -------------------------------------------------------------------------------------


def _picked_rows(session: Session, pick: LeadPick, at: datetime) -> list[Sequence[Any]]:
    if pick.count is not None and not 1 <= pick.count <= MOST_LEADS_PICKED:
        raise InputError(f"give a number of leads from 1 to {MOST_LEADS_PICKED:,}", field="count")
    query = planned_moves_query(at)
    if pick.lead_ids:
        ids = sorted(set(pick.lead_ids))
        _check_ids_open(session, ids)
        query = query.where(Lead.id.in_(ids))
    elif pick.from_user is None:
        raise InputError("Say which leads to move: --lead ID, or --from USER (or --from pool).")
    if pick.from_user is not None:
        if pick.from_user.strip().lower() == POOL:
            query = query.where(Lead.assigned_to_id.is_(None))
        else:
            owner = session.scalar(select(User).where(User.name == pick.from_user.strip().lower()))
            if owner is None:
                raise InputError(f"No user named '{pick.from_user}'.")
            query = query.where(Lead.assigned_to_id == owner.id)
    if pick.source:
        query = query.where(Lead.source == pick.source)
    if pick.country:
        query = query.where(func.upper(Person.country) == pick.country.upper())
    query = query.order_by(Lead.arrived_at, Lead.id)
    if pick.count is not None:
        query = query.limit(pick.count)
    return list(session.execute(query).all())


def picked_leads(session: Session, pick: LeadPick, at: datetime) -> list[PlannedMove]:
    """The open leads a pick names, oldest first, as the console lists them (nothing moves)."""
    return [to_move(row, None) for row in _picked_rows(session, pick, at)]


def _check_ids_open(session: Session, ids: list[int]) -> None:
    found = dict(
        session.execute(select(Lead.id, Lead.stage).where(Lead.id.in_(ids))).tuples().all()
    )
    for lead_id in ids:
        stage = found.get(lead_id)
        if stage is None:
            raise InputError(f"No lead {lead_id}.")
        if not stage.is_open:
            raise InputError(f"Lead {lead_id} is closed ({stage.label}); only open leads move.")


def _warnings(session: Session, moves: list[PlannedMove], to: User | None) -> list[str]:
    notes: list[str] = []
    on_call = [m for m in moves if m.on_call_with]
    for move in on_call:
        notes.append(
            f"Lead {move.lead_id} is on a call with {move.on_call_display_name} right now."
        )
    if to is None or not moves:
        return notes
    held = session.scalar(select(func.count()).where(Lead.assigned_to_id == to.id, is_open()))
    total = (held or 0) + len(moves)
    if total > to.capacity:
        notes.append(f"{to.display_name} would hold {total} open leads (capacity {to.capacity}).")
    territories = tuple(to.territories or ())
    outside = [m for m in moves if not covers(territories, m.country)]
    if outside:
        notes.append(
            f"{len(outside)} of these leads are outside {to.display_name}'s territories "
            f"({', '.join(territories)})."
        )
    return notes

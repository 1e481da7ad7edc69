"""The sweep: the lead definition's policy on untouched leads, carried out.

A lead is *untouched* while nobody has touched it (a call, a note, a verdict, a booked callback,
a change of hands) for the policy's ``untouched_flag_hours`` (24 by default) counted in
business hours, as speed-to-lead is: a Friday 16:30 inquiry is not untouched on Sunday. A lead
whose callback or next retry is still ahead (or came due less than that long ago) is waiting
for its time, not untouched. Untouched leads are flagged for the team view. After
``auto_reassign.after_hours`` (48 business hours), if the policy enables it, a rep's untouched
lead moves to the rep with the most spare capacity who covers its country. Without churn: a
lead the sweep moved stays put for ``auto_reassign.rest_business_days``, and one sweep moves at
most ``auto_reassign.max_per_run`` leads, oldest first, saying how many wait for the next.
Leads in the open pool are flagged but not pushed onto anyone: the pool is the team's own
choice. Leads on a call or on hold (do not call) are never untouched. Moves that waited for a
call to end are done here too, and nurtured leads whose recycle date has passed come back as
new leads (leaddesk.team.recycle).

The window runs this when it starts and every few minutes; ``leaddesk sweep`` runs it from a
scheduler. Two sweeps at once are harmless: each change is version-checked and a lead someone
else already handled is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, insert, or_, select, update
from sqlalchemy.orm import Session

from leaddesk.audit.actions import AuditAction
from leaddesk.definition import Policy
from leaddesk.definition.business_time import business_hours_before
from leaddesk.queue.policy import current_policy
from leaddesk.store.models import Assignment, AuditEvent, Lead, Note, PendingMove, VerdictRecord
from leaddesk.team.moves import PlannedMove, apply_move, covers, is_open, no_live_claim
from leaddesk.team.reassign import move_after_call, planned_moves_query, to_move
from leaddesk.team.rebalance import active_users, rep_slots
from leaddesk.team.recycle import Recycled, recycle_due

# How the sweep's own moves are told apart in the assignments (the reason begins so).
SWEEP_MOVE = "Untouched for"


@dataclass(frozen=True)
class SweepResult:
    at: datetime
    flagged: tuple[int, ...]
    unflagged: tuple[int, ...]
    moved: tuple[PlannedMove, ...]
    not_moved: tuple[tuple[int, str], ...]
    moved_after_call: tuple[int, ...]
    auto_reassign: bool
    recycled: tuple[Recycled, ...] = ()
    waiting: int = 0  # untouched long enough to move, left for a later sweep (the per-run cap)
    resting: int = 0  # untouched, but moved by a sweep within the rest days: left where it is
    dry_run: bool = False

    @property
    def brought_back(self) -> tuple[Recycled, ...]:
        return tuple(item for item in self.recycled if item.new_lead_id is not None)

    def as_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "flagged": list(self.flagged),
            "unflagged": list(self.unflagged),
            "auto_reassign": self.auto_reassign,
            "moved": [m.as_json() for m in self.moved],
            "not_moved": [{"lead_id": lead, "why": why} for lead, why in self.not_moved],
            "waiting": self.waiting,
            "resting": self.resting,
            "dry_run": self.dry_run,
            "moved_after_call": list(self.moved_after_call),
            "recycled": [item.as_json() for item in self.recycled],
        }


def untouched_cutoff(at: datetime, hours: float, policy: Policy) -> datetime:
    """A lead last touched before this moment has gone ``hours`` business hours untouched."""
    return business_hours_before(at, hours, policy)


def untouched_since(cutoff: datetime, at: datetime) -> ColumnElement[bool]:
    """Open, here before ``cutoff``, nothing done to it since (no call, note, verdict or change
    of hands), no callback or retry due after it, and not on a call or on hold."""
    return and_(
        is_open(),
        Lead.arrived_at < cutoff,
        or_(Lead.last_attempt_at.is_(None), Lead.last_attempt_at < cutoff),
        or_(Lead.callback_at.is_(None), Lead.callback_at < cutoff),
        or_(Lead.next_attempt_at.is_(None), Lead.next_attempt_at < cutoff),
        ~exists().where(Assignment.lead_id == Lead.id, Assignment.at >= cutoff),
        ~exists().where(Note.lead_id == Lead.id, Note.updated_at >= cutoff),
        ~exists().where(VerdictRecord.lead_id == Lead.id, VerdictRecord.decided_at >= cutoff),
        Lead.hold_reason.is_(None),
        no_live_claim(at),
    )


def sweep(
    session: Session, *, actor_id: int | None, at: datetime, dry_run: bool = False
) -> SweepResult:
    """Flag, unflag, move and recycle as the policy says; ``dry_run`` works it all out in the
    caller's transaction, which the caller then rolls back (see Desk.team.sweep)."""
    policy = current_policy(session)
    after_call = _moves_after_call(session, at)
    flagged = _flag(session, policy, actor_id=actor_id, at=at)
    unflagged = _unflag(session, actor_id=actor_id, at=at)
    moves = Moves()
    if policy.auto_reassign_enabled:
        moves = _auto_reassign(session, policy, actor_id=actor_id, at=at)
    recycled = recycle_due(session, actor_id=actor_id, at=at)
    return SweepResult(
        at=at,
        flagged=tuple(flagged),
        unflagged=tuple(unflagged),
        moved=tuple(moves.moved),
        not_moved=tuple(moves.not_moved),
        moved_after_call=tuple(after_call),
        auto_reassign=policy.auto_reassign_enabled,
        recycled=tuple(recycled),
        waiting=moves.waiting,
        resting=moves.resting,
        dry_run=dry_run,
    )


def _flag(session: Session, policy: Policy, *, actor_id: int | None, at: datetime) -> list[int]:
    cutoff = untouched_cutoff(at, policy.untouched_flag_hours, policy)
    reason = f"Nobody has touched it for {policy.untouched_flag_hours:g} business hours"
    condition = and_(untouched_since(cutoff, at), Lead.flagged_untouched_at.is_(None))
    return _set_flags(
        session,
        condition,
        at,
        at=at,
        actor_id=actor_id,
        action=AuditAction.FLAGGED_UNTOUCHED,
        reason=reason,
    )


def _unflag(session: Session, *, actor_id: int | None, at: datetime) -> list[int]:
    """Take the flag off open leads someone has touched since (a call, a note, a verdict, a
    change of hands), and off those with a callback or retry still ahead."""
    since = Lead.flagged_untouched_at
    touched = or_(
        Lead.last_attempt_at > since,
        Lead.callback_at > at,
        Lead.next_attempt_at > at,
        exists().where(Assignment.lead_id == Lead.id, Assignment.at > since),
        exists().where(Note.lead_id == Lead.id, Note.updated_at > since),
        exists().where(VerdictRecord.lead_id == Lead.id, VerdictRecord.decided_at > since),
    )
    condition = and_(is_open(), Lead.flagged_untouched_at.is_not(None), touched)
    return _set_flags(
        session,
        condition,
        None,
        at=at,
        actor_id=actor_id,
        action=AuditAction.UNTOUCHED_FLAG_CLEARED,
        reason="Touched since it was flagged, or its callback or retry is ahead",
    )


def _set_flags(
    session: Session,
    condition: ColumnElement[bool],
    value: datetime | None,
    *,
    at: datetime,
    actor_id: int | None,
    action: AuditAction,
    reason: str,
) -> list[int]:
    """One UPDATE whose WHERE is the rule itself, so a lead touched meanwhile is left alone.

    The first sweep of a big store flags thousands of leads; row by row that took seconds.
    """
    changed = session.connection().execute(
        update(Lead)
        .where(condition)
        .values(flagged_untouched_at=value, version=Lead.version + 1)
        .returning(Lead.id)
    )
    ids = sorted(changed.scalars().all())
    if ids:
        session.connection().execute(
            insert(AuditEvent),
            [
                {
                    "at": at,
                    "actor_id": actor_id,
                    "action": action.value,
                    "lead_id": lead_id,
                    "reason": reason,
                    "details": {"automatic": True},
                }
                for lead_id in ids
            ],
        )
    return ids


@dataclass
class Moves:
    moved: list[PlannedMove] = field(default_factory=list)
    not_moved: list[tuple[int, str]] = field(default_factory=list)
    waiting: int = 0
    resting: int = 0


def _auto_reassign(
    session: Session, policy: Policy, *, actor_id: int | None, at: datetime
) -> Moves:
    hours = policy.auto_reassign_after_hours
    cutoff = untouched_cutoff(at, hours, policy)
    day_hours = policy.business_hours.hours_a_day
    rest_from = untouched_cutoff(at, policy.auto_reassign_rest_business_days * day_hours, policy)
    moved_lately = exists().where(
        Assignment.lead_id == Lead.id,
        Assignment.at >= rest_from,
        Assignment.reason.startswith(SWEEP_MOVE),
    )
    candidates = and_(untouched_since(cutoff, at), Lead.assigned_to_id.is_not(None))
    resting = session.scalar(select(func.count()).select_from(Lead).where(candidates, moved_lately))
    rows = session.execute(
        planned_moves_query(at).where(candidates, ~moved_lately).order_by(Lead.arrived_at, Lead.id)
    ).all()
    moves = Moves(resting=int(resting or 0))
    if not rows:
        return moves
    slots = rep_slots(session)
    users = active_users(session)
    reason = f"{SWEEP_MOVE} {hours:g} business hours: moved to a rep with room"
    for index, row in enumerate(rows):
        if len(moves.moved) >= policy.auto_reassign_max_per_run:
            moves.waiting = len(rows) - index
            break
        country = (row[5] or None) and str(row[5]).upper()
        fits = [
            s
            for s in slots.values()
            if s.user_id != row[8] and s.planned < s.capacity and covers(s.territories, country)
        ]
        if not fits:
            moves.not_moved.append(
                (row[0], "no other rep with room" + (f" for {country}" if country else ""))
            )
            continue
        best = min(fits, key=lambda s: (-(s.capacity - s.planned), s.name))
        move = to_move(row, users[best.user_id])
        # Someone touched it between the read and now: it is no longer untouched; leave it.
        if apply_move(
            session, move, actor_id=actor_id, at=at, reason=reason, details={"automatic": True}
        ):
            best.planned += 1
            if row[8] in slots:
                slots[row[8]].planned -= 1
            moves.moved.append(move)
    return moves


def _moves_after_call(session: Session, at: datetime) -> list[int]:
    """Carry out the team lead's moves still waiting for a call whose lease has run out."""
    waiting = session.scalars(select(PendingMove.lead_id).order_by(PendingMove.lead_id)).all()
    return [lead_id for lead_id in waiting if move_after_call(session, lead_id, at=at)]

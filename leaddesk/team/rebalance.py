"""Rebalance: spread leads over the reps by spare capacity, respecting territories.

What moves: the open pool, and from reps holding more than their fair share (the team's load
spread in proportion to capacity) the leads they have not started on (never reached, no
callback booked, not on a call, not on hold). A lead a rep has spoken to stays with them.

Each lead, oldest first, goes to the rep with the most spare capacity for their size (the
lowest share of capacity in use) who covers its country; a rep never goes over capacity, and a
lead taken from an overloaded rep only goes to someone still under their fair share, so a
second run straight after the first finds nothing to move. The plan is
deterministic: same store, same plan. The same planner spreads an absent rep's leads.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leaddesk.domain import Role
from leaddesk.errors import InputError
from leaddesk.store.models import Lead, User
from leaddesk.team.moves import POOL, PlannedMove, apply_all, covers, is_open, no_live_claim
from leaddesk.team.reassign import planned_moves_query, to_move

REBALANCE_REASON = "Rebalanced by spare capacity"
SPREAD_REASON = "Spread while {name} is away"


@dataclass(frozen=True)
class RepLoad:
    user_id: int
    name: str
    capacity: int
    territories: tuple[str, ...]
    before: int
    after: int
    fair_share: int
    display_name: str  # how the team lead knows them; ``name`` is the user name

    HEADERS = ("rep", "capacity", "territories", "open now", "after", "fair share")

    def row(self) -> tuple[object, ...]:
        return (
            self.name,
            self.capacity,
            " ".join(self.territories),
            self.before,
            self.after,
            self.fair_share,
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "rep": self.name,
            "capacity": self.capacity,
            "territories": list(self.territories),
            "before": self.before,
            "after": self.after,
            "fair_share": self.fair_share,
        }


@dataclass(frozen=True)
class Unplaced:
    lead_id: int
    why: str


@dataclass(frozen=True)
class RebalancePlan:
    """Who gets what; nothing is written until it is applied."""

    at: datetime
    reason: str
    moves: tuple[PlannedMove, ...]
    reps: tuple[RepLoad, ...]
    unplaced: tuple[Unplaced, ...] = field(default=())

    headers = PlannedMove.HEADERS

    def rows(self) -> list[tuple[object, ...]]:
        return [move.row() for move in self.moves]

    def rep_rows(self) -> list[tuple[object, ...]]:
        return [rep.row() for rep in self.reps]

    def received(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for move in self.moves:
            key = move.to_user or POOL
            counts[key] = counts.get(key, 0) + 1
        return counts

    def as_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "reason": self.reason,
            "moves": [m.as_json() for m in self.moves],
            "reps": [r.as_json() for r in self.reps],
            "unplaced": [{"lead_id": u.lead_id, "why": u.why} for u in self.unplaced],
        }


@dataclass
class RepSlot:
    user_id: int
    name: str
    capacity: int
    territories: tuple[str, ...]
    before: int
    planned: int
    fair_share: int = 0
    display_name: str = ""


def plan_rebalance(
    session: Session, *, at: datetime, include_pool: bool = True, reason: str | None = None
) -> RebalancePlan:
    slots = rep_slots(session)
    if not slots:
        raise InputError("No active qualifiers to spread leads over; add or reactivate reps.")
    pool = _pool_rows(session, at) if include_pool else []
    total_capacity = sum(s.capacity for s in slots.values())
    load = sum(s.before for s in slots.values()) + len(pool)
    share = min(1.0, load / total_capacity) if total_capacity else 1.0
    for slot in slots.values():
        slot.fair_share = min(slot.capacity, math.ceil(share * slot.capacity))
    donated: list[Any] = []
    for slot in sorted(slots.values(), key=lambda s: s.name):
        excess = slot.before - slot.fair_share
        if excess > 0:
            donated += _untouched_rows(session, slot.user_id, at, limit=excess)
    candidates = [(row, False) for row in pool] + [(row, True) for row in donated]
    # The open pool first (nobody owns those leads), then oldest interest first.
    candidates.sort(key=lambda item: (item[1], item[0][7], item[0][0]))
    moves, unplaced = _place(candidates, slots, users=active_users(session))
    return _plan(at, reason or REBALANCE_REASON, moves, unplaced, slots)


def plan_spread(
    session: Session, from_user: str, *, at: datetime, reason: str | None = None
) -> RebalancePlan:
    """Spread every open lead of an absent rep over the others by spare capacity."""
    absent = session.scalar(select(User).where(User.name == from_user.strip().lower()))
    if absent is None:
        raise InputError(f"No user named '{from_user}'.")
    slots = {k: v for k, v in rep_slots(session).items() if k != absent.id}
    if not slots:
        raise InputError(f"No other active qualifier to take {absent.display_name}'s leads.")
    for slot in slots.values():
        slot.fair_share = slot.capacity
    rows = session.execute(
        planned_moves_query(at)
        .where(Lead.assigned_to_id == absent.id)
        .order_by(Lead.arrived_at, Lead.id)
    ).all()
    unplaced: list[Unplaced] = []
    candidates: list[tuple[Any, bool]] = []
    for row in rows:
        if row[10] is not None:
            unplaced.append(Unplaced(row[0], f"on a call with {row[13]} right now"))
        else:
            candidates.append((row, False))
    moves, more = _place(candidates, slots, users=active_users(session))
    text = reason or SPREAD_REASON.format(name=absent.display_name)
    return _plan(at, text, moves, unplaced + more, slots)


def apply_plan(
    session: Session, plan: RebalancePlan, *, actor_id: int | None, at: datetime
) -> RebalancePlan:
    """Apply every move of the plan, or (Conflict: a lead changed since the preview) none."""
    apply_all(session, plan.moves, actor_id=actor_id, at=at, reason=plan.reason)
    return plan


# -- planning ------------------------------------------------------------------------------------


def _place(
    candidates: list[tuple[Any, bool]], slots: dict[int, RepSlot], *, users: dict[int, User]
) -> tuple[list[PlannedMove], list[Unplaced]]:
    moves: list[PlannedMove] = []
    unplaced: list[Unplaced] = []
    for row, levelling in candidates:
        country = (row[5] or None) and str(row[5]).upper()
        owner = row[8]
        fits = [
            slot
            for slot in slots.values()
            if slot.user_id != owner
            and slot.planned < slot.capacity
            and (not levelling or slot.planned < slot.fair_share)
            and covers(slot.territories, country)
        ]
        if not fits:
            # A lead from an overloaded rep simply stays with them; only say so for the others.
            if not levelling:
                unplaced.append(Unplaced(row[0], _why_unplaced(slots, owner, country)))
            continue
        # The least full queue for its size, so everyone ends near the same share of their
        # capacity; then a rep whose territory it is; then the most spare room; then by name,
        # so the plan never wobbles.
        best = min(
            fits,
            key=lambda s: (
                s.planned / s.capacity,
                not (s.territories and country in s.territories),
                -(s.capacity - s.planned),
                s.name,
            ),
        )
        best.planned += 1
        if owner in slots:
            slots[owner].planned -= 1
        moves.append(to_move(row, users[best.user_id]))
    return moves, unplaced


def _why_unplaced(slots: dict[int, RepSlot], owner: int | None, country: str | None) -> str:
    """A full team and a country nobody covers call for different fixes: say which it is."""
    if country and not any(
        covers(slot.territories, country) for slot in slots.values() if slot.user_id != owner
    ):
        return f"no rep covers {country}"
    return f"no rep with room for {country}" if country else "no rep with room"


def _plan(
    at: datetime,
    reason: str,
    moves: list[PlannedMove],
    unplaced: list[Unplaced],
    slots: dict[int, RepSlot],
) -> RebalancePlan:
    reps = tuple(
        RepLoad(
            user_id=s.user_id,
            name=s.name,
            capacity=s.capacity,
            territories=s.territories,
            before=s.before,
            after=s.planned,
            fair_share=s.fair_share,
            display_name=s.display_name,
        )
        for s in sorted(slots.values(), key=lambda s: s.name)
    )
    ordered = sorted(moves, key=lambda m: (m.to_user or "", m.arrived_at, m.lead_id))
    return RebalancePlan(
        at=at,
        reason=reason,
        moves=tuple(ordered),
        reps=reps,
        unplaced=tuple(unplaced),
    )


def rep_slots(session: Session) -> dict[int, RepSlot]:
    """The active qualifiers with room for any leads at all, with what they hold now."""
    held = dict(
        session.execute(
            select(Lead.assigned_to_id, func.count())
            .where(is_open(), Lead.assigned_to_id.is_not(None))
            .group_by(Lead.assigned_to_id)
        )
        .tuples()
        .all()
    )
    reps = session.scalars(
        select(User)
        .where(User.active.is_(True), User.role == Role.QUALIFIER, User.capacity > 0)
        .order_by(User.name)
    )
    return {
        user.id: RepSlot(
            user_id=user.id,
            name=user.name,
            capacity=user.capacity,
            territories=tuple(t.upper() for t in user.territories or ()),
            before=int(held.get(user.id, 0)),
            planned=int(held.get(user.id, 0)),
            display_name=user.display_name,
        )
        for user in reps
    }


def active_users(session: Session) -> dict[int, User]:
    return {u.id: u for u in session.scalars(select(User).where(User.active.is_(True)))}


def _pool_rows(session: Session, at: datetime) -> list[Any]:
    query = planned_moves_query(at).where(
        Lead.assigned_to_id.is_(None), no_live_claim(at), Lead.hold_reason.is_(None)
    )
    return list(session.execute(query).all())


def _untouched_rows(session: Session, user_id: int, at: datetime, *, limit: int) -> list[Any]:
    query = (
        planned_moves_query(at)
        .where(
            Lead.assigned_to_id == user_id,
            Lead.first_contact_at.is_(None),
            Lead.callback_at.is_(None),
            Lead.hold_reason.is_(None),
            no_live_claim(at),
        )
        .order_by(Lead.arrived_at, Lead.id)
        .limit(limit)
    )
    return list(session.execute(query).all())

"""Who gets a new lead on intake, per the policy: round robin, territory, or the open pool.

Only active qualifiers with spare capacity (open leads below their capacity) get leads. Loads
are read once per import and counted up in memory as leads are handed out, so assigning a
100,000-row file costs one grouped query, not one per lead. A rep's own import stays theirs
(``keeping``), whatever their load: they chose to bring those leads in.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leaddesk.definition import Assignment
from leaddesk.domain import OPEN_STAGES, Role
from leaddesk.store.models import Lead, User


@dataclass(slots=True)
class _Rep:
    id: int
    name: str
    capacity: int
    load: int
    territories: frozenset[str]
    display: str = ""

    @property
    def spare(self) -> int:
        return self.capacity - self.load


class Assigner:
    """Hands out new leads in turn; ``assign`` returns the rep's id, or None for the pool."""

    def __init__(self, mode: Assignment, reps: list[_Rep]) -> None:
        self.mode = mode
        # Least loaded first, so a rep back from holiday catches up before the turn comes round.
        self.reps = sorted(reps, key=lambda rep: (rep.load - rep.capacity, rep.id))
        self.turns: dict[str | None, int] = {}  # whose turn it is, per territory
        self.assigned: dict[int, int] = {}
        self.shown: dict[int, str] = {rep.id: rep.display or rep.name for rep in reps}

    @classmethod
    def load(cls, session: Session, mode: Assignment) -> Assigner:
        if mode is Assignment.POOL:
            return cls(mode, [])
        users = session.execute(
            select(User.id, User.name, User.capacity, User.territories, User.display_name).where(
                User.active.is_(True), User.role == Role.QUALIFIER
            )
        ).all()
        loads = dict(
            session.execute(
                select(Lead.assigned_to_id, func.count())
                .where(Lead.stage.in_(OPEN_STAGES), Lead.assigned_to_id.in_([u.id for u in users]))
                .group_by(Lead.assigned_to_id)
            )
            .tuples()
            .all()
        )
        reps = [
            _Rep(
                user.id,
                user.name,
                user.capacity,
                int(loads.get(user.id, 0)),
                frozenset(code.upper() for code in (user.territories or ())),
                user.display_name or user.name,
            )
            for user in users
        ]
        return cls(mode, reps)

    @classmethod
    def keeping(cls, session: Session, user_id: int) -> Assigner:
        """Every new lead to ``user_id``: a rep's own import, kept for them."""
        user = session.get(User, user_id)
        assert user is not None
        rep = _Rep(user.id, user.name, sys.maxsize, 0, frozenset(), user.display_name or user.name)
        return cls(Assignment.ROUND_ROBIN, [rep])

    def assign(self, country: str | None) -> int | None:
        if self.mode is Assignment.POOL or not self.reps:
            return None
        candidates = self.reps
        if self.mode is Assignment.TERRITORY:
            # As the team view reads territories: a rep without any takes leads from anywhere,
            # a lead without a country can go to anyone.
            candidates = [
                rep
                for rep in self.reps
                if not rep.territories or country is None or country in rep.territories
            ]
        turn = self.turns.get(country if self.mode is Assignment.TERRITORY else None, 0)
        count = len(candidates)
        for step in range(count):
            rep = candidates[(turn + step) % count]
            if rep.spare > 0:
                self.turns[country if self.mode is Assignment.TERRITORY else None] = (
                    turn + step + 1
                ) % count
                rep.load += 1
                self.assigned[rep.id] = self.assigned.get(rep.id, 0) + 1
                return rep.id
        return None

    def unassign(self, rep_id: int | None) -> None:
        """Give back a lead handed out for a row that in the end made no lead."""
        if rep_id is None:
            return
        for rep in self.reps:
            if rep.id == rep_id:
                rep.load -= 1
                self.assigned[rep_id] -= 1

    def names(self) -> dict[int, str]:
        return {rep.id: rep.name for rep in self.reps}

    def give(self, rep_id: int, shown: str) -> None:
        """Count a lead handed to ``rep_id`` outside the turns (the rep of its company)."""
        for rep in self.reps:
            if rep.id == rep_id:
                rep.load += 1
        self.shown.setdefault(rep_id, shown)
        self.assigned[rep_id] = self.assigned.get(rep_id, 0) + 1

    def given_out(self) -> dict[str, int]:
        """Display name -> new leads handed to them, most first."""
        shown = self.shown
        counts = [(shown[rep_id], n) for rep_id, n in self.assigned.items() if n > 0]
        return dict(sorted(counts, key=lambda item: (-item[1], item[0])))

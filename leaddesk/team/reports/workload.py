"""Workload per rep (docs/architecture.md §2): what each rep holds against their capacity, and
the calls, talk time and verdicts of the period.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from leaddesk.domain import CallOutcome, Role
from leaddesk.store.models import (
    Assignment,
    CallAttempt,
    Lead,
    User,
    VerdictRecord,
)
from leaddesk.team.moves import is_open
from leaddesk.team.reports.period import (
    Period,
    Report,
    pct,
)


@dataclass(frozen=True)
class RepWorkload:
    rep: str
    open_now: int
    capacity: int
    received: int
    calls: int
    connects: int
    verdicts: int
    talk_minutes: int = 0  # connected calls' whole length (ended when the rep hung up)

    @property
    def capacity_used_pct(self) -> float:
        return pct(self.open_now, self.capacity) if self.capacity else 0.0

    def row(self) -> tuple[object, ...]:
        return (
            self.rep,
            self.open_now,
            self.capacity,
            self.capacity_used_pct,
            self.received,
            self.calls,
            self.connects,
            self.talk_minutes,
            self.verdicts,
        )


def workload(session: Session, span: Period) -> Report:
    """Per rep: what they hold now against capacity; what they received and did in the period."""
    open_now = dict(
        session.execute(
            select(Lead.assigned_to_id, func.count())
            .where(is_open(), Lead.assigned_to_id.is_not(None))
            .group_by(Lead.assigned_to_id)
        )
        .tuples()
        .all()
    )
    received = dict(
        session.execute(
            select(Assignment.to_user_id, func.count())
            .where(
                Assignment.to_user_id.is_not(None),
                Assignment.at >= span.start,
                Assignment.at < span.end,
            )
            .group_by(Assignment.to_user_id)
        )
        .tuples()
        .all()
    )
    connected = case((CallAttempt.outcome == CallOutcome.CONNECTED, 1), else_=0)
    talked = case(
        (CallAttempt.outcome == CallOutcome.CONNECTED, CallAttempt.duration_seconds), else_=0
    )
    calls = {
        user: (int(n), int(c or 0), round(int(t or 0) / 60))
        for user, n, c, t in session.execute(
            select(CallAttempt.user_id, func.count(), func.sum(connected), func.sum(talked))
            .where(CallAttempt.at >= span.start, CallAttempt.at < span.end)
            .group_by(CallAttempt.user_id)
        )
        .tuples()
        .all()
    }
    verdicts = dict(
        session.execute(
            select(VerdictRecord.decided_by_id, func.count())
            .where(VerdictRecord.decided_at >= span.start, VerdictRecord.decided_at < span.end)
            .group_by(VerdictRecord.decided_by_id)
        )
        .tuples()
        .all()
    )
    busy = set(open_now) | set(received) | set(calls) | set(verdicts)
    users = session.scalars(select(User).order_by(User.name)).all()
    items = tuple(
        RepWorkload(
            rep=u.display_name,
            open_now=int(open_now.get(u.id, 0)),
            capacity=u.capacity,
            received=int(received.get(u.id, 0)),
            calls=calls.get(u.id, (0, 0, 0))[0],
            connects=calls.get(u.id, (0, 0, 0))[1],
            verdicts=int(verdicts.get(u.id, 0)),
            talk_minutes=calls.get(u.id, (0, 0, 0))[2],
        )
        for u in users
        if (u.active and u.role is Role.QUALIFIER) or u.id in busy
    )
    headers = (
        "rep",
        "open now",
        "capacity",
        "used %",
        "received",
        "calls",
        "connects",
        "talk min",
        "verdicts",
    )
    return Report("workload", "Workload per rep", span, headers, items)

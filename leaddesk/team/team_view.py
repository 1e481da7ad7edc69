"""The team view: per rep what they hold and how it is going, the open pool, and the leads
sales has not answered yet. One read, a few grouped queries, whatever the team's size.

"Today" and "this week" (from Monday) are the team's days, in the policy's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from leaddesk.day_summary import start_of_day
from leaddesk.domain import Role, Stage
from leaddesk.queue.policy import current_policy
from leaddesk.store.models import Lead, SalesFeedback, User, VerdictRecord
from leaddesk.team.moves import is_open
from leaddesk.team.sweep import untouched_since


@dataclass(frozen=True)
class RepRow:
    user_id: int
    name: str
    display_name: str
    role: Role
    capacity: int
    territories: tuple[str, ...]
    open_leads: int
    callbacks_due_today: int  # booked for before the end of today and still open (late ones too)
    sla_breaches: int  # never reached and past the speed-to-lead deadline
    untouched: int  # nobody called it or moved it for the policy's untouched hours
    verdicts_today: int
    verdicts_this_week: int

    HEADERS = (
        "rep",
        "open",
        "capacity",
        "used %",
        "callbacks today",
        "SLA breaches",
        "untouched",
        "verdicts today",
        "verdicts this week",
    )

    @property
    def capacity_used_pct(self) -> int:
        if self.capacity <= 0:
            return 100 if self.open_leads else 0
        return round(100 * self.open_leads / self.capacity)

    def row(self) -> tuple[object, ...]:
        return (
            self.name,
            self.open_leads,
            self.capacity,
            self.capacity_used_pct,
            self.callbacks_due_today,
            self.sla_breaches,
            self.untouched,
            self.verdicts_today,
            self.verdicts_this_week,
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "rep": self.name,
            "display_name": self.display_name,
            "role": self.role.value,
            "capacity": self.capacity,
            "territories": list(self.territories),
            "open": self.open_leads,
            "capacity_used_pct": self.capacity_used_pct,
            "callbacks_due_today": self.callbacks_due_today,
            "sla_breaches": self.sla_breaches,
            "untouched": self.untouched,
            "verdicts_today": self.verdicts_today,
            "verdicts_this_week": self.verdicts_this_week,
        }


@dataclass(frozen=True)
class PoolSummary:
    open_leads: int
    sla_breaches: int
    untouched: int
    oldest_arrived_at: datetime | None

    def as_json(self) -> dict[str, Any]:
        return {
            "open": self.open_leads,
            "sla_breaches": self.sla_breaches,
            "untouched": self.untouched,
            "oldest_arrived_at": self.oldest_arrived_at.isoformat()
            if self.oldest_arrived_at
            else None,
        }


@dataclass(frozen=True)
class AwaitingSales:
    """Handed off, no answer from sales yet; how many are past the policy's windows."""

    waiting: int
    past_follow_up: int  # includes those past escalation
    past_escalation: int
    oldest_handed_off_at: datetime | None
    follow_up_hours: float
    escalation_hours: float

    def as_json(self) -> dict[str, Any]:
        return {
            "waiting": self.waiting,
            "past_follow_up": self.past_follow_up,
            "past_escalation": self.past_escalation,
            "oldest_handed_off_at": self.oldest_handed_off_at.isoformat()
            if self.oldest_handed_off_at
            else None,
            "follow_up_hours": self.follow_up_hours,
            "escalation_hours": self.escalation_hours,
        }


@dataclass(frozen=True)
class TeamView:
    at: datetime
    timezone: str
    day_start: datetime
    week_start: datetime
    untouched_hours: float
    reps: tuple[RepRow, ...]
    pool: PoolSummary
    awaiting_sales: AwaitingSales

    headers = RepRow.HEADERS

    def rows(self) -> list[tuple[object, ...]]:
        return [rep.row() for rep in self.reps]

    def as_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "timezone": self.timezone,
            "untouched_hours": self.untouched_hours,
            "reps": [rep.as_json() for rep in self.reps],
            "pool": self.pool.as_json(),
            "awaiting_sales": self.awaiting_sales.as_json(),
        }


def team_view(session: Session, *, at: datetime) -> TeamView:
    policy = current_policy(session)
    day_start = start_of_day(at, policy.timezone)
    day_end = start_of_day(day_start + timedelta(hours=36), policy.timezone)
    local = day_start.astimezone(policy.zone)
    week_start = start_of_day(
        (local - timedelta(days=local.weekday())).replace(hour=12), policy.timezone
    )
    untouched = untouched_since(at - timedelta(hours=policy.untouched_flag_hours), at)
    breached = is_open() & Lead.first_contact_at.is_(None) & (Lead.sla_due_at < at)
    callbacks = is_open() & (Lead.callback_at < day_end)

    open_by = _per_owner(session, is_open())
    callbacks_by = _per_owner(session, callbacks)
    breaches_by = _per_owner(session, breached)
    untouched_by = _per_owner(session, untouched)
    today_by = _verdicts_by(session, day_start)
    week_by = _verdicts_by(session, week_start)

    users = session.scalars(select(User).order_by(User.name)).all()
    holders = set(open_by) | set(week_by)
    reps = tuple(
        RepRow(
            user_id=u.id,
            name=u.name,
            display_name=u.display_name,
            role=u.role,
            capacity=u.capacity,
            territories=tuple(u.territories or ()),
            open_leads=open_by.get(u.id, 0),
            callbacks_due_today=callbacks_by.get(u.id, 0),
            sla_breaches=breaches_by.get(u.id, 0),
            untouched=untouched_by.get(u.id, 0),
            verdicts_today=today_by.get(u.id, 0),
            verdicts_this_week=week_by.get(u.id, 0),
        )
        for u in users
        if (u.active and u.role is Role.QUALIFIER) or u.id in holders
    )
    oldest_pool = session.scalar(
        select(func.min(Lead.arrived_at)).where(is_open(), Lead.assigned_to_id.is_(None))
    )
    pool = PoolSummary(
        open_leads=open_by.get(None, 0),
        sla_breaches=breaches_by.get(None, 0),
        untouched=untouched_by.get(None, 0),
        oldest_arrived_at=oldest_pool,
    )
    return TeamView(
        at=at,
        timezone=policy.timezone,
        day_start=day_start,
        week_start=week_start,
        untouched_hours=policy.untouched_flag_hours,
        reps=reps,
        pool=pool,
        awaiting_sales=awaiting_sales(
            session,
            at=at,
            follow_up_hours=policy.sales_followup_hours,
            escalation_hours=policy.sales_escalation_hours,
        ),
    )


def awaiting_sales(
    session: Session, *, at: datetime, follow_up_hours: float, escalation_hours: float
) -> AwaitingSales:
    # Counted from when the lead went to sales, in plain hours, as the handoff pending list does.
    handed = Lead.stage_changed_at
    unanswered = (Lead.stage == Stage.HANDED_OFF) & ~select(SalesFeedback.id).where(
        SalesFeedback.lead_id == Lead.id
    ).exists()
    follow_up = at - timedelta(hours=follow_up_hours)
    escalation = at - timedelta(hours=escalation_hours)
    waiting, oldest = session.execute(
        select(func.count(), func.min(handed)).where(unanswered)
    ).one()
    late = session.scalar(select(func.count()).where(unanswered, handed <= follow_up)) or 0
    very_late = session.scalar(select(func.count()).where(unanswered, handed <= escalation)) or 0
    return AwaitingSales(
        waiting=waiting or 0,
        past_follow_up=late,
        past_escalation=very_late,
        oldest_handed_off_at=oldest,
        follow_up_hours=follow_up_hours,
        escalation_hours=escalation_hours,
    )


def _per_owner(session: Session, condition: ColumnElement[bool]) -> dict[int | None, int]:
    rows = (
        session.execute(
            select(Lead.assigned_to_id, func.count()).where(condition).group_by(Lead.assigned_to_id)
        )
        .tuples()
        .all()
    )
    return {owner: int(count) for owner, count in rows}


def _verdicts_by(session: Session, since: datetime) -> dict[int, int]:
    rows = (
        session.execute(
            select(VerdictRecord.decided_by_id, func.count())
            .where(VerdictRecord.decided_at >= since)
            .group_by(VerdictRecord.decided_by_id)
        )
        .tuples()
        .all()
    )
    return {user: int(count) for user, count in rows}

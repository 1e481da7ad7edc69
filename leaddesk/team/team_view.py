"""The team view: per rep what they hold and how it is going, the open pool, and the leads
sales has not answered yet. One read, a few grouped queries, whatever the team's size.

"Today" and "this week" (from Monday) are the team's days, in the policy's time zone.
Each rep's row also says what they are doing now, from their calls: on a call (connected,
not hung up yet) since when, or when their last call was.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session

from leaddesk.calling.my_day import day_bounds, start_of_day
from leaddesk.domain import CallOutcome, Role, Stage
from leaddesk.queue.policy import current_policy
from leaddesk.queue.sla import overdue_first_call
from leaddesk.store.models import CallAttempt, Lead, SalesFeedback, User, VerdictRecord
from leaddesk.store.sales_answers import answers_its_handoff
from leaddesk.team.moves import is_open
from leaddesk.team.sweep import untouched_cutoff, untouched_since

# A connected call nobody hung up on this long ago was left open (a window closed mid-call):
# the rep is no longer on it, whatever the hold on its lead says.
LONGEST_CALL = timedelta(hours=2)


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
    sla_breaches: int  # the queue's "call overdue" rows (``overdue_first_call``)
    untouched: int  # nobody called it or moved it for the policy's untouched hours
    verdicts_today: int
    verdicts_this_week: int
    calls_today: int = 0
    connects_today: int = 0
    last_call_at: datetime | None = None
    on_call_since: datetime | None = None  # connected and not hung up yet
    as_of: datetime | None = None  # the view's moment, which "now" is worded for
    timezone: str | None = None  # the team's, which "today" and the last call's time are in

    HEADERS = (
        "rep",
        "now",
        "calls today",
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

    def now_text(self, zone: ZoneInfo | None = None) -> str:
        """What the rep is doing, for a team lead glancing at the floor: "on a call, 12 min",
        "last call 14:05", or "no calls today" (times in ``zone``, else the team's)."""
        if self.on_call_since is not None and self.as_of is not None:
            minutes = max(0, int((self.as_of - self.on_call_since).total_seconds() // 60))
            return "on a call, under 1 min" if minutes < 1 else f"on a call, {minutes} min"
        if self.last_call_at is not None:
            if zone is None and self.timezone:
                zone = ZoneInfo(self.timezone)
            return f"last call {self.last_call_at.astimezone(zone).strftime('%H:%M')}"
        return "no calls today"

    def row(self, zone: ZoneInfo | None = None) -> tuple[object, ...]:
        return (
            self.name,
            self.now_text(zone),
            self.calls_today,
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
            "calls_today": self.calls_today,
            "connects_today": self.connects_today,
            "last_call_at": _iso(self.last_call_at),
            "on_call_since": _iso(self.on_call_since),
        }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


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

    @property
    def headers(self) -> tuple[str, ...]:
        """The reps' headers, "now" naming the zone its times are in."""
        return tuple(f"now ({self.timezone})" if h == "now" else h for h in RepRow.HEADERS)

    def rows(self) -> list[tuple[object, ...]]:
        """The reps' rows, times in the team's zone (as "today" is)."""
        zone = ZoneInfo(self.timezone)
        return [rep.row(zone) for rep in self.reps]

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
    day_start, day_end = day_bounds(at, policy.timezone)
    local = day_start.astimezone(policy.zone)
    week_start = start_of_day(
        (local - timedelta(days=local.weekday())).replace(hour=12), policy.timezone
    )
    untouched = untouched_since(untouched_cutoff(at, policy.untouched_flag_hours, policy), at)
    breached = overdue_first_call(at)
    callbacks = is_open() & (Lead.callback_at < day_end)

    open_by = _per_owner(session, is_open())
    callbacks_by = _per_owner(session, callbacks)
    breaches_by = _per_owner(session, breached)
    untouched_by = _per_owner(session, untouched)
    today_by = _verdicts_by(session, day_start)
    week_by = _verdicts_by(session, week_start)
    calls_by = _calls_by(session, day_start, day_end)
    on_call = _on_a_call(session, at)

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
            calls_today=calls_by.get(u.id, (0, 0, None))[0],
            connects_today=calls_by.get(u.id, (0, 0, None))[1],
            last_call_at=calls_by.get(u.id, (0, 0, None))[2],
            on_call_since=on_call.get(u.id),
            as_of=at,
            timezone=policy.timezone,
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
        answers_its_handoff()
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


def _calls_by(
    session: Session, since: datetime, until: datetime
) -> dict[int, tuple[int, int, datetime | None]]:
    """Per rep: calls from ``since`` to before ``until`` (the team's day, as the rep's status
    bar counts it), how many connected, and the last one's moment."""
    connected = func.sum(case((CallAttempt.outcome == CallOutcome.CONNECTED, 1), else_=0))
    rows = session.execute(
        select(CallAttempt.user_id, func.count(), connected, func.max(CallAttempt.at))
        .where(CallAttempt.at >= since, CallAttempt.at < until)
        .group_by(CallAttempt.user_id)
    ).tuples()
    return {user: (int(count), int(connects or 0), last) for user, count, connects, last in rows}


def _on_a_call(session: Session, at: datetime) -> dict[int, datetime]:
    """Reps whose latest call is connected, not hung up yet, and whose hold on its lead is
    still renewed (a window on the call renews it every few minutes): since when."""
    held = and_(
        Lead.claimed_by_id == CallAttempt.user_id,
        Lead.claim_expires_at.is_not(None),
        Lead.claim_expires_at > at,
    )
    recent = session.execute(
        select(
            CallAttempt.user_id,
            CallAttempt.at,
            CallAttempt.outcome,
            CallAttempt.ended_at,
            case((held, True), else_=False),
        )
        .join(Lead, Lead.id == CallAttempt.lead_id)
        .where(CallAttempt.at >= at - LONGEST_CALL, CallAttempt.at <= at)
        .order_by(CallAttempt.at, CallAttempt.id)
    ).tuples()
    return dict(_still_talking(recent))


def _still_talking(
    calls: Iterable[tuple[int, datetime, CallOutcome, datetime | None, bool]],
) -> Iterable[tuple[int, datetime]]:
    latest: dict[int, tuple[datetime, CallOutcome, datetime | None, bool]] = {}
    for user, at, outcome, ended, held in calls:  # in time order: the last one wins
        latest[user] = (at, outcome, ended, held)
    for user, (at, outcome, ended, held) in latest.items():
        if outcome is CallOutcome.CONNECTED and ended is None and held:
            yield user, at

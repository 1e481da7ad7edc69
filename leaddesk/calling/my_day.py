"""A rep's day in numbers: the status bar during the day and the summary at its end.

"Today" is the team's day, midnight to midnight in the policy's time zone, wherever the rep's
computer is: the rep's window, the team console, the reports and the CLI count the same calls.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leaddesk.domain import CallOutcome
from leaddesk.queue.policy import current_policy
from leaddesk.queue.sla import overdue_first_call
from leaddesk.store.models import CallAttempt, Lead, VerdictRecord


@dataclass(frozen=True)
class DaySummary:
    day_start: datetime
    calls: int
    connects: int
    talk_minutes: int
    verdicts: dict[str, int] = field(default_factory=dict)
    sla_breaches: int = 0
    callbacks_booked: int = 0
    timezone: str = "UTC"  # whose midnight "today" starts at: the team's
    talk_seconds: int = 0  # talk_minutes before rounding, so a call's seconds can be added
    counted_at: datetime | None = None  # when counted from the rows (kept up to date since)

    @property
    def connect_rate(self) -> float:
        return self.connects / self.calls if self.calls else 0.0

    def as_json(self) -> dict[str, object]:
        return {
            "day_start": self.day_start.isoformat(),
            "timezone": self.timezone,
            "calls": self.calls,
            "connects": self.connects,
            "connect_rate": round(self.connect_rate, 3),
            "talk_minutes": self.talk_minutes,
            "verdicts": dict(self.verdicts),
            "sla_breaches": self.sla_breaches,
            "callbacks_booked": self.callbacks_booked,
        }


def start_of_day(now: datetime, zone: str) -> datetime:
    local = now.astimezone(ZoneInfo(zone))
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight.astimezone(now.tzinfo)


def day_bounds(now: datetime, zone: str) -> tuple[datetime, datetime]:
    """Today in ``zone``: from its midnight to the next (23 or 25 hours on a DST change)."""
    since = start_of_day(now, zone)
    return since, start_of_day(since + timedelta(hours=36), zone)


def summarise_day(
    session: Session, *, user_id: int, now: datetime, zone: str | None = None
) -> DaySummary:
    """The rep's day; ``zone`` defaults to the team's (the policy's), as every view counts."""
    zone = zone or current_policy(session).timezone
    since, until = day_bounds(now, zone)
    # Counted by the database: the status bar re-reads this after every call, and a busy
    # day's rows should not all travel to Python (nor hold the GIL while they do).
    connected = CallAttempt.outcome == CallOutcome.CONNECTED
    calls, connects, talk, callbacks = session.execute(
        select(
            func.count(),
            func.count().filter(connected),
            func.coalesce(func.sum(CallAttempt.duration_seconds).filter(connected), 0),
            func.count(CallAttempt.callback_at),
        ).where(CallAttempt.user_id == user_id, CallAttempt.at >= since, CallAttempt.at < until)
    ).one()
    verdicts = {
        verdict.value: count
        for verdict, count in session.execute(
            select(VerdictRecord.verdict, func.count())
            .where(
                VerdictRecord.decided_by_id == user_id,
                VerdictRecord.decided_at >= since,
                VerdictRecord.decided_at < until,
            )
            .group_by(VerdictRecord.verdict)
        ).tuples()
    }
    breaches = session.scalar(
        select(func.count()).where(Lead.assigned_to_id == user_id, overdue_first_call(now))
    )
    return DaySummary(
        day_start=since,
        calls=calls,
        connects=connects,
        talk_minutes=round(int(talk) / 60),
        talk_seconds=int(talk),
        verdicts=verdicts,
        sla_breaches=breaches or 0,
        callbacks_booked=callbacks,
        timezone=zone,
        counted_at=now,
    )

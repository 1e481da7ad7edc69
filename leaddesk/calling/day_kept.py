"""The rep's day kept up to date as they work, for the status bar after every call.

Counting the day from the rows (``my_day.summarise_day``) reads every call and verdict of the
rep's day and every overdue lead in their queue: hundreds of milliseconds on a big store. So
it is counted once, and then each call or verdict the rep's own desk writes adds what it
changed: one lead's share of the day (its calls, connects, talk, callbacks and verdicts by the
rep today, and whether it is an SLA breach in their queue), read before and after the write
in the same transaction. That is a few reads by the lead's id, whatever the store's size.

What the desk does not write itself (deadlines passing, a team lead moving leads, the rep's
other window) is caught by counting again once the kept figures are ``RECOUNT_AFTER`` old.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from threading import Lock

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from leaddesk.calling.my_day import DaySummary, day_bounds
from leaddesk.domain import CallOutcome
from leaddesk.queue.sla import overdue_first_call
from leaddesk.store.models import CallAttempt, Lead, VerdictRecord

# Kept figures older than this are counted again from the rows.
RECOUNT_AFTER = timedelta(minutes=5)


@dataclass(frozen=True)
class LeadShare:
    """What one lead adds to the rep's day."""

    calls: int = 0
    connects: int = 0
    talk_seconds: int = 0
    callbacks: int = 0
    verdicts: dict[str, int] = field(default_factory=dict)
    sla_breaches: int = 0


def lead_share(
    session: Session,
    lead_id: int,
    *,
    user_id: int,
    since: datetime,
    until: datetime,
    now: datetime,
) -> LeadShare:
    """The lead's share of the rep's day, counted as ``summarise_day`` counts the whole day."""
    # Only the lead's id is in WHERE, the rest filters the aggregates: the database then reads
    # the lead's few rows by its index, not the rep's whole day by theirs (which a planner
    # without statistics prefers, for its two columns).
    mine = and_(CallAttempt.user_id == user_id, CallAttempt.at >= since, CallAttempt.at < until)
    connected = and_(mine, CallAttempt.outcome == CallOutcome.CONNECTED)
    calls, connects, talk, callbacks = session.execute(
        select(
            func.count().filter(mine),
            func.count().filter(connected),
            func.coalesce(func.sum(CallAttempt.duration_seconds).filter(connected), 0),
            func.count(CallAttempt.callback_at).filter(mine),
        ).where(CallAttempt.lead_id == lead_id)
    ).one()
    given = and_(
        VerdictRecord.decided_by_id == user_id,
        VerdictRecord.decided_at >= since,
        VerdictRecord.decided_at < until,
    )
    verdicts = {
        verdict.value: count
        for verdict, count in session.execute(
            select(VerdictRecord.verdict, func.count().filter(given))
            .where(VerdictRecord.lead_id == lead_id)
            .group_by(VerdictRecord.verdict)
        ).tuples()
        if count
    }
    breach = session.scalar(
        select(func.count()).where(
            Lead.id == lead_id, Lead.assigned_to_id == user_id, overdue_first_call(now)
        )
    )
    return LeadShare(calls, connects, int(talk), callbacks, verdicts, breach or 0)


def with_change(summary: DaySummary, before: LeadShare, after: LeadShare) -> DaySummary:
    """``summary`` with one lead's share changed from ``before`` to ``after``."""
    verdicts = dict(summary.verdicts)
    for verdict in {*before.verdicts, *after.verdicts}:
        count = (
            verdicts.get(verdict, 0)
            + after.verdicts.get(verdict, 0)
            - before.verdicts.get(verdict, 0)
        )
        if count > 0:
            verdicts[verdict] = count
        else:
            verdicts.pop(verdict, None)  # as a count from the rows has no row for it
    talk = summary.talk_seconds + after.talk_seconds - before.talk_seconds
    return replace(
        summary,
        calls=summary.calls + after.calls - before.calls,
        connects=summary.connects + after.connects - before.connects,
        talk_seconds=talk,
        talk_minutes=round(talk / 60),
        callbacks_booked=summary.callbacks_booked + after.callbacks - before.callbacks,
        verdicts=verdicts,
        sla_breaches=max(0, summary.sla_breaches + after.sla_breaches - before.sla_breaches),
    )


@dataclass
class DayChange:
    """One write's change to the day: the lead's share before and after it."""

    generation: int
    before: LeadShare | None = None
    after: LeadShare | None = None


class DayKept:
    """The rep's day as last counted, with the changes the desk's own writes made since.

    One per desk; the window's one worker thread writes through it, a lock keeps it whole if
    another thread reads it."""

    def __init__(self) -> None:
        self._summary: DaySummary | None = None
        self._generation = 0
        self._lock = Lock()

    def keep(self, summary: DaySummary) -> None:
        """Figures just counted from the rows: kept from now on."""
        with self._lock:
            self._summary = summary
            self._generation += 1

    def forget(self) -> None:
        """A write changed the day in a way not followed here: count it again next time."""
        with self._lock:
            self._summary = None
            self._generation += 1

    def current(self, now: datetime) -> DaySummary | None:
        """The kept figures, or None when they must be counted again (none yet, the day has
        turned, or they were counted ``RECOUNT_AFTER`` ago)."""
        summary = self._summary
        if summary is None or summary.counted_at is None:
            return None
        since, until = day_bounds(summary.day_start, summary.timezone)
        if not since <= now < until or now - summary.counted_at >= RECOUNT_AFTER:
            return None
        return summary

    @contextmanager
    def watch(
        self, session: Session, lead_id: int, *, user_id: int, at: datetime
    ) -> Iterator[DayChange]:
        """Around a write on ``lead_id`` in ``session``: the lead's share before and after it.
        Pass the change to ``add`` once the write is committed."""
        change = DayChange(self._generation)
        summary = self._summary
        if summary is None:
            yield change  # nothing kept: nothing to read
            return
        since, until = day_bounds(summary.day_start, summary.timezone)
        if not since <= at < until:
            yield change
            return
        change.before = lead_share(
            session, lead_id, user_id=user_id, since=since, until=until, now=at
        )
        yield change
        session.flush()
        change.after = lead_share(
            session, lead_id, user_id=user_id, since=since, until=until, now=at
        )

    def add(self, change: DayChange) -> None:
        """A committed write's change, added to the kept figures."""
        with self._lock:
            if self._summary is None or change.before is None or change.after is None:
                return
            if change.generation != self._generation:
                # Counted again meanwhile: whether that count saw this write is not known.
                self._summary = None
                self._generation += 1
                return
            self._summary = with_change(self._summary, change.before, change.after)

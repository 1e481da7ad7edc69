"""Speed to lead (docs/architecture.md §1): how soon the period's leads were first reached,
and how many within their SLA.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from statistics import median

from sqlalchemy import select
from sqlalchemy.orm import Session

from leaddesk.store.models import (
    Lead,
)
from leaddesk.team.reports.period import (
    Period,
    Report,
    pct,
)

# -- speed to lead and SLA ------------------------------------------------------------------------

SPEED_BUCKETS: tuple[tuple[str, float], ...] = (
    ("within 15 min", 15),
    ("15-60 min", 60),
    ("1-2 h", 120),
    ("2-4 h", 240),
    ("4-24 h", 1440),
    ("over 24 h", float("inf")),
)
NOT_REACHED = "not reached yet"


@dataclass(frozen=True)
class SpeedBucket:
    bucket: str
    leads: int
    pct: float

    def row(self) -> tuple[object, ...]:
        return (self.bucket, self.leads, self.pct)


def speed_to_lead(session: Session, span: Period, *, at: datetime) -> Report:
    """How long the period's leads waited for the first call, and the share reached in time.

    SLA: met if first reached by the deadline; breached if reached later, or never reached and
    the deadline has passed. Leads closed unreached before their deadline needed no call and
    are left out, as are leads whose deadline is still ahead.
    """
    rows = (
        session.execute(
            select(Lead.arrived_at, Lead.first_contact_at, Lead.sla_due_at, Lead.closed_at).where(
                Lead.arrived_at >= span.start, Lead.arrived_at < span.end
            )
        )
        .tuples()
        .all()
    )
    counts: Counter[str] = Counter()
    minutes: list[float] = []
    met = breached = not_due = 0
    for arrived, first, due, closed in rows:
        if first is None:
            counts[NOT_REACHED] += 1
        else:
            waited = max(0.0, (first - arrived).total_seconds() / 60)
            minutes.append(waited)
            counts[next(name for name, limit in SPEED_BUCKETS if waited < limit)] += 1
        if due is None:
            continue
        if first is not None:
            if first <= due:
                met += 1
            else:
                breached += 1
        elif closed is not None and closed <= due:
            continue
        elif due < at:
            breached += 1
        else:
            not_due += 1
    total = sum(counts.values())
    names = [name for name, _ in SPEED_BUCKETS] + [NOT_REACHED]
    items = tuple(SpeedBucket(name, counts[name], pct(counts[name], total)) for name in names)
    summary = {
        "leads": total,
        "sla_met": met,
        "sla_breached": breached,
        "sla_not_due_yet": not_due,
        # None when no deadline has come yet: 0 % would read as every lead missed.
        "sla_compliance_pct": pct(met, met + breached) if met + breached else None,
        "median_minutes_to_first_call": round(median(minutes), 1) if minutes else None,
    }
    return Report(
        "sla", "Speed to lead", span, ("first call", "leads", "% of leads"), items, summary
    )

"""The flow of the period's leads (docs/architecture.md §1): how far they got (the funnel)
and what moved each day (throughput).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from leaddesk.domain import SalesDecision, Stage, Verdict
from leaddesk.queue.policy import current_definition
from leaddesk.store.models import (
    HandoffBatch,
    Lead,
    SalesFeedback,
    VerdictRecord,
)
from leaddesk.team.reports.period import (
    HANDED_OFF_OR_LATER,
    Period,
    Report,
    by_day,
    marketing_qualified_label,
    pct,
    was_marketing_qualified,
    went_to_sales,
)


@dataclass(frozen=True)
class FunnelStep:
    step: str
    label: str
    leads: int
    pct_of_arrived: float

    def row(self) -> tuple[object, ...]:
        return (self.label, self.leads, self.pct_of_arrived)


def funnel(session: Session, span: Period) -> Report:
    """How far the period's leads got: marketing-qualified (when the definition adds that
    stage), called, qualified, handed off, accepted by sales: the definition's stages in the
    lifecycle's order, in its words."""
    # Called at least once, whatever the outcome: a lead rung without an answer counts.
    contacted = case((Lead.first_contact_at.is_not(None), 1), else_=0)
    qualified_by_marketing = was_marketing_qualified()
    sent = went_to_sales()
    counts: Counter[tuple[Stage, int, int]] = Counter()
    marketing_qualified = 0
    for stage, reached, with_sales, by_marketing, number in session.execute(
        select(Lead.stage, contacted, sent, qualified_by_marketing, func.count())
        .where(Lead.arrived_at >= span.start, Lead.arrived_at < span.end)
        .group_by(Lead.stage, contacted, sent, qualified_by_marketing)
    ).tuples():
        counts[(stage, int(reached), int(with_sales))] += int(number)
        marketing_qualified += int(number) if by_marketing else 0
    arrived = sum(counts.values())

    def total(test: Callable[[Stage, int], bool]) -> int:
        return sum(n for (stage, reached, _s), n in counts.items() if test(stage, reached))

    def sent_on() -> int:
        return sum(n for (stage, _r, s), n in counts.items() if s or stage in HANDED_OFF_OR_LATER)

    definition = current_definition(session)

    def label(stage: Stage) -> str:
        return definition.stage_label(stage) if definition else stage.label

    added_label = marketing_qualified_label(session, span)
    added = (
        [] if added_label is None else [("marketing_qualified", added_label, marketing_qualified)]
    )
    steps = [
        ("arrived", "Arrived", arrived),
        *added,
        ("contacted", "Called", total(lambda _s, called: called == 1)),
        (
            "qualified",
            label(Stage.QUALIFIED),
            total(lambda s, _r: s is Stage.QUALIFIED) + sent_on(),
        ),
        ("handed_off", label(Stage.HANDED_OFF), sent_on()),
        ("accepted", label(Stage.ACCEPTED), total(lambda s, _r: s is Stage.ACCEPTED)),
    ]
    items = tuple(FunnelStep(key, text, n, pct(n, arrived)) for key, text, n in steps)
    return Report("funnel", "Funnel", span, ("step", "leads", "% of arrived"), items)


@dataclass(frozen=True)
class ThroughputDay:
    day: date
    new: int
    contacted: int
    qualified: int
    handed_off: int
    accepted: int

    def row(self) -> tuple[object, ...]:
        return (
            self.day.isoformat(),
            self.new,
            self.contacted,
            self.qualified,
            self.handed_off,
            self.accepted,
        )


def throughput(session: Session, span: Period) -> Report:
    """Per day: arrived, first reached, qualified (hand-off verdicts), handed off, accepted."""

    def in_span(column: Any) -> list[Any]:
        return [column >= span.start, column < span.end]

    series: dict[str, Counter[date]] = {}
    series["new"] = by_day(
        span, session.scalars(select(Lead.arrived_at).where(*in_span(Lead.arrived_at)))
    )
    series["contacted"] = by_day(
        span,
        session.scalars(select(Lead.first_contact_at).where(*in_span(Lead.first_contact_at))),
    )
    # A lead qualified twice on one day (verdict corrected) counts once.
    qualified = (
        session.execute(
            select(VerdictRecord.lead_id, VerdictRecord.decided_at).where(
                VerdictRecord.verdict == Verdict.HAND_OFF, *in_span(VerdictRecord.decided_at)
            )
        )
        .tuples()
        .all()
    )
    series["qualified"] = Counter(
        day for _, day in {(lead, span.local_day(at)) for lead, at in qualified}
    )
    series["handed_off"] = by_day(
        span,
        session.scalars(
            select(HandoffBatch.created_at)
            .join(Lead, Lead.handoff_batch_id == HandoffBatch.id)
            .where(*in_span(HandoffBatch.created_at))
        ),
    )
    series["accepted"] = by_day(
        span,
        session.scalars(
            select(SalesFeedback.recorded_at).where(
                SalesFeedback.decision == SalesDecision.ACCEPTED,
                *in_span(SalesFeedback.recorded_at),
            )
        ),
    )
    items = tuple(
        ThroughputDay(
            day=day,
            new=series["new"][day],
            contacted=series["contacted"][day],
            qualified=series["qualified"][day],
            handed_off=series["handed_off"][day],
            accepted=series["accepted"][day],
        )
        for day in span.days()
    )
    totals = {key: sum(counter.values()) for key, counter in series.items()}
    return Report(
        "throughput",
        "Throughput per day",
        span,
        ("day", "new", "contacted", "qualified", "handed off", "accepted by sales"),
        items,
        totals,
    )

"""What each source's leads became (docs/architecture.md §1): reached, qualified, handed off,
accepted or rejected by sales, cut by source (or campaign, definition version, referrer).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leaddesk.definition.labels import current_labels
from leaddesk.domain import LeadType, SalesDecision, Stage
from leaddesk.store.models import (
    Lead,
    SalesFeedback,
)
from leaddesk.store.sales_answers import answers_its_handoff
from leaddesk.team.reports.grouping import By, cut
from leaddesk.team.reports.period import (
    QUALIFIED_OR_LATER,
    Period,
    Report,
    marketing_qualified_label,
    pct,
    was_marketing_qualified,
    went_to_sales,
)


@dataclass(frozen=True)
class SourceOutcomes:
    source: str
    leads: int
    still_open: int
    qualified: int
    nurture: int
    disqualified: int
    existing_account: int
    dubious: int
    unworthy: int
    accepted_by_sales: int
    rejected_by_sales: int
    rejection_reasons: tuple[tuple[str, int], ...]
    # Leads that started in the definition's own stage; None where the report has no column.
    marketing_qualified: int | None = None

    @property
    def dubious_or_unworthy_pct(self) -> float:
        return pct(self.dubious + self.unworthy, self.leads)

    def row(self) -> tuple[object, ...]:
        added = () if self.marketing_qualified is None else (self.marketing_qualified,)
        return (
            self.source,
            self.leads,
            *added,
            self.still_open,
            self.qualified,
            self.nurture,
            self.disqualified,
            self.existing_account,
            self.dubious,
            self.unworthy,
            self.dubious_or_unworthy_pct,
            self.accepted_by_sales,
            self.rejected_by_sales,
            "; ".join(f"{reason}: {n}" for reason, n in self.rejection_reasons),
        )


def sources(session: Session, span: Period, by: By = By.SOURCE) -> Report:
    """Per source (or ``by`` another cut), what became of the period's leads, and why sales
    turned some down."""
    arrived = (Lead.arrived_at >= span.start, Lead.arrived_at < span.end)
    tally: dict[str, Counter[str]] = defaultdict(Counter)
    sent = went_to_sales()
    c = cut(by)
    by_marketing = was_marketing_qualified()
    added = marketing_qualified_label(session, span)
    for source, stage, lead_type, with_sales, decision, mql, number in session.execute(
        c.apply(
            select(
                c.key,
                Lead.stage,
                Lead.lead_type,
                sent,
                SalesFeedback.decision,
                by_marketing,
                func.count(),
            )
        )
        .outerjoin(SalesFeedback, answers_its_handoff())
        .where(*arrived)
        .group_by(c.key, Lead.stage, Lead.lead_type, sent, SalesFeedback.decision, by_marketing)
    ).tuples():
        counts = tally[source]
        counts["leads"] += number
        counts["marketing_qualified"] += number if mql else 0
        # A lead sales got counts as qualified wherever sales' answer sent it since.
        counts["qualified" if with_sales else _outcome(stage)] += number
        if decision is not None:
            counts[SalesDecision(decision).value] += number
        if lead_type in (LeadType.DUBIOUS, LeadType.UNWORTHY):
            counts[lead_type.value] += number
    reasons: dict[str, Counter[str]] = defaultdict(Counter)
    labels = current_labels(session)  # reasons in the definition's words
    for source, reason, number in session.execute(
        c.apply(select(c.key, SalesFeedback.reason, func.count()))
        .join(SalesFeedback, answers_its_handoff())
        .where(*arrived, SalesFeedback.decision == SalesDecision.REJECTED)
        .group_by(c.key, SalesFeedback.reason)
    ).tuples():
        reasons[source][labels.reject_reason(reason) or "no reason given"] += number
    items = tuple(
        SourceOutcomes(
            source=source,
            leads=c["leads"],
            still_open=c["open"],
            qualified=c["qualified"],
            nurture=c["nurture"],
            disqualified=c["disqualified"],
            existing_account=c["existing_account"],
            dubious=c["dubious"],
            unworthy=c["unworthy"],
            accepted_by_sales=c["accepted"],
            rejected_by_sales=c["rejected"],
            rejection_reasons=tuple(
                sorted(reasons[source].items(), key=lambda item: (-item[1], item[0]))
            ),
            marketing_qualified=None if added is None else c["marketing_qualified"],
        )
        for source, c in sorted(tally.items())
    )
    headers = (
        by.heading,
        "leads",
        *(() if added is None else (added,)),
        "still open",
        "qualified",
        "nurture",
        "disqualified",
        "existing account",
        "dubious",
        "unworthy",
        "% dubious or unworthy",
        "accepted by sales",
        "rejected by sales",
        "sales rejection reasons",
    )
    return Report("sources", f"Outcomes by {by.heading}", span, headers, items)


def _outcome(stage: Stage) -> str:
    # "qualified" counts every lead a qualifier judged sales-worthy, whatever sales said since.
    if stage.is_open:
        return "open"
    if stage in QUALIFIED_OR_LATER:
        return "qualified"
    return stage.value

"""Which sources, campaigns, definition versions or referrers bring leads sales accepts: the
figures marketing reads (issue 19), one row per cut.

Per row: leads in; the shares the qualifiers found dubious, unworthy, unqualified (interest or
suitability) and sales-worthy; the share handed to sales; of those sales answered, the share it
accepted; the median time from arrival to the first call that reached them; and the amount of
the opportunities sales recorded, where its answer or the sync brought one.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from statistics import median

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from leaddesk.domain import LeadType, SalesDecision
from leaddesk.store.models import Lead, OpportunityRef, SalesFeedback
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

_UNQUALIFIED = (LeadType.UNQUALIFIED_INTEREST, LeadType.UNQUALIFIED_SUITABILITY)


@dataclass(frozen=True)
class Acceptance:
    cut: str
    leads: int
    dubious: int
    unworthy: int
    unqualified: int
    sales_worthy: int
    handed_off: int
    accepted: int
    rejected: int
    hours_to_first_call: float | None  # the median, over the leads reached
    opportunity_cents: int | None  # None: no opportunity brought an amount
    # Leads that started in the definition's own stage; None where the report has no column.
    marketing_qualified: int | None = None

    @property
    def accept_pct(self) -> float | None:
        """Of the hand-offs sales answered, the share it accepted (None: none answered)."""
        answered = self.accepted + self.rejected
        return pct(self.accepted, answered) if answered else None

    def row(self) -> tuple[object, ...]:
        added = (
            () if self.marketing_qualified is None else (pct(self.marketing_qualified, self.leads),)
        )
        return (
            self.cut,
            self.leads,
            *added,
            pct(self.dubious, self.leads),
            pct(self.unworthy, self.leads),
            pct(self.unqualified, self.leads),
            pct(self.sales_worthy, self.leads),
            pct(self.handed_off, self.leads),
            self.accepted,
            self.rejected,
            self.accept_pct,
            self.hours_to_first_call,
            _units(self.opportunity_cents),
        )


def _units(cents: int | None) -> int | float | None:
    """An amount in currency units: whole ones as an integer (296400, not 296400.0)."""
    if cents is None:
        return None
    return cents // 100 if cents % 100 == 0 else cents / 100


HEADERS = (
    "leads",
    "% dubious",
    "% unworthy",
    "% unqualified",
    "% sales-worthy",
    "% handed off",
    "accepted by sales",
    "rejected by sales",
    "% accepted",
    "hours to first call",
    "opportunity amount",
)


def _headers(added: str | None) -> tuple[str, ...]:
    """The columns, with the share that started in the definition's own stage after "leads"
    when the report shows it."""
    if added is None:
        return HEADERS
    return (HEADERS[0], f"% {added}", *HEADERS[1:])


def acceptance(session: Session, span: Period, by: By = By.SOURCE) -> Report:
    """Leads in and what sales made of them, per source (or ``by`` another cut)."""
    arrived = (Lead.arrived_at >= span.start, Lead.arrived_at < span.end)
    c = cut(by)
    handed = or_(Lead.stage.in_(QUALIFIED_OR_LATER), went_to_sales() == 1)
    tally: dict[str, Counter[str]] = defaultdict(Counter)
    amounts: dict[str, int] = {}
    by_marketing = was_marketing_qualified()
    added = marketing_qualified_label(session, span)
    for key, lead_type, was_handed, decision, mql, number, amount in session.execute(
        c.apply(
            select(
                c.key,
                Lead.lead_type,
                handed,
                SalesFeedback.decision,
                by_marketing,
                func.count(),
                func.sum(OpportunityRef.amount_cents),
            )
        )
        .outerjoin(SalesFeedback, answers_its_handoff())
        .outerjoin(OpportunityRef, OpportunityRef.lead_id == Lead.id)
        .where(*arrived)
        .group_by(c.key, Lead.lead_type, handed, SalesFeedback.decision, by_marketing)
    ).tuples():
        counts = tally[key]
        counts["leads"] += number
        counts["marketing_qualified"] += number if mql else 0
        if lead_type in _UNQUALIFIED:
            counts["unqualified"] += number
        elif lead_type is not None:
            counts[LeadType(lead_type).value] += number
        if was_handed:
            counts["handed_off"] += number
        if decision is not None:
            counts[SalesDecision(decision).value] += number
        if amount is not None:
            amounts[key] = amounts.get(key, 0) + int(amount)
    waits: dict[str, list[float]] = defaultdict(list)
    for key, came, reached in session.execute(
        c.apply(select(c.key, Lead.arrived_at, Lead.first_contact_at)).where(
            *arrived, Lead.first_contact_at.is_not(None)
        )
    ).tuples():
        if reached is not None:  # always, by the query: said for the type checker
            waits[key].append((reached - came).total_seconds() / 3600)
    items = tuple(
        Acceptance(
            cut=key,
            leads=n["leads"],
            dubious=n[LeadType.DUBIOUS.value],
            unworthy=n[LeadType.UNWORTHY.value],
            unqualified=n["unqualified"],
            sales_worthy=n[LeadType.SALES_WORTHY.value],
            handed_off=n["handed_off"],
            accepted=n[SalesDecision.ACCEPTED.value],
            rejected=n[SalesDecision.REJECTED.value],
            hours_to_first_call=round(median(waits[key]), 1) if waits[key] else None,
            opportunity_cents=amounts.get(key),
            marketing_qualified=None if added is None else n["marketing_qualified"],
        )
        for key, n in sorted(tally.items())
    )
    return Report(
        "acceptance",
        f"Leads in and sales' acceptance by {by.heading}",
        span,
        (by.heading, *_headers(added)),
        items,
    )

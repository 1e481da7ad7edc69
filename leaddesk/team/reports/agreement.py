"""Sales agreement (docs/architecture.md §1): how often sales accepted what each rep handed
off, and why it rejected the rest.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from leaddesk.domain import SalesDecision, Verdict
from leaddesk.store.models import (
    HandoffBatch,
    Lead,
    SalesFeedback,
    VerdictRecord,
)
from leaddesk.store.sales_answers import answers_its_handoff
from leaddesk.team.reports.period import (
    Period,
    Report,
    pct,
    rep_names,
)


@dataclass(frozen=True)
class RepAgreement:
    rep: str
    handed_off: int
    accepted: int
    rejected: int
    waiting: int

    @property
    def agreement_pct(self) -> float | None:
        answered = self.accepted + self.rejected
        return pct(self.accepted, answered) if answered else None

    def row(self) -> tuple[object, ...]:
        return (
            self.rep,
            self.handed_off,
            self.accepted,
            self.rejected,
            self.waiting,
            self.agreement_pct,
        )


def agreement(session: Session, span: Period) -> Report:
    """Per qualifier, the leads handed off in the period and how many sales accepted.

    The qualifier is whoever gave the lead its (latest) hand-off verdict.
    """
    handed = (
        session.execute(
            select(Lead.id, Lead.assigned_to_id, SalesFeedback.decision)
            .join(HandoffBatch, HandoffBatch.id == Lead.handoff_batch_id)
            .outerjoin(SalesFeedback, answers_its_handoff())
            .where(HandoffBatch.created_at >= span.start, HandoffBatch.created_at < span.end)
        )
        .tuples()
        .all()
    )
    leads = {lead_id: (owner, decision) for lead_id, owner, decision in handed}
    qualifier: dict[int, int] = {}
    verdicts = (
        session.execute(
            select(VerdictRecord.lead_id, VerdictRecord.decided_by_id)
            .join(Lead, Lead.id == VerdictRecord.lead_id)
            .join(HandoffBatch, HandoffBatch.id == Lead.handoff_batch_id)
            .where(
                VerdictRecord.verdict == Verdict.HAND_OFF,
                HandoffBatch.created_at >= span.start,
                HandoffBatch.created_at < span.end,
            )
            .order_by(VerdictRecord.decided_at, VerdictRecord.id)
        )
        .tuples()
        .all()
    )
    for lead_id, decided_by in verdicts:
        qualifier[lead_id] = decided_by  # the latest wins
    names = rep_names(session)
    tally: dict[str, Counter[str]] = defaultdict(Counter)
    for lead_id, (owner, decision) in leads.items():
        who = qualifier.get(lead_id, owner)
        counts = tally[names.get(who, "unknown") if who is not None else "unknown"]
        counts["handed_off"] += 1
        counts[decision.value if decision is not None else "waiting"] += 1
    items = tuple(
        RepAgreement(
            rep=rep,
            handed_off=c["handed_off"],
            accepted=c[SalesDecision.ACCEPTED.value],
            rejected=c[SalesDecision.REJECTED.value],
            waiting=c["waiting"],
        )
        for rep, c in sorted(tally.items())
    )
    accepted = sum(i.accepted for i in items)
    answered = accepted + sum(i.rejected for i in items)
    return Report(
        "agreement",
        "Sales agreement per rep",
        span,
        ("rep", "handed off", "accepted", "rejected", "waiting", "% accepted"),
        items,
        {"team_agreement_pct": pct(accepted, answered) if answered else None},
    )

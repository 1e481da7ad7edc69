"""The black box, opened: handed-off leads sales has not answered within the policy's window.

The follow-up and escalation windows come from the published lead definition's policy
(sales_followup_hours, default 24; sales_escalation_hours, default 48), counted in plain
hours since the batch was handed off: sales works to the clock the lead sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from leaddesk.domain import Role, SalesDecision, Stage
from leaddesk.handoff.access import acting_user
from leaddesk.handoff.records import current_policy
from leaddesk.handoff.selection import latest_verdict_id
from leaddesk.people.permissions import Action
from leaddesk.store.models import (
    Account,
    HandoffBatch,
    Lead,
    Person,
    SalesFeedback,
    User,
    VerdictRecord,
)

WAITING = "waiting"  # within the follow-up window (listed only when everything is asked for)
OVERDUE = "overdue"
ESCALATED = "escalated"


@dataclass(frozen=True)
class PendingLead:
    lead_id: int
    name: str
    company: str | None
    batch: str
    qualified_by: str | None
    handed_off_at: datetime
    hours_waiting: float
    level: str  # waiting | overdue | escalated
    qualified_by_name: str | None = None  # how the team knows the qualifier

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class PendingReport:
    at: datetime
    scope: str  # own | team
    followup_hours: float
    escalation_hours: float
    # Past the follow-up window (or, asked for everything, all unanswered), longest first.
    leads: tuple[PendingLead, ...]
    waiting_within_window: int
    accepted: int
    rejected: int

    @property
    def overdue(self) -> int:
        return sum(1 for lead in self.leads if lead.level == OVERDUE)

    @property
    def late(self) -> int:
        """Past the follow-up window, escalated or not."""
        return sum(1 for lead in self.leads if lead.level != WAITING)

    @property
    def escalated(self) -> int:
        return sum(1 for lead in self.leads if lead.level == ESCALATED)

    def as_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "scope": self.scope,
            "followup_hours": self.followup_hours,
            "escalation_hours": self.escalation_hours,
            "counts": {
                "overdue": self.overdue,
                "escalated": self.escalated,
                "waiting_within_window": self.waiting_within_window,
                "accepted": self.accepted,
                "rejected": self.rejected,
            },
            "leads": [lead.as_json() for lead in self.leads],
        }


def pending(
    session: Session, *, actor_id: int | None, at: datetime, everything: bool = False
) -> PendingReport:
    """Reps see the leads they qualified; team leads, sales and admins see the team's.
    ``everything``: list the hand-offs still within the window too (sales' work list)."""
    acting = acting_user(session, actor_id, Action.READ_HANDOFFS)
    own = acting.role is Role.QUALIFIER
    policy = current_policy(session)
    followup = at - timedelta(hours=policy.sales_followup_hours)
    escalation = at - timedelta(hours=policy.sales_escalation_hours)
    qualifier = aliased(User)

    def scoped(query: Any) -> Any:
        query = query.outerjoin(VerdictRecord, VerdictRecord.id == latest_verdict_id())
        return query.where(VerdictRecord.decided_by_id == acting.id) if own else query

    unanswered = scoped(
        select(
            Lead.id,
            Person.first_name,
            Person.last_name,
            Account.name,
            HandoffBatch.code,
            qualifier.name,
            Lead.stage_changed_at,
            qualifier.display_name,
        )
        .join(Person, Person.id == Lead.person_id)
        .outerjoin(Account, Account.id == Lead.account_id)
        .join(HandoffBatch, HandoffBatch.id == Lead.handoff_batch_id)
        .outerjoin(SalesFeedback, SalesFeedback.lead_id == Lead.id)
    )
    unanswered = unanswered.outerjoin(qualifier, qualifier.id == VerdictRecord.decided_by_id)
    unanswered = unanswered.where(Lead.stage == Stage.HANDED_OFF, SalesFeedback.id.is_(None))
    listed = unanswered if everything else unanswered.where(Lead.stage_changed_at <= followup)
    late = session.execute(listed.order_by(Lead.stage_changed_at, Lead.id)).all()
    within = session.scalar(
        select(func.count()).select_from(
            unanswered.where(Lead.stage_changed_at > followup).subquery()
        )
    )
    answered: dict[str, int] = {
        str(decision): count
        for decision, count in session.execute(
            scoped(
                select(SalesFeedback.decision, func.count())
                .select_from(SalesFeedback)
                .join(Lead, Lead.id == SalesFeedback.lead_id)
            ).group_by(SalesFeedback.decision)
        ).all()
    }
    return PendingReport(
        at=at,
        scope="own" if own else "team",
        followup_hours=policy.sales_followup_hours,
        escalation_hours=policy.sales_escalation_hours,
        leads=tuple(
            PendingLead(
                lead_id=row[0],
                name=f"{row[1]} {row[2]}".strip() or "no name on file",
                company=row[3],
                batch=row[4],
                qualified_by=row[5],
                handed_off_at=row[6],
                hours_waiting=round((at - row[6]).total_seconds() / 3600, 1),
                level=ESCALATED
                if row[6] <= escalation
                else OVERDUE
                if row[6] <= followup
                else WAITING,
                qualified_by_name=row[7],
            )
            for row in late
        ),
        waiting_within_window=within or 0,
        accepted=answered.get(SalesDecision.ACCEPTED.value, 0),
        rejected=answered.get(SalesDecision.REJECTED.value, 0),
    )

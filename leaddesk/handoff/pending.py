"""The black box, opened: handed-off leads sales has not answered within the policy's window.

A hand-off the verdict routed to a salesperson waits from the verdict: late once its follow-up
is due (sales_routing.due_hours, or its lead type's own, in the salesperson's hours), escalated
once flagged (sales_followup_hours, default 24). An older hand-off, to "sales" as a whole,
waits from its batch: late after sales_followup_hours, escalated after sales_escalation_hours
(default 48), in plain hours: sales works to the clock the lead sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from leaddesk.definition.policy import Policy, RouteBy
from leaddesk.domain import Role, SalesDecision, Stage
from leaddesk.handoff.access import acting_user
from leaddesk.handoff.records import current_policy
from leaddesk.handoff.routing import EXISTING_CUSTOMER, HAND_OFF
from leaddesk.handoff.sales_clock import WAITING_FOR_SALES
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
from leaddesk.store.sales_answers import answers_its_handoff

WAITING = "waiting"  # within the follow-up window (listed only when everything is asked for)
OVERDUE = "overdue"
ESCALATED = "escalated"


@dataclass(frozen=True)
class PendingLead:
    lead_id: int
    name: str
    company: str | None
    batch: str  # "" while the end-of-day export has not collected it yet
    qualified_by: str | None
    handed_off_at: datetime  # when sales' clock started: the verdict, or the batch
    hours_waiting: float
    level: str  # waiting | overdue | escalated
    qualified_by_name: str | None = None  # how the team knows the qualifier
    salesperson: str | None = None  # the one the verdict named; None: sales as a whole
    salesperson_name: str | None = None
    due_at: datetime | None = None  # their follow-up, in their business hours
    kind: str = HAND_OFF  # hand_off | existing_customer (to the account owner)

    def as_json(self) -> dict[str, Any]:
        shown = dict(self.__dict__)
        for key in ("handed_off_at", "due_at"):
            shown[key] = shown[key].isoformat() if shown[key] else None
        return shown


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
    # Who a hand-off the verdict routed to nobody is for, as the routing policy says.
    unrouted: str = "unassigned — pick one"

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
            "unrouted": self.unrouted,
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
    """Reps see the leads they qualified; a salesperson those handed to them (and to sales
    as a whole); team leads and admins the team's. ``everything``: list the hand-offs still
    within the window too (sales' work list)."""
    acting = acting_user(session, actor_id, Action.READ_HANDOFFS)
    own = acting.role is Role.QUALIFIER
    theirs = acting.role is Role.SALES
    policy = current_policy(session)
    followup = at - timedelta(hours=policy.sales_followup_hours)
    escalation = at - timedelta(hours=policy.sales_escalation_hours)
    qualifier = aliased(User)
    salesperson = aliased(User)
    routed = Lead.sales_owner_id.is_not(None)
    # Routed: late once due; to sales as a whole: late after the follow-up window.
    late_now = or_(
        and_(routed, Lead.sales_due_at <= at),
        and_(~routed, Lead.stage_changed_at <= followup),
    )

    def scoped(query: Any, *, names: bool = False) -> Any:
        # The latest verdict (a correlated look-up a lead) only where its qualifier is shown
        # or a rep's own hand-offs are picked by it: a count for the team needs neither.
        if names or own:
            query = query.outerjoin(VerdictRecord, VerdictRecord.id == latest_verdict_id())
        if theirs:
            return query.where(or_(~routed, Lead.sales_owner_id == acting.id))
        return query.where(VerdictRecord.decided_by_id == acting.id) if own else query

    waits = (
        or_(Lead.stage == Stage.HANDED_OFF, and_(routed, Lead.stage.in_(WAITING_FOR_SALES))),
        SalesFeedback.id.is_(None),
    )

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
            salesperson.name,
            salesperson.display_name,
            Lead.sales_clock_at,
            Lead.sales_due_at,
            Lead.sales_flagged_at,
            Lead.stage,
        )
        .join(Person, Person.id == Lead.person_id)
        .outerjoin(Account, Account.id == Lead.account_id)
        .outerjoin(HandoffBatch, HandoffBatch.id == Lead.handoff_batch_id)
        .outerjoin(SalesFeedback, answers_its_handoff())
        .outerjoin(salesperson, salesperson.id == Lead.sales_owner_id),
        names=True,
    )
    unanswered = unanswered.outerjoin(qualifier, qualifier.id == VerdictRecord.decided_by_id)
    unanswered = unanswered.where(*waits)
    listed = unanswered if everything else unanswered.where(late_now)
    started = func.coalesce(Lead.sales_clock_at, Lead.stage_changed_at)
    late = session.execute(listed.order_by(started, Lead.id)).all()
    within = session.scalar(
        scoped(
            select(func.count()).select_from(Lead).outerjoin(SalesFeedback, answers_its_handoff())
        ).where(*waits, ~late_now)
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
        leads=tuple(_pending_lead(row, at, followup, escalation) for row in late),
        waiting_within_window=within or 0,
        accepted=answered.get(SalesDecision.ACCEPTED.value, 0),
        rejected=answered.get(SalesDecision.REJECTED.value, 0),
        unrouted=unrouted_words(policy),
    )


def unrouted_words(policy: Policy) -> str:
    """Who a hand-off routed to nobody (no salesperson was active at its verdict) is for:
    the names a named routing lists for any source ("*"), else nobody yet."""
    routing = policy.sales_routing
    fallback = dict(routing.owners).get("*", ()) if routing.route_by is RouteBy.NAMED else ()
    if fallback:
        return f"{', '.join(fallback)} (the policy's fallback)"
    return "unassigned — pick one"


def _pending_lead(row: Any, at: datetime, followup: datetime, escalation: datetime) -> PendingLead:
    started = row[10] or row[6]
    if row[10] is not None:  # routed at the verdict: its salesperson's clock
        level = (
            ESCALATED
            if row[12] is not None or started <= followup
            else OVERDUE
            if row[11] is not None and row[11] <= at
            else WAITING
        )
    else:
        level = ESCALATED if started <= escalation else OVERDUE if started <= followup else WAITING
    return PendingLead(
        lead_id=row[0],
        name=f"{row[1]} {row[2]}".strip() or "no name on file",
        company=row[3],
        batch=row[4] or "",
        qualified_by=row[5],
        handed_off_at=started,
        hours_waiting=round((at - started).total_seconds() / 3600, 1),
        level=level,
        qualified_by_name=row[7],
        salesperson=row[8],
        salesperson_name=row[9],
        due_at=row[11],
        kind=EXISTING_CUSTOMER if row[13] is Stage.EXISTING_ACCOUNT else HAND_OFF,
    )

"""My hand-offs: what became of the leads a rep handed to sales (issue #19 item 1).

Each lead the rep qualified and handed off, waiting for sales or answered: accepted with the
opportunity sales opened, or rejected with sales' reason, comment and where the lead went
(back to nurture, back to the rep, out to marketing), with who answered and when. Stages and
reasons are said in the published definition's words.

``answers_since`` is the window's "sales answered" news: answers on the rep's hand-offs
recorded after a mark (the newest answer the last look saw), so asking walks the answers'
primary key from the mark.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from leaddesk.definition.labels import Labels, current_labels
from leaddesk.definition.reject_reasons import RejectRoute
from leaddesk.domain import SalesDecision, Stage
from leaddesk.handoff.access import acting_user
from leaddesk.handoff.selection import latest_verdict_id
from leaddesk.people.permissions import Action
from leaddesk.store.models import (
    Account,
    HandoffBatch,
    Lead,
    OpportunityRef,
    Person,
    SalesFeedback,
    User,
    VerdictRecord,
)
from leaddesk.store.sales_answers import answers_its_handoff

WAITING = "waiting"
ACCEPTED = "accepted"
REJECTED = "rejected"
STATUSES = (WAITING, ACCEPTED, REJECTED)
# The most a look lists; a rep with more sees the newest.
MOST = 500


@dataclass(frozen=True)
class MyHandoff:
    lead_id: int
    person: str
    company: str | None
    batch: str
    handed_off_at: datetime
    status: str  # waiting | accepted | rejected
    stage: str  # the lead's stage now, in the definition's words
    reason: str | None  # sales' reject reason, in the definition's words
    went: str | None  # where the rejection sent the lead: "back to nurture"
    comment: str | None
    opportunity_id: str | None
    answered_by: str | None
    answered_at: datetime | None
    recycle_at: datetime | None  # back to nurture: when the person comes back
    salesperson: str | None = None  # whom the hand-off went to; None: sales as a whole

    @property
    def answer(self) -> str:
        """Sales' answer in one line: "Rejected: Bad timing (back to nurture) — call in Q3"."""
        if self.status == WAITING:
            return "Waiting for sales"
        if self.status == ACCEPTED:
            text = f"Accepted: opportunity {self.opportunity_id}"
        else:
            text = f"Rejected: {self.reason or 'no reason given'}"
            if self.went:
                text += f" ({self.went})"
        return text + (f" — {self.comment}" if self.comment else "")

    def as_json(self) -> dict[str, Any]:
        return {
            "lead_id": self.lead_id,
            "person": self.person,
            "company": self.company,
            "batch": self.batch,
            "handed_off_at": self.handed_off_at.isoformat(),
            "status": self.status,
            "stage": self.stage,
            "reason": self.reason,
            "went": self.went,
            "comment": self.comment,
            "opportunity_id": self.opportunity_id,
            "answered_by": self.answered_by,
            "answered_at": self.answered_at.isoformat() if self.answered_at else None,
            "recycle_at": self.recycle_at.isoformat() if self.recycle_at else None,
            "salesperson": self.salesperson,
        }


@dataclass(frozen=True)
class MyHandoffs:
    rep: str
    leads: tuple[MyHandoff, ...]  # newest hand-off first

    def count(self, status: str) -> int:
        return sum(1 for lead in self.leads if lead.status == status)

    def as_json(self) -> dict[str, Any]:
        return {
            "rep": self.rep,
            "counts": {status: self.count(status) for status in STATUSES},
            "leads": [lead.as_json() for lead in self.leads],
        }


def my_handoffs(session: Session, *, actor_id: int | None, status: str | None = None) -> MyHandoffs:
    """The leads the acting user handed to sales (their latest verdict was the hand-off),
    newest first; ``status`` keeps only waiting, accepted or rejected ones."""
    acting = acting_user(session, actor_id, Action.READ_HANDOFFS)
    query = _query().where(VerdictRecord.decided_by_id == acting.id)
    if status == WAITING:
        query = query.where(SalesFeedback.id.is_(None))
    elif status in (ACCEPTED, REJECTED):
        query = query.where(SalesFeedback.decision == SalesDecision(status))
    rows = session.execute(
        query.order_by(HandoffBatch.created_at.desc(), Lead.id.desc()).limit(MOST)
    ).all()
    labels = current_labels(session)
    return MyHandoffs(acting.name, tuple(_handoff(row, labels) for row in rows))


def latest_answer_id(session: Session) -> int:
    """The mark for "nothing answered yet that I have not seen"."""
    return session.scalar(select(func.coalesce(func.max(SalesFeedback.id), 0))) or 0


def answers_since(
    session: Session, *, actor_id: int | None, mark: int
) -> tuple[list[MyHandoff], int]:
    """Sales' answers on the acting user's hand-offs recorded after ``mark``, oldest first, and
    the mark for the next ask."""
    acting = acting_user(session, actor_id, Action.READ_HANDOFFS)
    later = latest_answer_id(session)
    if later <= mark:
        return [], later
    rows = session.execute(
        _query()
        .where(
            VerdictRecord.decided_by_id == acting.id,
            SalesFeedback.id > mark,
            SalesFeedback.id <= later,
        )
        .order_by(SalesFeedback.id)
        .limit(MOST)
    ).all()
    labels = current_labels(session)
    return [_handoff(row, labels) for row in rows], later


def _query() -> Select[Any]:
    answered_by = aliased(User)
    salesperson = aliased(User)
    return (
        select(
            Lead.id,
            Person.first_name,
            Person.last_name,
            Person.email,
            Account.name,
            HandoffBatch.code,
            HandoffBatch.created_at,
            Lead.stage,
            SalesFeedback.decision,
            SalesFeedback.reason,
            SalesFeedback.route,
            SalesFeedback.detail,
            OpportunityRef.external_id,
            answered_by.display_name,
            SalesFeedback.recorded_at,
            SalesFeedback.recycle_at,
            salesperson.display_name,
        )
        .join(Person, Person.id == Lead.person_id)
        .outerjoin(Account, Account.id == Lead.account_id)
        .join(HandoffBatch, HandoffBatch.id == Lead.handoff_batch_id)
        .join(VerdictRecord, VerdictRecord.id == latest_verdict_id())
        .outerjoin(SalesFeedback, answers_its_handoff())
        .outerjoin(OpportunityRef, OpportunityRef.id == SalesFeedback.opportunity_id)
        .outerjoin(answered_by, answered_by.id == SalesFeedback.recorded_by_id)
        .outerjoin(salesperson, salesperson.id == Lead.sales_owner_id)
        # Handed to sales: waiting in a finished batch, or answered.
        .where(Lead.stage != Stage.QUALIFIED)
    )


def _handoff(row: Any, labels: Labels) -> MyHandoff:
    (lead_id, first, last, email, company, batch, handed_off_at, stage, decision) = row[:9]
    reason, route, comment, opportunity, answered_by, answered_at, recycle_at = row[9:16]
    status = WAITING if decision is None else SalesDecision(decision).value
    went = None
    if route is not None:
        went = RejectRoute(route).said
    return MyHandoff(
        lead_id=lead_id,
        person=f"{first} {last}".strip() or email or f"Lead {lead_id}",
        company=company,
        batch=batch,
        handed_off_at=handed_off_at,
        status=status,
        stage=labels.stage(Stage(stage)),
        reason=labels.reject_reason(reason) if reason else None,
        went=went,
        comment=comment,
        opportunity_id=opportunity,
        answered_by=answered_by,
        answered_at=answered_at,
        recycle_at=recycle_at,
        salesperson=row[16],
    )

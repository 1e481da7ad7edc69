"""Reading leads for lists: one page at a time, as flat summaries a list can show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from leaddesk.domain import OPEN_STAGES, Stage
from leaddesk.store.models import Account, Lead, Person, User


@dataclass(frozen=True)
class LeadSummary:
    lead_id: int
    person: str
    company: str | None
    phone: str | None
    email: str | None
    country: str | None
    source: str
    inquiry: str | None
    stage: Stage
    arrived_at: datetime
    sla_due_at: datetime | None
    attempts: int
    assigned_to: str | None
    existing_customer: bool
    fit_score: int
    interest_score: int

    def as_json(self) -> dict[str, object]:
        return {
            "lead_id": self.lead_id,
            "person": self.person,
            "company": self.company,
            "phone": self.phone,
            "email": self.email,
            "country": self.country,
            "source": self.source,
            "inquiry": self.inquiry,
            "stage": self.stage.value,
            "arrived_at": self.arrived_at.isoformat(),
            "sla_due": self.sla_due_at.isoformat() if self.sla_due_at else None,
            "attempts": self.attempts,
            "assigned_to": self.assigned_to,
            "existing_customer": self.existing_customer,
            "fit": self.fit_score,
            "interest": self.interest_score,
        }


def _summary_query() -> Select[tuple[Lead, Person, Account | None, str | None]]:
    owner = aliased(User)
    query = (
        select(Lead, Person, Account, owner.name)
        .join(Person, Lead.person_id == Person.id)
        .outerjoin(Account, Lead.account_id == Account.id)
        .outerjoin(owner, Lead.assigned_to_id == owner.id)
    )
    return query  # type: ignore[return-value]  # outer joins make Account and owner optional


def _summarise(
    lead: Lead, person: Person, account: Account | None, owner: str | None
) -> LeadSummary:
    return LeadSummary(
        lead_id=lead.id,
        person=person.full_name or person.email or person.phone or f"Lead {lead.id}",
        company=account.name if account else None,
        phone=person.phone or person.phone_raw,
        email=person.email,
        country=person.country,
        source=lead.source,
        inquiry=lead.inquiry,
        stage=lead.stage,
        arrived_at=lead.arrived_at,
        sla_due_at=lead.sla_due_at,
        attempts=lead.attempts,
        assigned_to=owner,
        existing_customer=bool(account and account.is_customer),
        fit_score=lead.fit_score,
        interest_score=lead.interest_score,
    )


def my_open_leads(
    session: Session, user_id: int, *, limit: int, offset: int = 0
) -> list[LeadSummary]:
    query = (
        _summary_query()
        .where(Lead.assigned_to_id == user_id, Lead.stage.in_(OPEN_STAGES))
        .order_by(Lead.arrived_at.desc(), Lead.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return [_summarise(*row) for row in session.execute(query).tuples()]


def count_my_open_leads(session: Session, user_id: int) -> int:
    query = select(func.count()).where(Lead.assigned_to_id == user_id, Lead.stage.in_(OPEN_STAGES))
    return session.scalar(query) or 0


def lead_summary(session: Session, lead_id: int) -> LeadSummary | None:
    row = session.execute(_summary_query().where(Lead.id == lead_id)).tuples().first()
    return _summarise(*row) if row else None

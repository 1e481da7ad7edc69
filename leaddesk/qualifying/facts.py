"""What the lead definition may test about a lead: its facts, read from the lead, the person and
the account (docs/architecture.md §1: fit and interest)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leaddesk.store.models import Account, Lead, Person


def _key(text: str | None) -> str | None:
    """'Financial services' → 'financial_services', the form definitions write values in."""
    if text is None:
        return None
    words = text.strip().casefold().replace("-", " ").replace("/", " ").split()
    return "_".join(words) or None


def lead_facts(session: Session, lead: Lead, at: datetime) -> dict[str, object]:
    """The facts named in leaddesk.definition.FACTS, read from the lead, person and account."""
    person: Person = lead.person
    account: Account | None = lead.account or person.account
    extra = lead.extra or {}
    earlier = session.scalar(
        select(func.count())
        .select_from(Lead)
        .where(
            Lead.person_id == lead.person_id,
            Lead.id != lead.id,
            Lead.arrived_at <= lead.arrived_at,
        )
    )
    email_domain = None
    if person.email and "@" in person.email:
        email_domain = person.email.rsplit("@", 1)[1].lower()
    facts: dict[str, object] = {
        "employees": account.employees if account else None,
        "annual_revenue": extra.get("annual_revenue"),
        "industry": _key(account.industry) if account else None,
        "title": person.title,
        "seniority": _key(person.seniority),
        "department": extra.get("department"),
        "country": person.country or (account.country if account else None),
        "region": person.region,
        "state": extra.get("state") or person.region,
        "city": person.city,
        "email_domain": email_domain,
        "source": lead.source,
        "campaign": lead.campaign,
        "inquiry": lead.inquiry,
        "existing_customer": bool(lead.existing_account or (account and account.is_customer)),
        "earlier_leads": earlier or 0,
        "hours_since_arrival": max(0.0, (at - lead.arrived_at).total_seconds() / 3600),
        "call_attempts": lead.attempts,
    }
    return {name: value for name, value in facts.items() if value is not None}

"""A team whose rep hands leads off through the desk, the way the window does it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from leaddesk.clock import FixedClock
from leaddesk.definition import versions as definition_versions
from leaddesk.desk import open_desk, setup_desk
from leaddesk.domain import Role, Stage, Verdict
from leaddesk.store import open_store
from leaddesk.store.models import Account, Lead, Person, User

SALES_WORTHY: dict[str, object] = {
    "contact_check": "yes",
    "inquiry_reason": "project",
    "pain_level": "major",
    "pain_example": "Missed two shipments last month",
    "decision_role": "decision_maker",
    "budget_status": "approved",
    "budget_amount": {"amount": 60000, "currency": "USD"},
    "timeline": "3_months",
    "deadline": "2030-03-31",
    "next_step_agreed": True,
}


def set_up_team(location: str, clock: FixedClock) -> None:
    """rep1, rep2, lead1, sales1 and admin1; version 1 of the definition is the shipped BANT."""
    with setup_desk(location, clock=clock) as desk:
        for name, role in (
            ("rep1", Role.QUALIFIER),
            ("rep2", Role.QUALIFIER),
            ("lead1", Role.TEAM_LEAD),
            ("sales1", Role.SALES),
            ("admin1", Role.ADMIN),
        ):
            desk.people.add(name, role)
        with desk.store.transaction() as session:
            definition_versions.ensure_default(session, at=clock())


def add_lead(
    location: str,
    clock: FixedClock,
    *,
    rep: str = "rep1",
    first: str = "Dana",
    last: str = "Ito",
    email: str = "dana.ito@acme.example",
    extra: dict[str, Any] | None = None,
) -> int:
    store = open_store(location)
    try:
        with store.transaction() as session:
            now = clock()
            owner = session.query(User).filter_by(name=rep).one()
            account = Account(
                name="Acme Logistics",
                name_key=f"acme logistics {email}",
                domain="acme.example",
                industry="Software",
                employees=320,
                country="US",
                is_customer=False,
                created_at=now - timedelta(days=100),
            )
            person = Person(
                account=account,
                first_name=first,
                last_name=last,
                email=email,
                phone="+12125550100",
                title="Director of Operations",
                seniority="director",
                country="US",
                created_at=now - timedelta(days=1),
            )
            lead = Lead(
                person=person,
                account=account,
                source="web_form",
                inquiry="Could we get pricing for 40 seats?",
                arrived_at=now - timedelta(minutes=30),
                stage=Stage.WORKING,
                stage_changed_at=now - timedelta(minutes=30),
                assigned_to_id=owner.id,
                created_at=now - timedelta(minutes=30),
                extra=extra,
            )
            session.add(lead)
            session.flush()
            return lead.id
    finally:
        store.close()


def hand_off(location: str, clock: FixedClock, *, rep: str = "rep1", **lead: Any) -> int:
    """A lead the rep qualified on the phone and handed to sales: the verdict's own way."""
    lead_id = add_lead(location, clock, rep=rep, **lead)
    with open_desk(location, rep, clock=clock) as desk:
        desk.qualifying.answer(lead_id, SALES_WORTHY)
        given = desk.qualifying.give_verdict(lead_id, Verdict.HAND_OFF)
    assert given.verdict is Verdict.HAND_OFF
    return lead_id

"""A small team and leads to qualify, built straight into a store, plus the call scripts."""

from __future__ import annotations

from datetime import timedelta

from leaddesk.clock import FixedClock
from leaddesk.definition import default_definition_path
from leaddesk.definition import versions as definition_versions
from leaddesk.desk import setup_desk
from leaddesk.domain import Role, Stage
from leaddesk.store import open_store
from leaddesk.store.models import Account, Lead, Person, User

# The opening every template shares, then strong answers per template: a clear sales-worthy call.
OPENING: dict[str, object] = {"contact_check": "yes", "inquiry_reason": "project"}
CLOSING: dict[str, object] = {"next_step_agreed": True}
STRONG: dict[str, dict[str, object]] = {
    "bant": {
        "pain_level": "major",
        "pain_example": "Missed two shipments last month",
        "decision_role": "decision_maker",
        "budget_status": "approved",
        "budget_amount": {"amount": 60000, "currency": "USD"},
        "timeline": "3_months",
        "deadline": "2030-03-31",
    },
    "champ": {
        "main_challenge": "Onboarding takes ten days",
        "challenge_impact": "severe",
        "challenge_cost": 40,
        "decision_role": "decision_maker",
        "budget_status": "approved",
        "budget_amount": 45000,
        "priority": "top",
    },
    "anum": {
        "decision_role": "decision_maker",
        "pain_level": "major",
        "pain_example": "Audit findings last quarter",
        "urgency": "deadline",
        "urgency_driver": "Contract with the old vendor ends in March",
        "budget_status": "planned",
        "budget_amount": 30000,
    },
    "meddic": {
        "pain_level": "major",
        "pain_example": "Churn up 4 points",
        "success_metric": "quantified",
        "metric_target": "Churn back under 2%",
        "economic_buyer": "self",
        "decision_criteria": ["integrations", "security", "ease"],
        "decision_process": "defined",
        "champion": "yes",
    },
}


def sales_worthy(template: str) -> dict[str, object]:
    return {**OPENING, **STRONG[template], **CLOSING}


def set_up_team(location: str, clock: FixedClock) -> None:
    """rep1, rep2, lead1, sales1 and admin1 on a store whose version 1 is the shipped BANT."""
    with setup_desk(location, clock=clock) as desk:
        desk.people.add("rep1", Role.QUALIFIER)
        desk.people.add("rep2", Role.QUALIFIER)
        desk.people.add("lead1", Role.TEAM_LEAD)
        desk.people.add("sales1", Role.SALES)
        desk.people.add("admin1", Role.ADMIN)
        with desk.store.transaction() as session:
            definition_versions.ensure_default(session, at=clock())


def add_lead(
    location: str,
    clock: FixedClock,
    *,
    assigned_to: str | None = "rep1",
    employees: int = 320,
    industry: str = "Software",
    country: str = "US",
    source: str = "web_form",
    customer: bool = False,
    stage: Stage = Stage.WORKING,
    email: str = "dana.ito@acme.example",
) -> int:
    """A good-fit inquiry from a software director in the US, arrived 30 minutes ago."""
    store = open_store(location)
    try:
        with store.transaction() as session:
            now = clock()
            owner = None
            if assigned_to is not None:
                owner = session.query(User).filter_by(name=assigned_to).one()
            account = Account(
                name="Acme Logistics",
                name_key="acme logistics",
                domain="acme.example",
                industry=industry,
                employees=employees,
                country=country,
                is_customer=customer,
                created_at=now - timedelta(days=100),
            )
            person = Person(
                account=account,
                first_name="Dana",
                last_name="Ito",
                email=email,
                phone="+12125550100",
                title="Director of Operations",
                seniority="director",
                country=country,
                created_at=now - timedelta(days=1),
            )
            lead = Lead(
                person=person,
                account=account,
                source=source,
                inquiry="Could we get pricing for 40 seats?",
                arrived_at=now - timedelta(minutes=30),
                stage=stage,
                stage_changed_at=now - timedelta(minutes=30),
                assigned_to_id=owner.id if owner else None,
                created_at=now - timedelta(minutes=30),
            )
            session.add(lead)
            session.flush()
            return lead.id
    finally:
        store.close()


def template_text(template: str) -> str:
    return default_definition_path(template).read_text(encoding="utf-8")


def bant_nurturing_unqualified_interest() -> str:
    """The shipped BANT as it was before issue #19: a good fit without interest is nurtured."""
    text = template_text("bant")
    switch = 'unqualified_interest_goes_to = "sales"'
    assert switch in text
    return text.replace(switch, 'unqualified_interest_goes_to = "marketing"')


def reworded_bant() -> str:
    """The shipped BANT with the pain question and one of its options worded differently."""
    text = template_text("bant")
    old_question = 'text = "How much is this problem costing you right now?"'
    old_option = 'label = "Major: it hurts every week"'
    assert old_question in text and old_option in text
    return text.replace(
        old_question, 'text = "What does this problem cost you each month?"'
    ).replace(old_option, 'label = "A lot: it hurts every week"')


def broken_bant() -> tuple[str, int]:
    """BANT with a verdict rule testing a question that does not exist; and that rule's line."""
    text = template_text("bant")
    good = 'when = { pain_level = "none", timeline = "none" }'
    assert good in text
    broken = text.replace(good, 'when = { pain_levle = "none", timeline = "none" }')
    line = broken.splitlines().index('when = { pain_levle = "none", timeline = "none" }') + 1
    return broken, line

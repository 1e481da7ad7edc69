"""Small stores for queue tests: a team, the shipped definition, and leads made to order."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from leaddesk.clock import FixedClock
from leaddesk.domain import Stage
from leaddesk.store import Store
from leaddesk.store.models import Lead, Person
from tests.factories import EVERYONE, Team

NEW_YORK = "America/New_York"


def make_team(location: str, clock: FixedClock) -> Team:
    """Two reps, a team lead, an admin and a salesperson on the shipped definition."""
    return Team(location, clock, EVERYONE)


_counter = iter(range(1, 10**9))


def add_lead(
    session: Session,
    *,
    now: datetime,
    owner: int | None,
    stage: Stage = Stage.NEW,
    zone: str | None = NEW_YORK,
    person: Person | None = None,
    arrived_ago: timedelta = timedelta(minutes=30),
    sla_in: timedelta | None = timedelta(minutes=90),
    callback_at: datetime | None = None,
    next_attempt_at: datetime | None = None,
    attempts: int = 0,
    fit: int = 50,
    interest: int = 50,
    do_not_call: bool = False,
    erased: bool = False,
    hold: str | None = None,
    claimed_by: int | None = None,
    claim_expires_at: datetime | None = None,
    source: str = "web_form",
    first_name: str = "Ada",
) -> Lead:
    """One lead (and its person) with exactly the queue-relevant facts given."""
    number = next(_counter)
    if person is None:
        person = Person(
            first_name=first_name,
            last_name=f"Caller{number}",
            email=f"p{number}@example.com",
            phone=f"+1212555{number % 10000:04d}",
            country="US",
            zone_key=zone,
            timezone=zone if zone and "|" not in zone else None,
            do_not_call=do_not_call,
            erased_at=now - timedelta(days=1) if erased else None,
            created_at=now - timedelta(days=3),
        )
        session.add(person)
        session.flush()
    arrived = now - arrived_ago
    lead = Lead(
        person_id=person.id,
        source=source,
        arrived_at=arrived,
        stage=stage,
        stage_changed_at=arrived,
        assigned_to_id=owner,
        fit_score=fit,
        interest_score=interest,
        sla_due_at=now + sla_in if sla_in is not None else None,
        callback_at=callback_at,
        next_attempt_at=next_attempt_at,
        attempts=attempts,
        cadence_attempts=attempts,  # none of them reached the person
        hold_reason=hold,
        claimed_by_id=claimed_by,
        claim_expires_at=claim_expires_at,
        created_at=arrived,
    )
    session.add(lead)
    session.flush()
    return lead


def add_many_leads(store: Store, count: int, *, now: datetime, owner: int | None) -> list[int]:
    """``count`` callable new leads in one go (Core inserts: fast enough for thousands)."""
    people = [
        {
            "first_name": "Bulk",
            "last_name": f"Person{n}",
            "email": f"bulk{n}@example.com",
            "phone": f"+1212555{n % 10000:04d}",
            "country": "US",
            "timezone": NEW_YORK,
            "zone_key": NEW_YORK,
            "do_not_call": False,
            "created_at": now - timedelta(days=2),
        }
        for n in range(count)
    ]
    with store.transaction() as session:
        first = (session.scalar(select(func.max(Person.id))) or 0) + 1
        session.execute(insert(Person), people)
        leads = [
            {
                "person_id": first + n,
                "source": "web_form",
                "arrived_at": now - timedelta(minutes=n % 90),
                "stage": Stage.NEW,
                "stage_changed_at": now - timedelta(minutes=n % 90),
                "assigned_to_id": owner,
                "fit_score": 50,
                "interest_score": 50,
                "sla_due_at": now + timedelta(minutes=n),
                "attempts": 0,
                "existing_account": False,
                "version": 1,
                "created_at": now - timedelta(minutes=n % 90),
            }
            for n in range(count)
        ]
        session.execute(insert(Lead), leads)
        ids = list(session.scalars(select(Lead.id).where(Lead.person_id >= first)))
    if not store.is_sqlite:
        # A server plans from table statistics; a table filled a moment ago has none yet.
        with store.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    return ids

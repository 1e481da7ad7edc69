"""A team's PostgreSQL store with a login of their own for a rep, a salesperson and a team
lead (each in their role's group), as `leaddesk users login` makes them."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import create_engine, make_url, text

from leaddesk.clock import FixedClock
from leaddesk.definition.versions import ensure_default
from leaddesk.desk import open_desk, setup_desk
from leaddesk.domain import Role

# Answers that make the shipped BANT definition suggest a hand-off.
HAND_OFF_ANSWERS = {
    "contact_check": "yes",
    "inquiry_reason": "project",
    "pain_level": "major",
    "decision_role": "decision_maker",
    "budget_status": "approved",
    "timeline": "3_months",
    "next_step_agreed": "yes",
}


def plain_url(url: str) -> str:
    """The URL as the driver itself takes it (test workers' URLs name SQLAlchemy's dialect)."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@dataclass
class Team:
    owner_url: str  # the store's owner: no login binding
    rep: str
    sales: str
    lead: str

    def url_for(self, name: str) -> str:
        url = make_url(self.owner_url).set(username=name, password=f"pw-{name}")
        return url.render_as_string(hide_password=False)


@contextmanager
def team_database(postgres_url: str, clock: FixedClock) -> Iterator[Team]:
    """An empty store (the shipped lead definition, an admin) and the three logins; the
    logins are dropped again afterwards (they are the whole server's)."""
    engine = create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    # Names of their own, so parallel test workers never meet.
    tag = uuid.uuid4().hex[:8]
    names = Team(postgres_url, f"rep-{tag}", f"sales-{tag}", f"lead-{tag}")
    logins = (names.rep, names.sales, names.lead)
    with setup_desk(postgres_url, clock=clock) as desk:
        desk.people.add("admin", Role.ADMIN)
        with desk.store.transaction() as session:  # as `leaddesk init` does
            ensure_default(session, at=clock())
    with open_desk(postgres_url, "admin", clock=clock) as desk:
        desk.people.add(names.rep, Role.QUALIFIER, capacity=50)
        desk.people.add(names.sales, Role.SALES)
        desk.people.add(names.lead, Role.TEAM_LEAD)
        for name in logins:
            assert desk.admin.set_database_login(name, f"pw-{name}") is True
    try:
        yield names
    finally:
        with engine.begin() as connection:
            for name in logins:
                connection.execute(text(f'DROP ROLE IF EXISTS "{name}"'))
        engine.dispose()

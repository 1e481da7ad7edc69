"""Teams and leads built for tests, straight through the models, so every figure a test asserts
is known: one place for the stores the team, queue, handoff and intake tests start from, and for
a team's PostgreSQL database where each person signs in with a login of their own."""

from __future__ import annotations

import csv
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import URL, create_engine, make_url, select, text
from sqlalchemy.orm import Session

from leaddesk.clock import FixedClock
from leaddesk.definition import versions as definition_versions
from leaddesk.desk import Desk, open_desk, setup_desk
from leaddesk.domain import Role, Stage
from leaddesk.people import users as user_ops
from leaddesk.store import Store, open_store
from leaddesk.store.models import Lead, Person
from tests import postgres_copies, team_copies

Roster = Sequence[tuple[str, Role]]

# Who the queue, handoff and intake stores hold unless a test names its own.
EVERYONE: Roster = (
    ("rep1", Role.QUALIFIER),
    ("rep2", Role.QUALIFIER),
    ("lead1", Role.TEAM_LEAD),
    ("sales1", Role.SALES),
    ("admin", Role.ADMIN),
)

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


def add_team(
    session: Session, at: datetime, users: Iterable[tuple[str, Role]], **fields: Any
) -> dict[str, int]:
    """The shipped lead definition and ``users`` (with ``fields`` such as display_name=…
    given to each, a callable being called with the name), as ``leaddesk init`` and
    ``users add`` leave them; their ids by name."""
    definition_versions.ensure_default(session, at=at)
    ids = {}
    for name, role in users:
        given = {k: v(name) if callable(v) else v for k, v in fields.items()}
        ids[name] = user_ops.add_user(
            session, name=name, role=role, at=at, actor_id=None, **given
        ).id
    return ids


class Team:
    """A store held open with its users by name; leads added with exactly the fields asked."""

    def __init__(self, location: str, clock: FixedClock, users: Roster = (), **fields: Any) -> None:
        self.location = location
        self.clock = clock
        self.store: Store = open_store(location)
        with self.store.transaction() as session:
            self.ids: dict[str, int] = add_team(session, clock(), users, **fields)

    def user(self, name: str, role: Role = Role.QUALIFIER, **fields: Any) -> int:
        with self.store.transaction() as session:
            info = user_ops.add_user(session, name=name, role=role, at=self.clock(), actor_id=None)
            user = user_ops.find_user(session, name)
            for key, value in fields.items():
                setattr(user, key, value)
        self.ids[name] = info.id
        return info.id

    def lead(
        self,
        owner: str | None = None,
        *,
        hours_ago: float = 1,
        country: str | None = "US",
        source: str = "web_form",
        **fields: Any,
    ) -> int:
        arrived = self.clock() - timedelta(hours=hours_ago)
        with self.store.transaction() as session:
            person = Person(
                first_name="Pat",
                last_name=f"Lead{len(self.ids)}",
                country=country,
                created_at=arrived,
            )
            session.add(person)
            session.flush()
            lead = Lead(
                person_id=person.id,
                source=source,
                arrived_at=arrived,
                stage=Stage.NEW,
                stage_changed_at=arrived,
                assigned_to_id=self.ids[owner] if owner else None,
                sla_due_at=arrived + timedelta(hours=2),
                created_at=arrived,
            )
            for key, value in fields.items():
                setattr(lead, key, value)
            session.add(lead)
            session.flush()
            return lead.id

    def get(self, lead_id: int) -> Lead:
        with self.store.reading() as session:
            lead = session.get(Lead, lead_id)
            assert lead is not None
            return lead

    def owner_of(self, lead_id: int) -> str | None:
        owner = self.get(lead_id).assigned_to_id
        return next((n for n, i in self.ids.items() if i == owner), None)

    def desk(self, name: str) -> Desk:
        return open_desk(self.location, name, clock=self.clock)

    def claim(self, lead_id: int, name: str, *, minutes: float = 15) -> None:
        """A rep on the call: a live lease, taken the way the queue takes it (version bumped)."""
        with self.store.transaction() as session:
            lead = session.get(Lead, lead_id)
            assert lead is not None
            lead.claimed_by_id = self.ids[name]
            lead.claim_expires_at = self.clock() + timedelta(minutes=minutes)

    def names(self) -> list[str]:
        with self.store.reading() as session:
            return list(session.scalars(select(Person.last_name)))

    def at(self, **delta: float) -> datetime:
        return self.clock() + timedelta(**delta)


@contextmanager
def small_team(location: str, clock: FixedClock, users: Roster) -> Iterator[Store]:
    """The store of a ``Team`` of ``users``, closed afterwards."""
    team = Team(location, clock, users)
    try:
        yield team.store
    finally:
        team.store.close()


def plain_url(url: str) -> str:
    """The URL as the driver itself takes it (test workers' URLs name SQLAlchemy's dialect)."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@dataclass
class TeamLogins:
    """A team database's owner URL and the names of a rep, a salesperson, a team lead and a
    marketer who each sign in with their own login (password ``pw-NAME``)."""

    owner_url: str  # the store's owner: no login binding
    rep: str
    sales: str
    lead: str
    marketing: str

    def url_for(self, name: str) -> str:
        url = make_url(self.owner_url).set(username=name, password=f"pw-{name}")
        return url.render_as_string(hide_password=False)


def recreate_database(url: URL, name: str, *, from_template: str | None) -> None:
    """Drop ``name`` (closing what is connected to it) and make it again, empty or as a copy
    of ``from_template``; run from the server's maintenance database."""
    postgres_copies.forget(name)
    engine = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            copy = f' TEMPLATE "{from_template}" STRATEGY FILE_COPY' if from_template else ""
            connection.execute(text(f'CREATE DATABASE "{name}"{copy}'))
    finally:
        engine.dispose()


@contextmanager
def team_database(
    postgres_url: str, clock: FixedClock, *, template: str | None = None
) -> Iterator[TeamLogins]:
    """An empty store (the shipped lead definition, an admin) and the four logins, as
    `leaddesk users login` makes them. With ``template`` (a migrated empty database) the
    store is a copy of it rather than migrated from nothing, and the set-up is made once per
    worker and put back for the next test while it still holds (tests/team_copies.py): its
    logins are kept until then. Without, the logins are dropped again afterwards (they are
    the whole server's)."""
    engine = create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://", 1))
    own = engine.url
    database = str(own.database)
    at = clock()
    if template:
        team_shaped = postgres_copies.fresh_copy(own, database, template=template, for_team=True)
        kept = team_copies.reuse(
            plain_url(postgres_url), database, template=template, at=at, team_shaped=team_shaped
        )
        if kept is not None:
            engine.dispose()
            rep, sales, lead, marketing = kept
            yield TeamLogins(postgres_url, rep, sales, lead, marketing)
            return
    else:
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    # Names of their own, so parallel test workers never meet.
    tag = uuid.uuid4().hex[:8]
    names = TeamLogins(
        postgres_url, f"rep-{tag}", f"sales-{tag}", f"lead-{tag}", f"marketing-{tag}"
    )
    logins = (names.rep, names.sales, names.lead, names.marketing)
    with setup_desk(postgres_url, clock=clock) as desk:
        desk.people.add("admin", Role.ADMIN)
        with desk.store.transaction() as session:  # as `leaddesk init` does
            definition_versions.ensure_default(session, at=at)
    with open_desk(postgres_url, "admin", clock=clock) as desk:
        desk.people.add(names.rep, Role.QUALIFIER, capacity=50)
        desk.people.add(names.sales, Role.SALES)
        desk.people.add(names.lead, Role.TEAM_LEAD)
        desk.people.add(names.marketing, Role.MARKETING)
        made = desk.admin.set_database_logins({name: f"pw-{name}" for name in logins})
        assert made == dict.fromkeys(logins, True)
    if template:
        postgres_copies.team_set_up(own, database)
        team_copies.keep(plain_url(postgres_url), database, template=template, at=at, logins=logins)
        engine.dispose()
        yield names
        return
    try:
        yield names
    finally:
        with engine.begin() as connection:
            for login in logins:
                connection.execute(text(f'DROP ROLE IF EXISTS "{login}"'))
        engine.dispose()


INQUIRIES = (
    ("Ada Meyer", "ada@meyer.example", "+12125550101", "Meyer Labs"),
    ("Bruno Kim", "bruno@kim.example", "+12125550102", "Kim Works"),
    ("Cleo Diaz", "cleo@diaz.example", "+12125550103", "Diaz Group"),
)


def inquiries_file(path: Path, people: int = 2) -> Path:
    """A small CSV of inbound inquiries as a web form exports them: the first ``people`` of
    INQUIRIES."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["name", "email", "phone", "company"])
        writer.writerows(INQUIRIES[:people])
    return path

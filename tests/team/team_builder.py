"""A small team built by hand: users, people and leads with exactly the fields a test needs."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from leaddesk.clock import FixedClock
from leaddesk.definition import versions as definition_versions
from leaddesk.desk import Desk, open_desk
from leaddesk.domain import Role, Stage
from leaddesk.people import users as user_ops
from leaddesk.store import Store, open_store
from leaddesk.store.models import Lead, Person


class Team:
    """Writes rows straight into the store, so every figure a test asserts is known."""

    def __init__(self, location: str, clock: FixedClock) -> None:
        self.location = location
        self.clock = clock
        self.store: Store = open_store(location)
        self.ids: dict[str, int] = {}
        with self.store.transaction() as session:
            definition_versions.ensure_default(session, at=clock())

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

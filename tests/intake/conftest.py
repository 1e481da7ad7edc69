"""The intake tests' store: the shipped definition and a small team, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from leaddesk import definition_versions
from leaddesk import users as user_ops
from leaddesk.clock import FixedClock
from leaddesk.domain import Role
from leaddesk.store import Store, open_store


@pytest.fixture
def store(store_location: str, clock: FixedClock) -> Iterator[Store]:
    store = open_store(store_location)
    with store.transaction() as session:
        definition_versions.ensure_default(session, at=clock())
        for name, role in (
            ("rep1", Role.QUALIFIER),
            ("rep2", Role.QUALIFIER),
            ("lead1", Role.TEAM_LEAD),
            ("sales1", Role.SALES),
        ):
            user_ops.add_user(session, name=name, role=role, at=clock(), actor_id=None)
    yield store
    store.close()

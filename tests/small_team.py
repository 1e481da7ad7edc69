"""A store with the shipped lead definition and a few users, on SQLite or PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from leaddesk.clock import FixedClock
from leaddesk.definition import versions as definition_versions
from leaddesk.domain import Role
from leaddesk.people import users as user_ops
from leaddesk.store import Store, open_store


@contextmanager
def small_team(
    location: str, clock: FixedClock, users: Sequence[tuple[str, Role]]
) -> Iterator[Store]:
    store = open_store(location)
    with store.transaction() as session:
        definition_versions.ensure_default(session, at=clock())
        for name, role in users:
            user_ops.add_user(session, name=name, role=role, at=clock(), actor_id=None)
    try:
        yield store
    finally:
        store.close()

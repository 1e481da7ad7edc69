"""The intake tests' store: the shipped definition and a small team, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from leaddesk.clock import FixedClock
from leaddesk.domain import Role
from leaddesk.store import Store
from tests.factories import small_team


@pytest.fixture
def store(store_location: str, clock: FixedClock) -> Iterator[Store]:
    with small_team(
        store_location,
        clock,
        [
            ("rep1", Role.QUALIFIER),
            ("rep2", Role.QUALIFIER),
            ("lead1", Role.TEAM_LEAD),
            ("sales1", Role.SALES),
        ],
    ) as store:
        yield store

"""The team tests' store: a team lead and two reps on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from leaddesk.clock import FixedClock
from leaddesk.domain import Role
from tests.factories import Team


@pytest.fixture
def team(store_location: str, clock: FixedClock) -> Iterator[Team]:
    built = Team(store_location, clock)
    built.user("lead1", Role.TEAM_LEAD)
    built.user("rep1")
    built.user("rep2")
    yield built
    built.store.close()

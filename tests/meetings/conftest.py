"""Fixtures for the meeting tests: a team with two salespeople, on Monday morning."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from meeting_helpers import MONDAY, meeting_team

from leaddesk.clock import FixedClock
from tests.factories import Team


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(MONDAY)


@pytest.fixture
def team(store_location: str, clock: FixedClock) -> Iterator[Team]:
    team = meeting_team(store_location, clock)
    yield team
    team.store.close()

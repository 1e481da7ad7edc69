"""Fixtures for the queue tests: a small team on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from queue_helpers import Team, make_team

from leaddesk.clock import FixedClock


@pytest.fixture
def team(store_location: str, clock: FixedClock) -> Iterator[Team]:
    made = make_team(store_location, clock)
    yield made
    made.store.close()


@pytest.fixture
def sqlite_team(sqlite_store_path: Path, clock: FixedClock) -> Iterator[Team]:
    made = make_team(str(sqlite_store_path), clock)
    yield made
    made.store.close()

"""Fixtures for the handoff tests: a small team and an output folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from handoff_helpers import Team, make_team

from leaddesk.clock import FixedClock


@pytest.fixture
def team(store_location: str, clock: FixedClock) -> Iterator[Team]:
    team = make_team(store_location, clock)
    yield team
    team.store.close()


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    return tmp_path / "handoffs"

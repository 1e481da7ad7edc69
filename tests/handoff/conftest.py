"""Fixtures for the handoff tests: a small team and an output folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from handoff_helpers import Team

from leaddesk import definition_versions
from leaddesk import users as user_ops
from leaddesk.clock import FixedClock
from leaddesk.domain import Role
from leaddesk.store import open_store


@pytest.fixture
def team(store_location: str, clock: FixedClock) -> Iterator[Team]:
    store = open_store(store_location)
    team = Team(store_location, store, clock)
    with store.transaction() as session:
        definition_versions.ensure_default(session, at=clock())
        for name, role in (
            ("rep1", Role.QUALIFIER),
            ("rep2", Role.QUALIFIER),
            ("lead1", Role.TEAM_LEAD),
            ("sales1", Role.SALES),
            ("admin", Role.ADMIN),
        ):
            team.ids[name] = user_ops.add_user(
                session,
                name=name,
                role=role,
                at=clock(),
                actor_id=None,
                display_name=name.capitalize(),
            ).id
    yield team
    store.close()


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    return tmp_path / "handoffs"

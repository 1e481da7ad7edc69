"""An import writes its people and leads a chunk at a time with the row triggers of SQLite's
derived tables set aside (store/row_triggers.py): search still finds every imported lead, the
store's zone keys still hold every imported person's zone, and the triggers are back for the
next writer, even after a chunk's insert failed. Real SQLite and PostgreSQL stores."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import exc, select, text

from leaddesk.clock import FixedClock
from leaddesk.desk import Desk, open_desk
from leaddesk.queue.zones import KEPT_ZONE_KEYS, zone_key_walk
from leaddesk.store import Store, open_store, row_triggers
from leaddesk.store.bulk_writes import BulkWriter
from leaddesk.store.models import Person
from tests.intake.test_intake_trust import HEADER, write_csv

INSERT_TRIGGERS = {"lead_search_lead_added", "zone_keys_person_added"}
AT = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True, params=["set aside", "fired"])
def chunk_size_to_set_aside(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test runs twice: with the triggers set aside for its few rows (as for an import's
    chunks of hundreds), and with them firing row by row (as for a small write)."""
    if request.param == "set aside":
        monkeypatch.setattr(row_triggers, "WORTH_SETTING_ASIDE", 1)


@pytest.fixture
def lead1(store: Store, store_location: str, clock: FixedClock) -> Iterator[Desk]:
    with open_desk(store_location, "lead1", clock=clock) as desk:
        yield desk


def insert_triggers(store: Store) -> set[str]:
    with store.reading() as session:
        names = session.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
        return set(names.scalars()) & INSERT_TRIGGERS


def test_imported_leads_are_found_by_search_and_their_zones_kept(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    rows = [
        ["Ngozi", "Okafor", "ngozi@okafor.example", "+1 212 555 0101", "", "Okafor Ltd", ""],
        ["Lars", "Lindqvist", "lars@lind.example", "+1 303 555 0102", "", "Lind AB", ""],
        ["Aiko", "Tanaka", "aiko@tanaka.example", "+81 3 1234 5678", "", "Tanaka KK", ""],
    ]
    summary = lead1.intake.import_file(write_csv(tmp_path / "expo.csv", rows, HEADER))
    assert summary.counts.created == 3

    for name in ("Okafor", "lindqvist", "aiko@tanaka.example"):
        found = lead1.queue.search(name)
        assert len(found) == 1, name
    if not store.is_sqlite:
        return  # PostgreSQL has neither table: it walks its indexes
    with store.reading() as session:
        kept = set(session.scalars(select(KEPT_ZONE_KEYS.c.key)))
        held = {key for key in session.scalars(select(zone_key_walk().c.k)) if key}
    assert kept == held
    assert {"America/New_York", "America/Denver", "Asia/Tokyo"} <= kept
    assert insert_triggers(store) == INSERT_TRIGGERS


def test_a_failed_chunk_insert_leaves_the_insert_triggers_in_place(
    sqlite_store_path: Path,
) -> None:
    # SQLite's triggers (PostgreSQL has neither table, and takes a chunk through COPY).
    store = open_store(str(sqlite_store_path))
    try:
        person = {"first_name": "Ada", "last_name": "Berg", "do_not_call": False, "created_at": AT}
        with store.transaction() as session:
            writer = BulkWriter(session.connection())
            twice = [{**person, "id": 9_001}, {**person, "id": 9_001}]
            with pytest.raises(exc.IntegrityError):
                writer.insert(Person.__table__, twice)
            # The transaction goes on (SQLite undid the one statement) and commits.
            writer.insert(Person.__table__, [{**person, "id": 9_002, "zone_key": "Europe/Oslo"}])
        assert insert_triggers(store) == INSERT_TRIGGERS
        with store.reading() as session:
            assert "Europe/Oslo" in set(session.scalars(select(KEPT_ZONE_KEYS.c.key)))
    finally:
        store.close()

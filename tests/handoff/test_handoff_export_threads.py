"""A new batch's database steps run on a second thread while its files are rendered
(batch_export._NewBatch): another writer waits for the export and is not lost, and on SQLite
the WAL the export held back is copied into the database once, after its end."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from handoff_helpers import Team
from sqlalchemy import text

from leaddesk.domain import Stage
from leaddesk.handoff import Scope, export, verify_batch


def test_a_writer_during_the_export_waits_for_it_and_both_are_kept(
    team: Team, out_dir: Path
) -> None:
    ids = [team.qualified_lead("rep1") for _ in range(3)]
    other: list[int] = []
    writer: list[threading.Thread] = []

    def write_meanwhile(name: str) -> None:
        # While the files are written, step 3's transaction is open on the other thread.
        if name.startswith("write:") and not writer:
            thread = threading.Thread(target=lambda: other.append(team.qualified_lead("rep2")))
            writer.append(thread)
            thread.start()

    result = export(
        team.store,
        actor_id=team.ids["rep1"],
        out_dir=out_dir,
        scope=Scope.OWN,
        at=team.clock(),
        checkpoint=write_meanwhile,
    )
    writer[0].join(timeout=60)
    batch = result.new_batch
    assert batch is not None and batch.lead_ids == tuple(ids)
    assert verify_batch(batch.folder).ok
    assert {team.lead(lead_id).stage for lead_id in ids} == {Stage.HANDED_OFF}
    # The colleague's verdict, made while the export held the store, is there and waits for
    # the next export.
    [later] = other
    assert team.lead(later).stage == Stage.QUALIFIED
    assert team.lead(later).handoff_batch_id is None


@pytest.mark.parametrize("store_location", ["sqlite"], indirect=True)
def test_the_wal_is_copied_back_once_and_the_setting_restored(team: Team, out_dir: Path) -> None:
    ids = [team.qualified_lead("rep1") for _ in range(4)]
    result = export(
        team.store,
        actor_id=team.ids["rep1"],
        out_dir=out_dir,
        scope=Scope.OWN,
        at=team.clock(),
    )
    assert result.new_batch is not None
    path = team.store.path
    assert path is not None
    team.store.settled()  # the copy runs after the export, on a thread of its own
    # The database file alone, WAL ignored: the hand-off is in it, so the WAL was copied back
    # after the export's last transaction (a commit of a few pages would not have).
    alone = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        marks = ", ".join("?" * len(ids))
        stages = alone.execute(f"SELECT DISTINCT stage FROM leads WHERE id IN ({marks})", ids)
        assert [row[0] for row in stages] == [Stage.HANDED_OFF.value]
    finally:
        alone.close()
    # Every pooled connection is back to SQLite's usual setting.
    held = [team.store.engine.connect() for _ in range(3)]
    try:
        settings = {c.execute(text("PRAGMA wal_autocheckpoint")).scalar() for c in held}
    finally:
        for connection in held:
            connection.close()
    assert settings == {1000}


def test_closing_the_store_waits_for_its_upkeep(team: Team) -> None:
    ended: list[str] = []
    begun = threading.Event()

    def slow_upkeep() -> None:
        begun.set()
        time.sleep(0.2)
        ended.append("upkeep")

    team.store.upkeep(slow_upkeep, "test")
    assert begun.wait(timeout=30)
    team.store.close()
    assert ended == ["upkeep"]

"""The store: SQLite settings, aware UTC times, refusing newer stores, a full disk or a busy
store worded for the user, PostgreSQL alike."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import select

from leaddesk.errors import Conflict, LeadDeskError, StoreError
from leaddesk.store import database, open_store
from leaddesk.store.database import resolve_location, store_trouble
from leaddesk.store.migrations import current_revision, head_revision
from leaddesk.store.models import AuditEvent, User


def test_sqlite_store_is_tuned_for_safety(sqlite_store_path: Path) -> None:
    store = open_store(sqlite_store_path)
    with store.engine.connect() as connection:
        pragma = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "foreign_keys", "synchronous", "busy_timeout")
        }
    store.close()
    assert pragma == {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "synchronous": 2,
        "busy_timeout": 30000,
    }


def test_new_store_is_at_the_latest_schema(store_location: str) -> None:
    store = open_store(store_location)
    assert current_revision(store) == head_revision()
    store.close()


def test_times_come_back_aware_utc(store_location: str) -> None:
    store = open_store(store_location)
    paris_evening = datetime(2026, 3, 29, 21, 30, tzinfo=timezone(timedelta(hours=2)))
    with store.transaction() as session:
        session.add(
            AuditEvent(at=paris_evening, action="test", actor_id=None, details={"k": [1, "é"]})
        )
    with store.reading() as session:
        event = session.scalars(select(AuditEvent)).one()
    store.close()
    assert event.at == paris_evening
    assert event.at.tzinfo is not None and event.at.utcoffset() == timedelta(0)
    assert event.at.hour == 19
    assert event.details == {"k": [1, "é"]}


def test_naive_times_are_refused(store_location: str) -> None:
    store = open_store(store_location)
    with pytest.raises(Exception, match="naive datetime"), store.transaction() as session:
        session.add(AuditEvent(at=datetime(2026, 1, 1), action="test", actor_id=None))
        session.flush()
    store.close()


def test_failed_transaction_leaves_nothing(store_location: str) -> None:
    store = open_store(store_location)
    with pytest.raises(RuntimeError), store.transaction() as session:
        session.add(AuditEvent(at=datetime.now(UTC), action="half", actor_id=None))
        session.flush()
        raise RuntimeError("killed half-way")
    with store.reading() as session:
        assert session.scalars(select(AuditEvent)).all() == []
    store.close()


def test_store_from_a_newer_version_is_refused(sqlite_store_path: Path) -> None:
    store = open_store(sqlite_store_path)
    with store.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    store.close()
    before = sqlite_store_path.read_bytes()
    with pytest.raises(StoreError, match="newer LeadDesk"):
        open_store(sqlite_store_path)
    assert sqlite_store_path.read_bytes() == before


def test_missing_store_is_not_created_when_not_asked(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"with: leaddesk --db \S+nothing\.sqlite3 init"):
        open_store(tmp_path / "nothing.sqlite3", create=False)
    assert not (tmp_path / "nothing.sqlite3").exists()


def test_a_store_path_through_a_file_is_refused_saying_which(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("a file", encoding="utf-8")
    with pytest.raises(StoreError, match=r"notes\.txt is a file, not a folder"):
        open_store(tmp_path / "notes.txt" / "store.sqlite3")
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "a file"


@pytest.mark.parametrize("content", [b"\x00\xff" * 2500, b"name,email\nAda,ada@example.org\n"])
def test_a_file_that_is_not_a_store_is_refused_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "not-a-store.sqlite3"
    path.write_bytes(content)
    with pytest.raises(StoreError, match="not a database"):
        open_store(path)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-store.sqlite3"]


def test_location_prefers_flag_then_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("LEADDESK_DATABASE_URL", "postgresql://u:p@localhost/team")
    assert resolve_location(None).drivername == "postgresql+psycopg"
    assert resolve_location(tmp_path / "x.sqlite3").database == str(tmp_path / "x.sqlite3")
    monkeypatch.delenv("LEADDESK_DATABASE_URL")
    default = resolve_location(None)
    assert default.drivername == "sqlite" and default.database.endswith("leaddesk.sqlite3")


def test_unsupported_database_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="SQLite or PostgreSQL"):
        resolve_location("mysql://localhost/x")


def test_unreachable_server_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="Cannot open the store"):
        open_store("postgresql://nobody:x@127.0.0.1:1/none")


def test_users_table_keeps_roles_as_words(store_location: str) -> None:
    from leaddesk.domain import Role

    store = open_store(store_location)
    with store.transaction() as session:
        session.add(
            User(name="ana", display_name="Ana", role=Role.TEAM_LEAD, created_at=datetime.now(UTC))
        )
    with store.engine.connect() as connection:
        raw = connection.exec_driver_sql("SELECT role FROM users").scalar()
    store.close()
    assert raw == "team_lead"


def test_a_full_disk_is_a_message_and_the_transaction_leaves_nothing(
    sqlite_store_path: Path,
) -> None:
    store = open_store(sqlite_store_path)
    with pytest.raises(LeadDeskError) as raised, store.transaction() as session:
        connection = session.connection()
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
        # SQLite's own limit on this connection: the file may not grow, as on a full disk.
        connection.exec_driver_sql(f"PRAGMA max_page_count = {pages}")
        for number in range(2_000):
            session.add(AuditEvent(at=datetime.now(UTC), action=f"filler {number}" * 20))
        session.flush()
    assert str(raised.value).startswith(f"The disk holding the store {sqlite_store_path} is full")
    assert not isinstance(raised.value, Conflict)
    with store.reading() as session:
        assert session.scalars(select(AuditEvent)).all() == []
    store.close()


def test_a_store_held_by_another_writer_too_long_is_a_conflict(
    sqlite_store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 100)
    open_store(sqlite_store_path).close()
    holder = sqlite3.connect(sqlite_store_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process in the middle of a long write
    store = open_store(sqlite_store_path)
    try:
        busy = pytest.raises(Conflict, match="The store is busy with another change")
        with busy, store.transaction() as session:
            session.add(AuditEvent(at=datetime.now(UTC), action="blocked"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        store.close()


@pytest.mark.parametrize(
    ("error", "kind", "words"),
    [
        (psycopg.errors.DeadlockDetected("deadlock detected"), Conflict, "busy"),
        (psycopg.errors.DiskFull("could not extend file"), LeadDeskError, "is full"),
        (psycopg.OperationalError("server closed the connection"), LeadDeskError, "reached"),
    ],
    ids=["deadlock", "disk-full", "connection-lost"],
)
def test_postgresql_troubles_are_worded_by_their_error_class(
    error: Exception, kind: type[LeadDeskError], words: str
) -> None:
    trouble = store_trouble(error, "postgresql://leaddesk@db/team")
    assert type(trouble) is kind and words in str(trouble)
    assert store_trouble(psycopg.ProgrammingError("misused"), "x") is None
    assert store_trouble(ValueError("not a database error"), "x") is None

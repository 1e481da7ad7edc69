"""SQLite settings for the long writes of an import and an export (docs/architecture.md §3, §7).

Pragmas are raw SQL, so they sit here in ``store/``; the import only says "this is a bulk
write" and gets the same durability rules back at the end.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from leaddesk.store.database import HELD_CHECKPOINTS, Store

BULK_CACHE_KIB = 64 * 1024
BULK_WAL_PAGES = 65_536  # 256 MB of 4 KB pages: the WAL of a very long import stays bounded


@contextmanager
def bulk_writes(store: Store) -> Iterator[None]:
    """SQLite, while an import writes its chunks: a bigger page cache (a chunk's new rows land
    all over a million-row store's indexes), the WAL copied back into the database at the end
    (or every 256 MB) instead of at every chunk's commit, and chunk commits not waiting for
    the disk (synchronous=NORMAL). A power cut can then lose the last chunks, never part of
    one: their rows and the run's checkpoint go together, so the import resumes before them.
    The run's final commit is made with the store's usual FULL sync, which makes every chunk
    durable."""
    if not store.is_sqlite:
        yield
        return
    tuned: list[Any] = []

    def on_checkout(raw: Any, _record: Any, _proxy: Any) -> None:
        # At checkout, before the transaction begins: the sync level cannot change inside one.
        if all(raw is not done for done in tuned):
            cursor = raw.cursor()
            cursor.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
            cursor.execute(f"PRAGMA wal_autocheckpoint = {BULK_WAL_PAGES}")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.close()
            tuned.append(raw)

    event.listen(store.engine, "checkout", on_checkout)
    try:
        yield
    finally:
        event.remove(store.engine, "checkout", on_checkout)
        for raw in tuned:
            try:
                cursor = raw.cursor()
                cursor.execute("PRAGMA synchronous = FULL")
                cursor.execute("PRAGMA cache_size = -2000")
                cursor.execute("PRAGMA wal_autocheckpoint = 1000")
                cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
                cursor.close()
            except sqlite3.Error:
                pass  # a connection that went away takes its settings with it


WAL_PAGES = 1000  # SQLite's own default, which the store keeps


def hold_checkpoints(session: Session) -> None:
    """SQLite: this transaction's commit does not copy the WAL back into the database, as a
    commit does once the WAL holds 1,000 pages. An export rewrites every lead of its batch
    twice; copying each transaction's pages back and syncing the database (1.3 s at 14,000
    leads in a 1,000,000-lead store) would happen twice, on the way to the files. When the
    transaction's connection goes back to the pool the setting returns; ``copy_wal_back``
    then copies the WAL back once, off the export's path. Nothing is less durable: the WAL is
    synced at every commit as before."""
    if session.get_bind().dialect.name != "sqlite":
        return
    connection = session.connection().connection
    connection.info[HELD_CHECKPOINTS] = WAL_PAGES
    cursor = connection.cursor()
    cursor.execute("PRAGMA wal_autocheckpoint = 0")
    cursor.close()


def copy_wal_back(store: Store) -> None:
    """SQLite: the WAL copied back into the database on a thread of its own, after the
    transactions that held it back (a PASSIVE checkpoint: it waits for no reader or writer,
    so a rep's next change is not held up by it). The export's caller does not wait for it
    (0.35 s after a 14,000-lead batch in a 1,000,000-lead store); closing the store does."""
    if not store.is_sqlite:
        return

    def checkpoint() -> None:
        try:
            raw = store.engine.raw_connection()
        except DBAPIError:
            return  # the WAL stays whole and is copied back by the next commit's checkpoint
        try:
            cursor = raw.cursor()
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
            cursor.close()
        except sqlite3.Error:
            pass  # as above
        finally:
            raw.close()

    store.upkeep(checkpoint, "wal-copy")

"""Restoring a backup file into a new store (docs/architecture.md §7), or checking one.

A restore reads and checks the whole file before it writes anything (``backup_reading``),
then goes into an empty store only, in one transaction: every row or none, and a damaged line
is named by file, line, table and column.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, Table, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from leaddesk import audit
from leaddesk.admin.backup_reading import BackupReader, BackupUnreadable
from leaddesk.admin.backups import BATCH, Progress, backed_up_tables, no_progress
from leaddesk.audit.actions import AuditAction
from leaddesk.domain import Role
from leaddesk.errors import InputError, StoreError
from leaddesk.store import Store, guards, open_store
from leaddesk.store.bulk_writes import BulkWriter
from leaddesk.store.database import catch_up_sequences
from leaddesk.store.migrations import SCHEMA_HEAD, current_revision, upgrade
from leaddesk.store.models import User
from leaddesk.store.password_holders import SET_AGAIN

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RestoreSummary:
    source: Path
    store: str
    schema: str
    taken_at: datetime
    taken_by: str | None
    rows: dict[str, int]
    dry_run: bool
    # Who must have their password set again (backups carry none), admins first.
    set_again: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "set_password_again": list(self.set_again),
            "file": str(self.source),
            "store": self.store,
            "schema": self.schema,
            "taken_at": self.taken_at.isoformat(),
            "taken_by": self.taken_by,
            "rows": self.rows,
            "dry_run": self.dry_run,
        }


def restore_backup(
    location: str | os.PathLike[str] | None,
    source: Path,
    *,
    at: datetime,
    dry_run: bool = False,
    progress: Progress = no_progress,
    checked: Progress | None = None,
) -> RestoreSummary:
    """Every row of the backup ``source`` into the empty store at ``location`` (made if it is
    a new SQLite file), in one transaction. ``dry_run`` reads and checks the whole file and
    writes nothing.

    The whole file is read and checked first (its SHA-256, gzip's CRC, every value and every
    count); only then is anything made or written. A restore refused after that (rows that do
    not fit together) takes away what it made: the new file, or the tables it set up.

    ``progress`` counts both passes over the file as one (done of twice the rows), unless
    ``checked`` is given: then the check counts its rows there and ``progress`` the rows
    written, each of the backup's rows."""
    if dry_run:
        with BackupReader(source) as reader:
            header = reader.header()
            rows = _counted(reader, progress)
        label = str(location) if location is not None else "(the default store)"
        return _summary(source, label, header, rows, dry_run=True)

    with BackupReader(source) as reader:
        header = reader.header()
        _counted(reader, checked or (lambda done, total: progress(done, 2 * total)))
    schema = str(header["schema"])
    target = _empty_store(location, schema)
    store = target.store
    try:
        with BackupReader(source) as reader:
            header = reader.header()
            if reader.older:
                found = inspect(store.engine)
                reader.store_columns = {
                    name: {column["name"] for column in found.get_columns(name)}
                    for name in found.get_table_names()
                }
            with store.transaction() as session:
                guards.keep_restored_logins(session.connection())
                writer = BulkWriter(session.connection(), values_repeat=False)
                rows = {}
                writing = reader.total
                written: Progress = (
                    progress if checked else lambda done, total: progress(total + done, 2 * total)
                )
                for table, batch in _batches(reader, written):
                    writer.insert(table, batch)
                    rows[table.name] = rows.get(table.name, 0) + len(batch)
                rows = reader.check_end(rows)
                catch_up_sequences(session.connection(), sorted(reader.tables_seen))
        if schema != SCHEMA_HEAD:
            # Taken by an older LeadDesk: restored as it was, then brought up to date the
            # way an old store is when opened (each migration's data changes included).
            upgrade(store, "head")
        with store.transaction() as session:
            audit.record(
                session,
                at=at,
                actor_id=None,
                action=AuditAction.STORE_RESTORED,
                subject=source.name,
                details={
                    "taken_at": header["taken_at"],
                    "taken_by": header.get("taken_by"),
                    "schema": schema,
                    "rows": sum(rows.values()),
                },
            )
            set_again = _passwords_to_set_again(session)
    except BaseException as exc:
        target.take_back()
        reason = _constraint_failed(exc)
        if reason is None:
            raise
        raise BackupUnreadable(
            f"{source.name}: its rows do not fit together ({reason}); nothing was restored"
        ) from None
    label = store.label
    store.close()
    progress(writing, writing)
    return replace(_summary(source, label, header, rows, dry_run=False), set_again=set_again)


def _passwords_to_set_again(session: Session) -> tuple[str, ...]:
    found = session.execute(
        select(User.name)
        .where(User.password_hash == SET_AGAIN, User.active.is_(True))
        .order_by(User.role != Role.ADMIN, User.name)
    )
    return tuple(str(name) for name in found.scalars())


def _constraint_failed(error: BaseException) -> str | None:
    """The database's words when rows broke a constraint (a reference to a row that is not
    there, a duplicate), whether the driver's error came wrapped or straight from a COPY."""
    cause = error.orig if isinstance(error, IntegrityError) else error
    integrity = isinstance(error, IntegrityError) or isinstance(cause, sqlite3.IntegrityError)
    if not integrity and not str(getattr(cause, "sqlstate", None) or "").startswith("23"):
        return None
    return (str(cause).strip().splitlines() or ["a constraint failed"])[0]


def _summary(
    source: Path, label: str, header: dict[str, Any], rows: dict[str, int], *, dry_run: bool
) -> RestoreSummary:
    return RestoreSummary(
        source=source,
        store=label,
        schema=str(header["schema"]),
        taken_at=datetime.fromisoformat(str(header["taken_at"])),
        taken_by=header.get("taken_by"),
        rows=rows,
        dry_run=dry_run,
    )


def _counted(reader: BackupReader, progress: Progress) -> dict[str, int]:
    rows: dict[str, int] = {}
    for table, batch in _batches(reader, progress):
        rows[table.name] = rows.get(table.name, 0) + len(batch)
    return reader.check_end(rows)


def _batches(
    reader: BackupReader, progress: Progress
) -> Iterator[tuple[Table, list[dict[str, Any]]]]:
    total = reader.total
    done = 0
    batch: list[dict[str, Any]] = []
    current: Table | None = None
    for table, row in reader.rows():
        if table is not current and batch:
            assert current is not None
            yield current, batch
            batch = []
        current = table
        batch.append(row)
        done += 1
        if len(batch) >= BATCH:
            yield table, batch
            batch = []
            progress(done, total)
    if batch and current is not None:
        yield current, batch
    progress(done, total)


@dataclass
class _Target:
    """The store a restore goes into, and what the restore made there to take away again
    if it fails: a new SQLite file, or the tables it set up in an empty database."""

    store: Store
    files: list[Path]
    tables_before: set[str]
    set_up: bool = False

    def take_back(self) -> None:
        try:
            if self.set_up and not self.files:
                with self.store.engine.begin() as connection:
                    made = set(inspect(connection).get_table_names()) - self.tables_before
                    tables = MetaData()
                    tables.reflect(connection, only=sorted(made))
                    tables.drop_all(connection)
        except Exception:
            log.exception("could not take away the tables of a refused restore")
        finally:
            self.store.close()
            _forget(self.files)


def _empty_store(location: str | os.PathLike[str] | None, schema: str) -> _Target:
    """The store to restore into, at the backup's schema ``schema`` (made if it is a new
    SQLite file or an empty database), refused unless empty."""
    from leaddesk.store.database import resolve_location, table_names

    url = resolve_location(location)
    made: list[Path] = []
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        path = Path(url.database or "")
        if not path.exists():
            made = [path, *(path.with_name(path.name + end) for end in ("-wal", "-shm"))]
    store = open_store(location, create=True, migrate=False)
    try:
        revision = current_revision(store)
        present = table_names(store)
        if revision is None and "leads" in present:
            raise StoreError(f"{store.label} holds tables but is not a LeadDesk store")
        held = []
        if revision is not None:
            with store.reading() as session:
                held = [
                    table.name
                    for table in backed_up_tables()
                    if table.name in present
                    and session.execute(select(table.c.id).limit(1)).first() is not None
                ]
    except BaseException:
        store.close()
        _forget(made)
        raise
    target = _Target(store, made, present)
    if not held and revision != schema:
        try:
            if revision is not None:
                raise InputError(
                    f"{store.label} is set up for schema {revision} and the backup is of "
                    f"schema {schema}; restore into a new file name or a new, empty database",
                    field="db",
                )
            target.set_up = True
            upgrade(store, schema)  # the tables as the LeadDesk that took the backup had them
        except BaseException:
            target.take_back()
            raise
    if held:
        store.close()
        if set(held) <= _WRITTEN_BY_INIT:
            # The natural first step on a new store, and the one that spoils it for a restore.
            raise InputError(
                f"{store.label} was set up by 'leaddesk init', so it is not empty; "
                "restore into a new file name or a new, empty PostgreSQL database (restore sets "
                "the store up itself)",
                field="db",
            )
        more = "…" if len(held) > 3 else ""
        raise InputError(
            f"{store.label} already holds data ({', '.join(held[:3])}{more}); a backup "
            "is restored into a new, empty store only",
            field="db",
        )
    return target


# What ``leaddesk init`` writes into a new store: the default lead definition, and its audit.
_WRITTEN_BY_INIT = {"definition_versions", "audit_events"}


def _forget(made: list[Path]) -> None:
    for path in made:
        path.unlink(missing_ok=True)

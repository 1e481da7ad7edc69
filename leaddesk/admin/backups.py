"""Taking a backup of a store: every table in one file (docs/architecture.md §7), and the file's
format, which reading and restoring one (``backup_reading``, ``backup_restore``) share.

A backup is every table's rows, read in one consistent snapshot while people keep working,
written as gzip-compressed JSON Lines under a temporary name and linked into place, never over
another file (output_files.py). Its gzip header carries the SHA-256 of the whole file
(backup_file.py); backups of format 1, from before, carry none and are read all the same.
A backup does not depend on the database: a SQLite store's backup restores into PostgreSQL
and back, which is how a rep's own store becomes a team's.

A backup carries no password hashes: a user who had a password comes back from a restore
with ``SET_AGAIN`` in its place, so the store still asks for passwords and each person is told
to have theirs set again (an admin's first, by the store's owner).

The file: a header line (format, schema revision, who took it and when, the tables), then per
table a line naming its columns followed by one line per row (a JSON array), and a last line
with every table's row count. A file without that last line was cut short and is refused.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum as PyEnum
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, case, func, literal, null, select
from sqlalchemy.orm import Session

from leaddesk.admin.backup_file import sealed
from leaddesk.audit.actions import AuditAction
from leaddesk.errors import InputError, LeadDeskError
from leaddesk.files import writing as output_files
from leaddesk.store import Store
from leaddesk.store.database import store_trouble
from leaddesk.store.migrations import current_revision
from leaddesk.store.models import AuditEvent, Base, User
from leaddesk.store.password_holders import SET_AGAIN, password_holders

FORMAT = "leaddesk-backup"
FORMAT_VERSION = 2  # 2: the file carries its own SHA-256 (backup_file.py)
READABLE_VERSIONS = (1, 2)
SUFFIX = ".ldbackup.gz"
BATCH = 5_000  # rows a driver call, on restore
Progress = Callable[[int, int], None]  # rows done, rows in all


def no_progress(_done: int, _total: int) -> None:
    pass


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    schema: str
    taken_at: datetime
    rows: dict[str, int]
    size: int

    def as_json(self) -> dict[str, Any]:
        return {
            "file": str(self.path),
            "schema": self.schema,
            "taken_at": self.taken_at.isoformat(),
            "rows": self.rows,
            "bytes": self.size,
        }


# Which windows are open right now: meaningless in a copy, and leases expire on their own.
# Nor the reps' "skip for now"s: they last 12 hours, and a restored store's queue puts the
# skipped leads back in their places (each skip stays in the audit trail, which is kept).
_NOT_BACKED_UP = frozenset({"window_leases", "queue_skips"})


def backed_up_tables() -> list[Table]:
    """The tables a backup holds, parents before children, so a restore never meets a row
    whose parent is not there yet."""
    return [t for t in Base.metadata.sorted_tables if t.name not in _NOT_BACKED_UP]


def backup_path(destination: Path | str | None, default_folder: Path, at: datetime) -> Path:
    """Where a backup goes: the path given, a file in the folder given, or the default folder.

    A path written with a trailing slash names a folder, made if it is not there yet.
    """
    name = f"leaddesk-backup-{at.astimezone(UTC):%Y%m%d-%H%M%S}{SUFFIX}"
    if destination is None:
        return default_folder / name
    if isinstance(destination, str):
        if destination.endswith(("/", os.sep)):
            return Path(destination) / name
        destination = Path(destination)
    if destination.is_dir():
        return destination / name
    return destination


def take_backup(
    store: Store,
    destination: Path,
    *,
    taken_by: str,
    at: datetime,
    progress: Progress = no_progress,
) -> BackupSummary:
    """Every row of ``store`` to ``destination``, from one snapshot; the file appears whole or
    not at all."""
    if not destination.parent.is_dir():
        output_files.make_folder(destination.parent, "a backup")
    schema = current_revision(store) or "none"
    rows: dict[str, int] = {}
    try:
        with (
            output_files.new_file(destination, "a backup") as handle,
            _snapshot(store) as connection,
            sealed(handle, at) as out,
        ):
            counts = {
                table.name: int(connection.scalar(select(func.count()).select_from(table)) or 0)
                for table in backed_up_tables()
            }
            total = sum(counts.values())
            header = {
                "format": FORMAT,
                "version": FORMAT_VERSION,
                "schema": schema,
                "taken_at": at.isoformat(),
                "taken_by": taken_by,
                "database": store.engine.dialect.name,
                "tables": counts,
            }
            _write_line(out, header)
            done = 0
            holders = password_holders(connection)
            for table in backed_up_tables():
                columns = [column.name for column in table.columns]
                _write_line(out, {"table": table.name, "columns": columns})
                written = 0
                result = connection.execution_options(yield_per=BATCH).execute(
                    select(*_backed_up_columns(table, holders)).order_by(table.c.id)
                )
                for record in result:
                    out.write(json.dumps([_plain(value) for value in record], default=str))
                    out.write("\n")
                    written += 1
                    done += 1
                    if done % BATCH == 0:
                        progress(done, total)
                rows[table.name] = written
            _write_line(out, {"end": rows})
    except LeadDeskError:
        raise
    except OSError as exc:
        raise InputError(f"Cannot write the backup {destination}: {exc.strerror or exc}") from exc
    except BaseException as exc:
        trouble = store_trouble(exc, store.label)  # the server gone, the disk full: said so
        if trouble is not None:
            raise trouble from exc
        raise
    progress(sum(rows.values()), sum(rows.values()))
    return BackupSummary(destination, schema, at, rows, destination.stat().st_size)


def _backed_up_columns(table: Table, holders: set[int]) -> list[ColumnElement[Any]]:
    """The table's columns as a backup holds them: a user's password hash never (a copy of
    the file is not a list of hashes to crack); a user who had one gets ``SET_AGAIN``, so the
    restored store still asks for passwords and tells them to set theirs again."""
    if table.name != User.__tablename__:
        return list(table.columns)
    kept = case((table.c.id.in_(sorted(holders)), literal(SET_AGAIN)), else_=null())
    return [
        kept.label(column.name) if column.name == "password_hash" else column
        for column in table.columns
    ]


@contextmanager
def _snapshot(store: Store) -> Iterator[Connection]:
    """One read transaction over every table: on PostgreSQL at REPEATABLE READ, so rows
    written meanwhile by others are not half in the backup; SQLite's WAL gives the same."""
    with store.engine.connect() as connection:
        if store.engine.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin() as transaction:
            try:
                yield connection
            finally:
                transaction.rollback()  # nothing was written


def _write_line(out: Any, data: dict[str, Any]) -> None:
    out.write(json.dumps(data))
    out.write("\n")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, PyEnum):
        return value.value
    return value


@dataclass(frozen=True)
class BackupTaken:
    at: datetime
    by: str
    file: str
    rows: int
    size: int


def recent_backups(session: Session, *, limit: int = 10) -> list[BackupTaken]:
    """The latest backups taken of this store, newest first (from the audit trail)."""
    records = session.execute(
        select(AuditEvent, User.display_name)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.action == AuditAction.BACKUP_TAKEN)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    ).all()
    taken = []
    for event, who in records:
        details = event.details or {}
        taken.append(
            BackupTaken(
                at=event.at,
                by=who or "the store's owner",
                file=event.subject or "",
                rows=int(details.get("rows") or 0),
                size=int(details.get("bytes") or 0),
            )
        )
    return taken


# -- restoring ----------------------------------------------------------------------------------

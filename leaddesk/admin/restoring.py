"""Restoring a backup as an admin, from the window: where the restored store may go, and
stopping a check or a restore that is under way. The reading and writing are ``backups``'s.

A restore from the window goes into a new SQLite file (never one that exists) or an empty
PostgreSQL database; both are checked before the backup is read, so a wrong place is said at
once, and the check writes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, inspect, literal, select
from sqlalchemy.exc import DBAPIError

from leaddesk.admin import backup_restore, backups
from leaddesk.errors import InputError, LeadDeskError, StoreError
from leaddesk.store.database import resolve_location, store_trouble
from leaddesk.store.models import Base

Cancelled = Callable[[], bool]


class RestoreCancelled(LeadDeskError):
    """The admin stopped the check or the restore; nothing was written."""

    def __init__(self) -> None:
        super().__init__("Stopped. Nothing was restored.")


def never_cancelled() -> bool:
    return False


def check_target(location: str) -> str:
    """``location`` as the restore will use it, refused unless a restore can go there: a new
    SQLite file in a folder that can be written, or a PostgreSQL database holding no rows."""
    text = location.strip()
    if not text:
        raise InputError("Say where the restored store goes: a new file name or a database URL.")
    url = resolve_location(text)
    if url.get_backend_name() == "sqlite":
        _check_new_file(Path(url.database or ""))
    else:
        _check_empty_database(text)
    return text


def _check_new_file(path: Path) -> None:
    if path.is_dir():
        raise InputError(f"{path} is a folder; name a new file in it, such as restored.sqlite3.")
    if path.exists():
        raise InputError(
            f"{path} already exists, and a restore never writes over a file; "
            "choose a new file name."
        )
    folder = next((parent for parent in path.parents if parent.exists()), None)
    if folder is None or not folder.is_dir():
        raise InputError(
            f"Cannot make the folder for {path}: {folder} is a file, not a folder; "
            "choose another place."
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(f"Cannot write in the folder {folder}; choose a folder you can write to.")


def _check_empty_database(location: str) -> None:
    """Only reads: a database that holds rows of a store is refused before anything is
    read from the backup or written to the server."""
    url = resolve_location(location)
    label = url.set(drivername=url.get_backend_name()).render_as_string(hide_password=True)
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            present = set(inspect(connection).get_table_names())
            held = [
                table.name
                for table in Base.metadata.sorted_tables
                if table.name in present
                and connection.execute(select(literal(1)).select_from(table).limit(1)).first()
                is not None
            ]
    except DBAPIError as exc:
        trouble = store_trouble(exc, label)
        if trouble is not None:
            raise trouble from exc
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise StoreError(f"Cannot reach the database {label}: {reason}") from exc
    finally:
        engine.dispose()
    if held:
        more = "…" if len(held) > 3 else ""
        raise InputError(
            f"{label} already holds data ({', '.join(held[:3])}{more}); a backup is restored "
            "into a new, empty database only: make one and give its URL."
        )


def restore(
    source: Path,
    target: str,
    *,
    at: datetime,
    dry_run: bool,
    progress: backups.Progress,
    cancelled: Cancelled = never_cancelled,
) -> backup_restore.RestoreSummary:
    """Check the target, then check (``dry_run``) or restore the backup; ``cancelled`` is
    asked as the rows go by, and a stop leaves nothing written."""
    location = check_target(target)

    def moved(done: int, total: int) -> None:
        if cancelled():
            raise RestoreCancelled()
        progress(done, total)
        if cancelled():  # asked again: the last call comes before the rows are committed
            raise RestoreCancelled()

    return backup_restore.restore_backup(location, source, at=at, dry_run=dry_run, progress=moved)

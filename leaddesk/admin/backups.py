"""Backing a store up to one file, and restoring that file into a new store.

A backup is every table's rows, read in one consistent snapshot while people keep working,
written as gzip-compressed JSON Lines under a temporary name and linked into place, never over
another file (output_files.py). Its gzip header carries the SHA-256 of the whole file
(backup_file.py); backups of format 1, from before, carry none and are read all the same.
A backup does not depend on the database: a SQLite store's backup restores into PostgreSQL
and back, which is how a rep's own store becomes a team's.

The file: a header line (format, schema revision, who took it and when, the tables), then per
table a line naming its columns followed by one line per row (a JSON array), and a last line
with every table's row count. A file without that last line was cut short and is refused.

A restore reads and checks the whole file before it writes anything, then goes into an empty
store only, in one transaction: every row or none, and a damaged line is named by file, line,
table and column.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import sqlite3
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum as PyEnum
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Connection,
    Date,
    Enum,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    inspect,
    select,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from leaddesk import audit
from leaddesk.admin.backup_file import seal_holds, sealed
from leaddesk.errors import InputError, LeadDeskError, StoreError
from leaddesk.files import writing as output_files
from leaddesk.store import Store, guards, open_store
from leaddesk.store.bulk_writes import BulkWriter
from leaddesk.store.database import catch_up_sequences, store_trouble
from leaddesk.store.migrations import SCHEMA_HEAD, current_revision, known_revisions, upgrade
from leaddesk.store.models import AuditEvent, Base, User
from leaddesk.store.types import JSONText, UTCDateTime

log = logging.getLogger(__name__)
FORMAT = "leaddesk-backup"
FORMAT_VERSION = 2  # 2: the file carries its own SHA-256 (backup_file.py)
READABLE_VERSIONS = (1, 2)
SUFFIX = ".ldbackup.gz"
_BATCH = 5_000  # rows a driver call, on restore
Progress = Callable[[int, int], None]  # rows done, rows in all


def _no_progress(_done: int, _total: int) -> None:
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


@dataclass(frozen=True)
class RestoreSummary:
    source: Path
    store: str
    schema: str
    taken_at: datetime
    taken_by: str | None
    rows: dict[str, int]
    dry_run: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "file": str(self.source),
            "store": self.store,
            "schema": self.schema,
            "taken_at": self.taken_at.isoformat(),
            "taken_by": self.taken_by,
            "rows": self.rows,
            "dry_run": self.dry_run,
        }


# Which windows are open right now: meaningless in a copy, and leases expire on their own.
_NOT_BACKED_UP = frozenset({"window_leases"})


def _tables() -> list[Table]:
    # Parents before children, so a restore never meets a row whose parent is not there yet.
    return [t for t in Base.metadata.sorted_tables if t.name not in _NOT_BACKED_UP]


# -- taking a backup ----------------------------------------------------------------------------


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
    progress: Progress = _no_progress,
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
                for table in _tables()
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
            for table in _tables():
                columns = [column.name for column in table.columns]
                _write_line(out, {"table": table.name, "columns": columns})
                written = 0
                result = connection.execution_options(yield_per=_BATCH).execute(
                    select(table).order_by(table.c.id)
                )
                for record in result:
                    out.write(json.dumps([_plain(value) for value in record], default=str))
                    out.write("\n")
                    written += 1
                    done += 1
                    if done % _BATCH == 0:
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
        .where(AuditEvent.action == "backup_taken")
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


def restore_backup(
    location: str | os.PathLike[str] | None,
    source: Path,
    *,
    at: datetime,
    dry_run: bool = False,
    progress: Progress = _no_progress,
) -> RestoreSummary:
    """Every row of the backup ``source`` into the empty store at ``location`` (made if it is
    a new SQLite file), in one transaction. ``dry_run`` reads and checks the whole file and
    writes nothing.

    The whole file is read and checked first (its SHA-256, gzip's CRC, every value and every
    count); only then is anything made or written. A restore refused after that (rows that do
    not fit together) takes away what it made: the new file, or the tables it set up."""
    if dry_run:
        with _BackupReader(source) as reader:
            header = reader.header()
            rows = _counted(reader, progress)
        label = str(location) if location is not None else "(the default store)"
        return _summary(source, label, header, rows, dry_run=True)

    with _BackupReader(source) as reader:
        header = reader.header()
        _counted(reader, lambda done, total: progress(done, 2 * total))
    schema = str(header["schema"])
    target = _empty_store(location, schema)
    store = target.store
    try:
        with _BackupReader(source) as reader:
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
                for table, batch in _batches(
                    reader, lambda done, total: progress(total + done, 2 * total)
                ):
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
                action="store_restored",
                subject=source.name,
                details={
                    "taken_at": header["taken_at"],
                    "taken_by": header.get("taken_by"),
                    "schema": schema,
                    "rows": sum(rows.values()),
                },
            )
    except BaseException as exc:
        target.take_back()
        reason = _constraint_failed(exc)
        if reason is None:
            raise
        raise InputError(
            f"{source.name}: its rows do not fit together ({reason}); nothing was restored"
        ) from None
    label = store.label
    store.close()
    progress(writing, writing)
    return _summary(source, label, header, rows, dry_run=False)


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


def _counted(reader: _BackupReader, progress: Progress) -> dict[str, int]:
    rows: dict[str, int] = {}
    for table, batch in _batches(reader, progress):
        rows[table.name] = rows.get(table.name, 0) + len(batch)
    return reader.check_end(rows)


def _batches(
    reader: _BackupReader, progress: Progress
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
        if len(batch) >= _BATCH:
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
                    for table in _tables()
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
                    f"--db: {store.label} is set up for schema {revision} and the backup is of "
                    f"schema {schema}; restore into a new file name or a new, empty database"
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
                f"--db: {store.label} was set up by 'leaddesk init', so it is not empty; "
                "restore into a new file name or a new, empty PostgreSQL database (restore sets "
                "the store up itself)"
            )
        more = "…" if len(held) > 3 else ""
        raise InputError(
            f"--db: {store.label} already holds data ({', '.join(held[:3])}{more}); a backup "
            "is restored into a new, empty store only"
        )
    return target


# What ``leaddesk init`` writes into a new store: the default lead definition, and its audit.
_WRITTEN_BY_INIT = {"definition_versions", "audit_events"}


def _forget(made: list[Path]) -> None:
    for path in made:
        path.unlink(missing_ok=True)


class _BackupReader:
    """Reads a backup file line by line, checking each row against the tables it names."""

    def __init__(self, source: Path) -> None:
        self.source = source
        self.name = source.name
        self.line = 0
        self.total = 0
        self.older = False
        self.schema = SCHEMA_HEAD
        # Filled in once the store to restore into has its tables: table -> column names.
        self.store_columns: dict[str, set[str]] = {}
        self.tables_seen: set[str] = set()
        self._end: dict[str, Any] | None = None
        self.sealed = False

    def __enter__(self) -> _BackupReader:
        if self.source.is_dir():
            raise InputError(f"{self.source}: a folder, not a backup file; name the file in it")
        if not self.source.is_file():
            raise InputError(f"{self.source}: no such backup file")
        try:
            # The whole file is checked before a line of it is believed.
            holds = seal_holds(self.source)
            self._file = gzip.open(self.source, "rt", encoding="utf-8")
        except OSError as exc:
            raise InputError(f"{self.source}: cannot read it: {exc.strerror or exc}") from exc
        if holds is False:
            self._file.close()
            raise InputError(
                f"{self.source}: damaged or cut short (its SHA-256 does not match its content); "
                "nothing was restored. Restore an earlier backup"
            )
        self.sealed = holds is True
        return self

    def __exit__(self, *_exc: object) -> None:
        self._file.close()

    def _lines(self) -> Iterator[str]:
        try:
            for text in self._file:
                self.line += 1
                yield text
        except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
            if self.line == 0 and isinstance(exc, gzip.BadGzipFile):
                raise InputError(
                    f"{self.name}: not a LeadDesk backup (not a gzip file; backups end in {SUFFIX})"
                ) from None
            raise InputError(
                f"{self.name}: damaged after line {self.line} ({exc}); nothing was restored"
            ) from None

    def _parse(self, text: str) -> Any:
        try:
            return json.loads(text)
        except ValueError:
            raise InputError(
                f"{self.name}: line {self.line} is not a backup line (damaged file?); "
                "nothing was restored"
            ) from None

    def header(self) -> dict[str, Any]:
        self._iter = self._lines()
        first = next(self._iter, None)
        header = self._parse(first) if first is not None else None
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise InputError(f"{self.name}: not a LeadDesk backup (no backup header on line 1)")
        if header.get("version") not in READABLE_VERSIONS:
            raise InputError(
                f"{self.name}: backup format {header.get('version')} is not one this LeadDesk "
                f"reads ({', '.join(map(str, READABLE_VERSIONS))})"
            )
        if header["version"] >= 2 and not self.sealed:
            raise InputError(
                f"{self.name}: damaged (the SHA-256 its format carries is gone); nothing was "
                "restored. Restore an earlier backup"
            )
        schema = str(header.get("schema"))
        if schema != SCHEMA_HEAD and schema not in known_revisions():
            raise InputError(
                f"{self.name}: taken by a newer LeadDesk (schema {schema}, this one is "
                f"{SCHEMA_HEAD}); restore it with that LeadDesk or a newer one"
            )
        # An older LeadDesk's tables lack the columns added since; nothing else may differ.
        self.older = schema != SCHEMA_HEAD
        self.schema = schema
        try:
            datetime.fromisoformat(str(header.get("taken_at")))
            self.total = sum(int(count) for count in dict(header.get("tables") or {}).values())
        except (TypeError, ValueError):
            raise InputError(f"{self.name}: line 1, the backup header is damaged") from None
        return header

    def rows(self) -> Iterator[tuple[Table, dict[str, Any]]]:
        tables = {table.name: table for table in _tables()}
        table: Table | None = None
        readers: list[tuple[str, Callable[[Any], Any]]] = []
        for text in self._iter:
            item = self._parse(text)
            if isinstance(item, list):
                if table is None:
                    raise InputError(f"{self.name}: line {self.line}: a row before any table")
                if len(item) != len(readers):
                    raise InputError(
                        f"{self.name}: line {self.line}, table {table.name}: {len(item)} values "
                        f"for {len(readers)} columns"
                    )
                row = {}
                for (column, read), value in zip(readers, item, strict=True):
                    try:
                        row[column] = read(value)
                    except (TypeError, ValueError) as exc:
                        raise InputError(
                            f"{self.name}: line {self.line}, table {table.name}, column "
                            f"{column}: {exc}"
                        ) from None
                yield table, row
            elif isinstance(item, dict) and "table" in item:
                known = tables.get(str(item["table"]))
                if known is None:
                    raise InputError(
                        f"{self.name}: line {self.line}: no table {item['table']!r} in this "
                        "LeadDesk"
                    )
                columns = item.get("columns")
                if not isinstance(columns, list) or not self._columns_fit(known, columns):
                    raise InputError(
                        f"{self.name}: line {self.line}, table {known.name}: the columns are "
                        f"not those of schema {self.schema}"
                    )
                table = known
                self.tables_seen.add(known.name)
                readers = [(str(name), _reader(known, str(name))) for name in columns]
            elif isinstance(item, dict) and "end" in item:
                self._end = item["end"] if isinstance(item["end"], dict) else {}
                # Read on to the end: gzip checks its CRC and length only there.
                if next(self._iter, None) is not None:
                    raise InputError(
                        f"{self.name}: line {self.line}: more after the last line (damaged "
                        "file?); nothing was restored"
                    )
                return
            else:
                raise InputError(f"{self.name}: line {self.line} is not a backup line")

    def _columns_fit(self, known: Table, columns: list[Any]) -> bool:
        named = {str(column) for column in columns}
        if not self.older:
            return named == set(known.c.keys())
        if self.store_columns:  # restoring: the columns the store made for that schema
            return named == self.store_columns.get(known.name, set())
        return named <= set(known.c.keys())  # checking only: columns we know, some missing

    def check_end(self, rows: dict[str, int]) -> dict[str, int]:
        if self._end is None:
            raise InputError(
                f"{self.name}: cut short after line {self.line} (no end line); nothing was restored"
            )
        stated = {name: int(count) for name, count in self._end.items() if int(count)}
        if stated != {name: count for name, count in rows.items() if count}:
            raise InputError(
                f"{self.name}: the row counts on its last line do not match its rows; "
                "nothing was restored"
            )
        return {table.name: rows.get(table.name, 0) for table in _tables()}


def _reader(table: Table, name: str) -> Callable[[Any], Any]:
    """Turns a value as written in the backup back into the column's Python value."""
    column = table.c[name]
    kind = column.type
    nullable = bool(column.nullable) and not column.primary_key

    def check(read: Callable[[Any], Any]) -> Callable[[Any], Any]:
        def value_of(value: Any) -> Any:
            if value is None:
                if not nullable:
                    raise ValueError("missing, and it may not be empty")
                return None
            return read(value)

        return value_of

    if isinstance(kind, UTCDateTime):

        def moment(value: Any) -> datetime:
            parsed = datetime.fromisoformat(_text(value))
            if parsed.tzinfo is None:
                raise ValueError(f"{value!r} has no time zone")
            return parsed

        return check(moment)
    if isinstance(kind, Date):
        return check(lambda value: date.fromisoformat(_text(value)))
    if isinstance(kind, Enum):
        members = kind.enums

        def member(value: Any) -> Any:
            if value not in members:
                raise ValueError(f"{value!r} is not one of {', '.join(members)}")
            return kind.enum_class(value) if kind.enum_class is not None else value

        return check(member)
    if isinstance(kind, JSONText):
        return check(lambda value: value)  # stored as JSON, read back as JSON
    if isinstance(kind, Boolean):

        def flag(value: Any) -> bool:
            if not isinstance(value, bool):
                raise ValueError(f"{value!r} is not true or false")
            return value

        return check(flag)
    if isinstance(kind, Integer):

        def number(value: Any) -> int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"{value!r} is not a whole number")
            return value

        return check(number)
    if isinstance(kind, String | Text):
        length = getattr(kind, "length", None)

        def words(value: Any) -> str:
            text = _text(value)
            if length is not None and len(text) > length:
                raise ValueError(f"longer than {length} characters")
            return text

        return check(words)
    raise StoreError(f"backups do not know the type of {table.name}.{name} ({kind})")


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not text")
    return value

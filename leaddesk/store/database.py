"""Opening a store: where it lives, how SQLite is tuned, and the schema check on open.

SQLite settings and why:
* WAL, so the window can read while a worker writes;
* foreign_keys on every connection (SQLite forgets it per connection);
* busy_timeout, so two processes on one file wait for each other instead of failing;
* synchronous=FULL: a call log the rep saw acknowledged must survive a power cut, and a
  rep logs a few hundred calls a day, so the extra fsync costs nothing anyone feels;
* write transactions start with BEGIN IMMEDIATE, so a read-then-write (a queue claim)
  takes the write lock up front instead of failing half-way with "database is locked".
"""

from __future__ import annotations

import os
import shlex
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, DBAPIError, StatementError
from sqlalchemy.orm import Session, sessionmaker

from leaddesk.domain import LARGEST_RECORD_NUMBER
from leaddesk.errors import Conflict, InputError, LeadDeskError, NotPermitted, StoreError
from leaddesk.files import writing as output_files
from leaddesk.files.reading import why_no_folder
from leaddesk.store import nul_guard, postgres_driver
from leaddesk.store.driver_statements import DriverConnection, InTransaction

ENV_URL = "LEADDESK_DATABASE_URL"
APP_NAME = "LeadDesk"
BUSY_TIMEOUT_MS = 30_000
# A pooled connection's info key: the WAL setting to put back when it returns to the pool
# (sqlite_tuning.hold_checkpoints).
HELD_CHECKPOINTS = "leaddesk_held_checkpoints"


def default_store_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "leaddesk.sqlite3"


def default_backup_folder() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "backups"


def resolve_location(location: str | os.PathLike[str] | None) -> URL:
    """``--db`` wins, then ``LEADDESK_DATABASE_URL``, then the per-user default file."""
    raw = os.fspath(location) if location is not None else os.environ.get(ENV_URL)
    if not raw:
        return URL.create("sqlite", database=str(default_store_path()))
    if "://" not in raw:
        return URL.create("sqlite", database=str(Path(raw).expanduser().resolve()))
    try:
        url = make_url(raw)
    except ArgumentError as exc:
        raise StoreError(f"not a database path or URL: {raw}", field="db") from exc
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if not (url.drivername.startswith("sqlite") or url.drivername.startswith("postgresql")):
        raise StoreError(
            f"LeadDesk works with SQLite or PostgreSQL, not {url.drivername}", field="db"
        )
    return url


@dataclass
class Store:
    """An open store: the engine plus short-lived sessions, one per operation."""

    url: URL
    engine: Engine
    _reads: sessionmaker[Session]
    _writes: sessionmaker[Session]
    # Run first in every write transaction: a window that was taken over is refused here, so
    # no write path can go around it (see leaddesk/sign_in/windows.py).
    # Given the transaction as a Session, a Connection or, for `next` on SQLite, the driver's
    # connection alone.
    write_guard: Callable[[InTransaction], None] | None = field(default=None, repr=False)
    # What a room works out from the store and keeps between calls, checked against the
    # store before it is relied on (the queue's facts for `next`: leaddesk/queue/kept_facts.py).
    kept: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)
    # Upkeep nobody waits for, each on a thread of its own (copying an export's WAL back into
    # the database): ``settled`` and ``close`` wait for it.
    _upkeep: list[threading.Thread] = field(default_factory=list, repr=False, compare=False)

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def path(self) -> Path | None:
        if self.is_sqlite and self.url.database and self.url.database != ":memory:":
            return Path(self.url.database)
        return None

    @cached_property
    def writing_engine(self) -> Engine:
        """The engine whose transactions begin as writes (SQLite: BEGIN IMMEDIATE)."""
        return self.engine.execution_options(leaddesk_write=True)

    @cached_property
    def label(self) -> str:
        """How messages name the store (worked out once: every transaction carries it)."""
        return str(self.path) if self.path else self.url.render_as_string(hide_password=True)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One write transaction: committed when the block ends, rolled back on error."""
        with worded(self.label), self._writes() as session, session.begin():
            self.guard_write(session)
            yield session

    def guard_write(self, where: InTransaction) -> None:
        if self.write_guard is not None:
            self.write_guard(where)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only snapshot; never takes the write lock."""
        with worded(self.label), self._reads() as session, session.begin():
            yield session

    @contextmanager
    def reading_connection(self) -> Iterator[Connection]:
        """A read-only snapshot on a bare connection, no Session: for a read whose answer is
        a row or two, where the Session's own begin, commit and close cost more than it."""
        with worded(self.label), self.engine.connect() as connection, connection.begin():
            yield connection

    @contextmanager
    def quick_reading(self) -> Iterator[Connection | DriverConnection]:
        """A read-only snapshot for a read a rep waits on (a search, the queue page), made
        only of driver statements (leaddesk/store/driver_statements.py). On SQLite it is
        the driver's own connection, with no SQLAlchemy Connection, transaction or pool reset
        around it (~35 µs of a 150 µs search); on PostgreSQL a bare Connection."""
        if not self.is_sqlite:
            with self.reading_connection() as connection:
                yield connection
            return
        with worded(self.label):
            raw = self.engine.raw_connection()
            try:
                driver = raw.driver_connection
                assert driver is not None, "a connection from the pool"
                driver.execute("BEGIN")
                try:
                    yield DriverConnection(self.engine.dialect, raw, self.engine)
                finally:
                    driver.rollback()  # read only: nothing to keep
            finally:
                raw.close()

    def upkeep(self, work: Callable[[], None], name: str) -> None:
        """Run ``work`` on a thread of its own, after the caller's transaction has committed:
        upkeep the store needs soon but nobody waits for. It opens its own connections."""
        self._upkeep[:] = [thread for thread in self._upkeep if thread.is_alive()]
        thread = threading.Thread(target=work, name=f"leaddesk-{name}")
        self._upkeep.append(thread)
        thread.start()

    def settled(self) -> None:
        """Wait for the store's upkeep to end."""
        while self._upkeep:
            self._upkeep.pop().join()

    def close(self) -> None:
        self.settled()
        self.engine.dispose()


@contextmanager
def worded(label: str) -> Iterator[None]:
    """Database errors the user can act on come out as messages (see ``store_trouble``)."""
    try:
        yield
    except StatementError as exc:
        if isinstance(exc.orig, LeadDeskError):
            # Raised while preparing a statement (a value refused): the user's, not a bug.
            raise exc.orig from None
        trouble = store_trouble(exc, label)
        if trouble is None:
            raise
        raise trouble from exc
    except Exception as exc:
        trouble = store_trouble(exc, label)
        if trouble is None:
            raise
        raise trouble from exc


def store_trouble(error: BaseException, label: str) -> LeadDeskError | None:
    """A database error the user can act on (the store busy, its disk full or gone), worded
    for them; None for anything else, which stays a bug to report."""
    cause = error.orig if isinstance(error, DBAPIError) else error
    if isinstance(cause, OverflowError) and "SQLite INTEGER" in str(cause):
        # SQLite's side of the same: a number past 64 bits names no record either.
        return InputError(
            f"No such record: that number is out of range (numbers go up to "
            f"{LARGEST_RECORD_NUMBER})."
        )
    state = getattr(cause, "sqlstate", None)  # PostgreSQL's error class
    # psycopg's own OperationalError without a class: the connection failed or was lost.
    lost = state is None and type(cause).__name__ == "OperationalError"
    lost = lost and type(cause).__module__.startswith("psycopg")
    if state is None and not lost and not isinstance(cause, sqlite3.Error):
        return None
    text = (str(cause).strip().splitlines() or [type(cause).__name__])[0]
    said = text.lower()
    if state in ("40001", "40P01", "55P03") or "database is locked" in said:
        return Conflict(f"The store is busy with another change ({text}); try again in a moment.")
    if state == "53100" or "disk is full" in said or "no space left" in said:
        return LeadDeskError(
            f"The disk holding the store {label} is full; free some space and try again. "
            "Nothing half-done was kept."
        )
    if state == "22003":
        # A number past PostgreSQL's 32-bit integers (a lead "#3000000000") names no record;
        # the entry points refuse such numbers, this says the same for any path they missed.
        return InputError(
            "No such record: that number is out of range "
            f"(numbers go up to {LARGEST_RECORD_NUMBER})."
        )
    if state == "42501":
        # A team database whose logins carry the roles: this login may not write that.
        return NotPermitted(f"The team database refused this to your login: {text}")
    if "readonly database" in said and state is None:
        # SQLite opened a file it may only read (its permissions) and this was a write.
        return NotPermitted(_read_only_message(Path(label)))
    if "unable to open database file" in said:
        return StoreError(
            f"The store {label} cannot be opened for this: {text}. Check that you may write "
            f"its folder {Path(label).parent}."
        )
    if lost or (state or "").startswith("08") or "disk i/o error" in said:
        return LeadDeskError(f"The store {label} cannot be reached or written: {text}")
    return None


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide where transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_connection: Any, record: Any) -> None:
        # A transaction that held the WAL back (sqlite_tuning.hold_checkpoints) gets the usual
        # setting back here, in the thread that used the connection.
        pages = record.info.pop(HELD_CHECKPOINTS, None)
        if pages is None or dbapi_connection is None:
            return
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA wal_autocheckpoint = {pages}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get("leaddesk_write", False)
        # Straight to the driver: every transaction starts here, and a statement through
        # SQLAlchemy costs more Python than SQLite takes to run it.
        connection.connection.driver_connection.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _tune_sqlite(engine)
    else:
        try:
            engine = create_engine(url, pool_pre_ping=True, pool_size=2, max_overflow=4)
        except ImportError as exc:  # SQLAlchemy imports the driver here
            if postgres_driver.is_driver_missing(exc):
                raise StoreError(postgres_driver.missing_message()) from exc
            raise
    nul_guard.guard(engine)
    return engine


def _read_only_message(path: Path) -> str:
    return (
        f"This store is read-only (file permissions): {path}. Ask whoever manages it for write "
        "access, or copy it to a folder of yours and open the copy with --db COPY."
    )


def _unwritable_folder_message(path: Path) -> str:
    return (
        f"The folder {path.parent} is not writable for you, and the store {path.name} needs it "
        "(SQLite keeps its journal beside the file). Ask for write access to the folder, or "
        "use a store in a folder of yours: --db ~/leaddesk.sqlite3"
    )


def require_writable(location: str | os.PathLike[str] | None) -> None:
    """Before the window opens: a SQLite store the user cannot write is refused, saying why,
    instead of failing on the rep's first N. (A server database decides per write.)"""
    url = resolve_location(location)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return
    path = Path(url.database or "")
    if path.exists() and not os.access(path, os.W_OK):
        raise NotPermitted(_read_only_message(path))
    folder = path.parent
    if folder.is_dir() and not os.access(folder, os.W_OK | os.X_OK):
        journals = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
        if not all(os.access(journal, os.W_OK) for journal in journals):
            raise NotPermitted(_unwritable_folder_message(path))


def is_new_local_store(location: str | os.PathLike[str] | None) -> Path | None:
    """The path of a SQLite store that does not exist yet (opening it would create it)."""
    url = resolve_location(location)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    path = Path(url.database or "")
    return None if path.exists() else path


def open_store(
    location: str | os.PathLike[str] | None = None,
    *,
    create: bool = True,
    migrate: bool = True,
) -> Store:
    """Open (and with ``create`` make) a store, upgrading an older schema after a backup.

    A store written by a newer LeadDesk is refused rather than risked.
    """
    from leaddesk.store import migrations

    url = resolve_location(location)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        path = Path(url.database or "")
        if not path.exists():
            if not create:
                # The hint is run as shown: without --db, init would make the default store.
                db = "" if location is None else f"--db {shlex.quote(str(path))} "
                raise StoreError(f"No LeadDesk store at {path}. Create one with: leaddesk {db}init")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                why = why_no_folder(path, exc)
                raise StoreError(
                    f"cannot make the folder for {path}: {why}; choose a folder of yours",
                    field="db",
                ) from exc
            if not os.access(path.parent, os.W_OK | os.X_OK):
                raise NotPermitted(
                    f"Cannot create the store {path}: the folder {path.parent} is not writable "
                    "for you. Choose a folder of yours (--db ~/leaddesk.sqlite3) or ask for "
                    "write access to it."
                )
        elif path.is_dir():
            raise StoreError(f"{path} is a folder, not a store file", field="db")
    engine = make_engine(url)
    try:
        with engine.connect() as probe:
            # Reading the schema, not just "SELECT 1": a file that is not a database (or is
            # damaged) says so here, before anything is written to it.
            probe.exec_driver_sql(
                "SELECT count(*) FROM sqlite_master"
                if url.get_backend_name() == "sqlite"
                else "SELECT 1"
            )
    except DatabaseError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        if "unable to open database file" in reason and url.database:
            path = Path(url.database)
            if not os.access(path.parent, os.W_OK | os.X_OK):
                raise NotPermitted(_unwritable_folder_message(path)) from exc
        raise StoreError(f"Cannot open the store {_safe(url)}: {reason}") from exc
    store = Store(
        url=url,
        engine=engine,
        _reads=sessionmaker(engine, expire_on_commit=False),
        _writes=sessionmaker(engine.execution_options(leaddesk_write=True), expire_on_commit=False),
    )
    try:
        if migrate:
            migrations.bring_up_to_date(store)
        else:
            migrations.check_not_newer(store)
    except BaseException:
        store.close()
        raise
    return store


def _safe(url: URL) -> str:
    return url.database or "" if url.get_backend_name() == "sqlite" else url.render_as_string()


def backup_sqlite(store: Store, destination: Path) -> Path:
    """A consistent copy of a live SQLite store, written under a fresh temporary name (made
    with O_EXCL, so a link planted there is never followed) and linked into place, never over
    a file that is there."""
    source = store.path
    if source is None:
        raise StoreError("Backups of a server database are taken with the server's own tools")
    destination = destination.parent.resolve() / destination.name  # the name itself: not followed
    what = "the copy kept before an upgrade"
    output_files.refuse_existing(destination, what)
    handle, temporary = output_files.new_temporary(destination.parent, destination.name)
    try:
        made = os.fstat(handle)
        src = sqlite3.connect(str(source))
        try:
            dst = sqlite3.connect(str(temporary))
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        written = os.stat(temporary, follow_symlinks=False)
        if (written.st_dev, written.st_ino) != (made.st_dev, made.st_ino):
            raise StoreError(f"{temporary} was replaced while the copy was written; try again")
        os.fsync(handle)
        output_files.place(temporary, destination, what)
    finally:
        os.close(handle)
        temporary.unlink(missing_ok=True)
    return destination


def backup_name(path: Path, revision: str | None) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return path.with_name(f"{path.name}.before-upgrade-from-{revision}-{stamp}.bak")


def table_names(store: Store) -> set[str]:
    return set(inspect(store.engine).get_table_names())


def catch_up_sequences(connection: Connection, tables: Iterable[str]) -> None:
    """PostgreSQL, after rows were written with ids given: each table's id sequence moves past
    its highest id, so the next row the app adds gets a free one. (SQLite needs nothing.)"""
    if connection.dialect.name != "postgresql":
        return
    quote = connection.dialect.identifier_preparer.quote
    for table in tables:
        # An empty table: the sequence starts again at 1 (is_called false).
        connection.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), coalesce(max(id), 1), "
            f"max(id) IS NOT NULL) FROM {quote(table)}",
            (table,),
        )

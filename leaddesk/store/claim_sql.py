"""The write transaction claims are taken in, with its commit tuned (docs/architecture.md §5).

Taking, renewing and releasing a lease must be fast; the sync levels that make it so are raw
driver SQL (a SQLite pragma, a PostgreSQL ``SET LOCAL``), which sits here in ``store/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from leaddesk.store.database import Store, worded
from leaddesk.store.driver_statements import DriverConnection


@contextmanager
def lease_transaction(store: Store) -> Iterator[Session]:
    """A write transaction for claims: taking, renewing and releasing leases.

    On SQLite it commits without waiting for the disk (synchronous=NORMAL; the store's own
    setting, FULL, is put back before the connection is reused). In WAL mode that is still
    atomic and survives a killed process; only a power cut can forget the newest leases,
    which costs nothing but a lead coming back to the queue early. Call logs, verdicts and
    everything else keep FULL. This is what keeps `next` within a few milliseconds: an
    fsync on this class of disk alone takes about 4 ms. PostgreSQL gets the same trade with
    ``synchronous_commit = off`` for the lease's transaction only.
    """
    if not store.is_sqlite:
        with store.transaction() as session:
            # The same trade on PostgreSQL: no wait for the WAL flush, for this transaction only.
            session.connection().exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
            yield session
        return
    # The session joins the connection's transaction; its changes are flushed here and
    # committed with the connection's transaction.
    with (
        _leased(store) as connection,
        Session(bind=connection, expire_on_commit=False) as session,
    ):
        yield session
        session.flush()


@contextmanager
def lease_connection(store: Store) -> Iterator[Connection | DriverConnection]:
    """A claim's write transaction on a bare connection, no ORM session: `next` runs its few
    statements straight on it (leaddesk/store/driver_statements.py). SQLite commits it as
    ``lease_transaction`` says; on PostgreSQL the claim statement itself turns off the wait
    for the WAL flush (no extra round trip).

    On SQLite it is the driver's connection alone: SQLAlchemy's Connection, its transaction
    and the pool's events around it were about a sixth of `next`. A write guard (a window
    holding its lease, leaddesk/sign_in/windows.py) checks on it first, in the same
    transaction: a window another took over claims nothing."""
    if not store.is_sqlite:
        with _leased(store) as connection:
            yield connection
        return
    with worded(store.label):
        raw = store.engine.raw_connection()
        try:
            driver = raw.driver_connection
            assert driver is not None, "a connection from the pool"
            driver.execute("PRAGMA synchronous = NORMAL")
            try:
                driver.execute("BEGIN IMMEDIATE")
                try:
                    alone = DriverConnection(store.engine.dialect, raw, store.engine)
                    store.guard_write(alone)
                    yield alone
                except BaseException:
                    driver.rollback()
                    raise
                driver.commit()
            finally:
                driver.execute("PRAGMA synchronous = FULL")
        finally:
            raw.close()


@contextmanager
def _leased(store: Store) -> Iterator[Connection]:
    """The lease's transaction on a SQLAlchemy Connection, the write guard checked first."""
    with worded(store.label), store.writing_engine.connect() as connection:
        dbapi = connection.connection.dbapi_connection
        assert dbapi is not None
        if store.is_sqlite:
            dbapi.execute("PRAGMA synchronous = NORMAL")
        try:
            with connection.begin():
                store.guard_write(connection)
                yield connection
        finally:
            if store.is_sqlite:
                dbapi.execute("PRAGMA synchronous = FULL")

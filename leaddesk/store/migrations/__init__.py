"""Schema migrations (Alembic), applied when a store is opened.

Forward only. Each revision is tested against a real store made by the version before it
(tests/data). SQLite gets batch mode (copy-and-move table rebuilds) with foreign keys off
for the duration, since SQLite cannot alter most constraints in place.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from leaddesk.errors import StoreError

if TYPE_CHECKING:
    from alembic.config import Config

    from leaddesk.store.database import Store

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent

# The newest revision in versions/. Kept here so opening an up-to-date store needs one
# SELECT instead of loading Alembic (a test keeps it equal to Alembic's own head).
SCHEMA_HEAD = "0035"
# The advisory lock one upgrader of a PostgreSQL store holds (a number no other lock uses).
UPGRADE_LOCK = 0x4C44_5550  # "LDUP"
# How long an opener of a SQLite store waits for another LeadDesk's upgrade of it.
_UPGRADE_WAIT_MS = 15 * 60 * 1000
# PostgreSQL's "deadlock detected", and how many times an upgrade it rolled back is run.
_DEADLOCK = "40P01"
_TRIES = 3
# Search's indexes no model describes (migration 0019): SQLite's FTS5 table with its own
# shadow tables, filled by triggers and left out of backups, and PostgreSQL's trigram index;
# and SQLite's table of the store's zone keys, kept by triggers the same way (0028).
SEARCH_INDEXES = ("lead_search", "ix_people_full_name_trgm", "zone_keys")


def is_search_index(name: str | None) -> bool:
    return name is not None and any(
        name == known or name.startswith(known + "_") for known in SEARCH_INDEXES
    )


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(HERE))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the migration scripts have no head"
    return head


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def current_revision(store: Store) -> str | None:
    with store.engine.connect() as connection:
        try:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except DBAPIError:
            return None  # no version table: an empty database


def _version_once_alone(connection: Connection) -> str | None:
    """The store's schema version, read once this connection holds the upgrade lock (the
    transaction begins here and keeps the lock until it ends)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": UPGRADE_LOCK})
        if connection.execute(text("SELECT to_regclass('alembic_version')")).scalar() is None:
            return None
    try:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:
        return None  # SQLite, an empty store: no version table (the transaction goes on)


def check_not_newer(store: Store) -> str | None:
    revision = current_revision(store)
    if revision is not None and revision != SCHEMA_HEAD and revision not in known_revisions():
        raise StoreError(
            f"The store {store.label} was written by a newer LeadDesk (schema {revision}). "
            "Update LeadDesk to open it; nothing was changed."
        )
    return revision


def bring_up_to_date(store: Store) -> None:
    from leaddesk.store.database import table_names

    if current_revision(store) == SCHEMA_HEAD:
        return
    revision = check_not_newer(store)
    head = head_revision()
    if revision == head:
        return
    if revision is None and "leads" in table_names(store):
        raise StoreError(f"{store.label} holds tables but is not a LeadDesk store")
    upgrade(store, head, keep_a_copy=store.path is not None)


def upgrade(store: Store, target: str = "head", *, keep_a_copy: bool = False) -> None:
    """Bring the store's tables to ``target``, one upgrader at a time.

    Several LeadDesks may open an older store at the same moment (a team signing in the
    morning after an update; the window and a scheduled sync). The first takes the store's
    upgrade lock, the others wait for it and then find the work done: on PostgreSQL a
    transaction-scoped advisory lock, on SQLite the write lock (BEGIN IMMEDIATE), both taken
    before the schema's version is read. With ``keep_a_copy`` a SQLite store is copied beside
    itself first, by the one upgrader, under that lock.

    The upgrade is one transaction. On PostgreSQL a transaction of a LeadDesk still working
    on the store can need a table the upgrade holds while holding one it needs; the server
    then rolls one of them back (a deadlock). If that is the upgrade, it runs again.
    """
    for attempt in range(1, _TRIES + 1):
        try:
            _upgrade_once(store, target, keep_a_copy=keep_a_copy)
            return
        except DBAPIError as exc:
            if attempt == _TRIES or getattr(exc.orig, "sqlstate", None) != _DEADLOCK:
                raise
            log.warning(
                "the upgrade of %s and another transaction waited on each other; the server "
                "rolled the upgrade back whole; it runs again (try %d of %d)",
                store.label,
                attempt + 1,
                _TRIES,
            )


def _upgrade_once(store: Store, target: str, *, keep_a_copy: bool) -> None:
    from alembic import command

    from leaddesk.store import grants
    from leaddesk.store.database import BUSY_TIMEOUT_MS, backup_name, backup_sqlite

    sqlite = store.is_sqlite
    engine = store.writing_engine if sqlite else store.engine
    with engine.connect() as connection:
        if sqlite:
            # Must happen outside a transaction, or SQLite ignores it.
            raw = connection.connection.dbapi_connection
            raw.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
            # Another LeadDesk's upgrade of a big store takes longer than a write usually waits.
            raw.execute(f"PRAGMA busy_timeout = {_UPGRADE_WAIT_MS}")  # type: ignore[union-attr]
        try:
            revision = _version_once_alone(connection)
            if keep_a_copy and store.path and revision not in (None, head_revision()):
                copy = backup_sqlite(store, backup_name(store.path, revision))
                log.info("store upgraded from %s; the old one is kept at %s", revision, copy)
            command.upgrade(alembic_config(connection), target)
            if target in ("head", SCHEMA_HEAD) and grants.has_grants(connection):
                # The logins' rights and guards cover new tables too. (A restore stops at the
                # backup's older schema first; its rights come when it reaches the head.)
                grants.apply_grants(connection)
            connection.commit()
        finally:
            if sqlite:
                raw.execute("PRAGMA foreign_keys = ON")  # type: ignore[union-attr]
                raw.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")  # type: ignore[union-attr]
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            connection.rollback()
            if broken:
                raise StoreError(
                    f"The upgrade left broken references in {store.label}: {broken[:3]}"
                )

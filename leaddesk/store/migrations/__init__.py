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
SCHEMA_HEAD = "0034"
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


def check_not_newer(store: Store) -> str | None:
    revision = current_revision(store)
    if revision is not None and revision != SCHEMA_HEAD and revision not in known_revisions():
        raise StoreError(
            f"The store {store.label} was written by a newer LeadDesk (schema {revision}). "
            "Update LeadDesk to open it; nothing was changed."
        )
    return revision


def bring_up_to_date(store: Store) -> None:
    from leaddesk.store.database import backup_name, backup_sqlite, table_names

    if current_revision(store) == SCHEMA_HEAD:
        return
    revision = check_not_newer(store)
    head = head_revision()
    if revision == head:
        return
    if revision is None and "leads" in table_names(store):
        raise StoreError(f"{store.label} holds tables but is not a LeadDesk store")
    if revision is not None and store.path is not None:
        copy = backup_sqlite(store, backup_name(store.path, revision))
        log.info("store upgraded from %s; the old one is kept at %s", revision, copy)
    upgrade(store, head)


def upgrade(store: Store, target: str = "head") -> None:
    from alembic import command

    from leaddesk.store import grants

    with store.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Must happen outside a transaction, or SQLite ignores it.
            connection.connection.dbapi_connection.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
        try:
            command.upgrade(alembic_config(connection), target)
            if target in ("head", SCHEMA_HEAD) and grants.has_grants(connection):
                # The logins' rights and guards cover new tables too. (A restore stops at the
                # backup's older schema first; its rights come when it reaches the head.)
                grants.apply_grants(connection)
            connection.commit()
        finally:
            if sqlite:
                connection.connection.dbapi_connection.execute("PRAGMA foreign_keys = ON")  # type: ignore[union-attr]
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            connection.rollback()
            if broken:
                raise StoreError(
                    f"The upgrade left broken references in {store.label}: {broken[:3]}"
                )

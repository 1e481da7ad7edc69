"""A test's PostgreSQL database as a fresh copy of the worker's migrated template, made cheaply.

Copying the template (``CREATE DATABASE … TEMPLATE``) costs 0.1–0.5 s of the server's time on
the 2-core machine, for each of some 800 PostgreSQL tests. Most tests only add rows: their
database still has the template's schema, rights and functions, and emptying its tables gives
the same database a copy would. So after a copy the database's *shape* is fingerprinted (every
relation, column, constraint, trigger, function and grant in ``public``, the database's own
rights and settings, the schema version), and the next test's set-up empties the tables in
place when the fingerprint still matches; a test that changed the shape (a migration test, a
restore into an emptied schema, a login's grants) gets a real copy again.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import URL, Connection, create_engine, text
from sqlalchemy.exc import DBAPIError

# The database's shape, not its rows. Everything a test could leave changed besides rows.
_SHAPE = text(
    """
    SELECT md5(string_agg(part, '|' ORDER BY part)) FROM (
      SELECT concat_ws(':', 'rel', c.relname, c.relkind::text, c.relowner::text,
                       c.relrowsecurity::text, c.relacl::text) AS part
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public'
      UNION ALL
      SELECT concat_ws(':', 'col', a.attrelid::regclass::text, a.attname, a.atttypid::text,
                       a.attnotnull::text, a.attacl::text, pg_get_expr(d.adbin, d.adrelid))
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       WHERE n.nspname = 'public' AND a.attnum > 0 AND NOT a.attisdropped
      UNION ALL
      SELECT concat_ws(':', 'idx', indexname, indexdef) FROM pg_indexes
       WHERE schemaname = 'public'
      UNION ALL
      SELECT concat_ws(':', 'con', conrelid::regclass::text, conname,
                       pg_get_constraintdef(oid))
        FROM pg_constraint WHERE connamespace = 'public'::regnamespace
      UNION ALL
      SELECT concat_ws(':', 'trg', tgrelid::regclass::text, tgname, tgenabled::text,
                       pg_get_triggerdef(oid))
        FROM pg_trigger WHERE NOT tgisinternal
      UNION ALL
      SELECT concat_ws(':', 'fn', p.proname, md5(p.prosrc), p.prosecdef::text,
                       p.proowner::text, p.proacl::text, p.proconfig::text)
        FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
      UNION ALL
      SELECT concat_ws(':', 'type', typname) FROM pg_type
       WHERE typnamespace = 'public'::regnamespace
      UNION ALL
      SELECT concat_ws(':', 'ns', nspname, nspowner::text, nspacl::text) FROM pg_namespace
       WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'
      UNION ALL
      SELECT concat_ws(':', 'ext', extname, extversion) FROM pg_extension
      UNION ALL
      SELECT concat_ws(':', 'db', datacl::text, datdba::text) FROM pg_database
       WHERE datname = current_database()
      UNION ALL
      SELECT concat_ws(':', 'set', setrole::text, setconfig::text) FROM pg_db_role_setting
       WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
      UNION ALL
      SELECT concat_ws(':', 'defacl', defaclrole::text, defaclobjtype::text, defaclacl::text)
        FROM pg_default_acl
      UNION ALL
      SELECT 'version:' || version_num FROM alembic_version
    ) AS shape
    """
)

_TABLES = text(
    "SELECT quote_ident(tablename) FROM pg_tables "
    "WHERE schemaname = 'public' AND tablename <> 'alembic_version' ORDER BY tablename"
)
_SEQUENCES = text(
    "SELECT quote_ident(relname) FROM pg_class "
    "WHERE relkind = 'S' AND relnamespace = 'public'::regnamespace ORDER BY relname"
)


@dataclass
class _Known:
    """What a worker's database looked like: the template it was copied from, its shape as a
    fresh copy, and its shape once a team's logins were given their rights (a second shape a
    team's set-up may start from: it grants the same rights again)."""

    template: str
    fresh: str
    with_team: str | None = None


_known: dict[str, _Known] = {}


def fresh_copy(url: URL, name: str, *, template: str, for_team: bool = False) -> bool:
    """Leave database ``name`` equal to a fresh copy of ``template``: its tables emptied in
    place when its shape is still the template's, else dropped and copied again. With
    ``for_team`` the shape a team's set-up left (its logins' rights) is accepted too; True
    when that is the shape it was emptied in."""
    known = _known.get(name)
    if known is not None and known.template == template:
        shapes = {known.fresh}
        if for_team and known.with_team is not None:
            shapes.add(known.with_team)
        found = _emptied(url.set(database=name), shapes)
        if found is not None:
            return found == known.with_team
    _known.pop(name, None)
    _copy(url, name, template)
    _known[name] = _Known(template, _shape_of(url.set(database=name)))
    return False


def team_set_up(url: URL, name: str) -> None:
    """A team's logins were given their rights in ``name``: remember the shape that left.
    Once known it is not read again: a team's set-up on a fresh copy or on a database emptied
    in place leaves the same rights (the second finds them in step and sends none)."""
    known = _known.get(name)
    if known is not None and known.with_team is None:
        known.with_team = _shape_of(url.set(database=name))


def forget(name: str) -> None:
    """``name`` was dropped or remade outside :func:`fresh_copy`."""
    _known.pop(name, None)


def _copy(url: URL, name: str, template: str) -> None:
    engine = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(
                text(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
            )
    finally:
        engine.dispose()


def _shape_of(url: URL) -> str:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            return str(connection.execute(_SHAPE).scalar_one())
    finally:
        engine.dispose()


def _emptied(url: URL, shapes: set[str]) -> str | None:
    """Empty every table of ``url``'s database if its shape is one of ``shapes``: that shape,
    or None (nothing emptied)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            _close_others(connection)
            shape = str(connection.execute(_SHAPE).scalar_one())
            if shape not in shapes:
                return None
            _empty_all(connection)
            return shape
    except DBAPIError:  # gone, emptied to no schema at all, or the server would not let us in
        return None
    finally:
        engine.dispose()


def _close_others(connection: Connection) -> None:
    """What a test left connected would hold locks the emptying waits for."""
    connection.execute(
        text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    )


def _empty_all(connection: Connection) -> None:
    """Delete every row and restart every sequence, in one round trip. (``TRUNCATE`` makes new
    files for each table and index: 0.1 s here against 5 ms for deleting a test's few rows.)
    The store's own guards refuse to empty the audit trail; a test's set-up is no user, so
    triggers are set aside for it (the superuser's replication role)."""
    tables = connection.execute(_TABLES).scalars().all()
    sequences = connection.execute(_SEQUENCES).scalars().all()
    statements = [
        "SET session_replication_role = replica",
        *(f"DELETE FROM {table}" for table in tables),
        *(f"SELECT setval('{sequence}', 1, false)" for sequence in sequences),
        "SET session_replication_role = DEFAULT",
    ]
    connection.exec_driver_sql("; ".join(statements))

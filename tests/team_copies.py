"""A team database with its four logins, set up once per test worker and put back per test.

Setting a team up (an admin, the shipped definition, four users, their logins and their
rights, all through the desk) took 0.2 s alone and up to 1 s on the busy 2-core machine, for
each of some 70 tests. After the first set-up the worker keeps its rows (``COPY … TO``) and
its logins: the logins are the whole server's, so they outlive the test, and the database
keeps their rights when its tables are emptied in place (``postgres_copies``). The next
test's set-up puts the same rows back (``COPY … FROM``, the store's guards set aside as for
the emptying) when all of this still holds:

* the database was emptied in place with the shape a team's set-up leaves (its grants),
* the same template and the same clock reading as the kept set-up,
* the logins and the database's groups exactly as the set-up left them: attributes,
  password hashes, memberships (who is in a group, what a login is in), settings.

A test that changed a login (its password, its group, its state), dropped one, or left
another login in a group fails the last check: the next set-up drops the kept logins and
makes a team of new ones, as every set-up did before. The kept logins are dropped at the end
of the worker's session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import psycopg
from psycopg import sql

from leaddesk.domain import Role
from leaddesk.store import grants

# The logins and this database's groups as the server holds them (superuser's catalog).
_ROLES = """
SELECT md5(coalesce(string_agg(part, '|' ORDER BY part), '')) FROM (
  SELECT concat_ws(':', 'role', a.oid::text, a.rolname, a.rolsuper::text, a.rolinherit::text,
                   a.rolcreaterole::text, a.rolcreatedb::text, a.rolcanlogin::text,
                   a.rolreplication::text, a.rolbypassrls::text, a.rolconnlimit::text,
                   a.rolpassword, a.rolvaliduntil::text) AS part
    FROM pg_authid a WHERE a.rolname = ANY(%(names)s)
  UNION ALL
  SELECT concat_ws(':', 'member', g.rolname, u.rolname, m.admin_option::text,
                   m.grantor::text)
    FROM pg_auth_members m
    JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
   WHERE g.rolname = ANY(%(names)s) OR u.rolname = ANY(%(names)s)
  UNION ALL
  SELECT concat_ws(':', 'set', r.rolname, s.setdatabase::text, s.setconfig::text)
    FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole
   WHERE r.rolname = ANY(%(names)s)
) AS roles
"""

_TABLES = (
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
    "AND tablename <> 'alembic_version' ORDER BY tablename"
)
_SEQUENCES = (
    "SELECT c.relname FROM pg_class c "
    "WHERE c.relkind = 'S' AND c.relnamespace = 'public'::regnamespace ORDER BY c.relname"
)


@dataclass
class _Kept:
    """A worker's team set-up: what it was made from, its logins, its rows."""

    template: str
    at: datetime
    logins: tuple[str, ...]
    roles: str  # the fingerprint of the logins and groups just after the set-up
    rows: list[tuple[str, bytes]]  # (table, its rows in COPY's binary format)
    sequences: list[tuple[str, int, bool]]  # (sequence, last value, is called)


_kept: dict[str, _Kept] = {}  # by database name


def _names(connection: psycopg.Connection, logins: tuple[str, ...]) -> list[str]:
    database = str(connection.execute("SELECT current_database()").fetchone()[0])  # type: ignore[index]
    return [*logins, *(grants.group_name(database, role) for role in Role)]


def _roles(connection: psycopg.Connection, logins: tuple[str, ...]) -> str:
    found = connection.execute(_ROLES, {"names": _names(connection, logins)}).fetchone()
    assert found is not None
    return str(found[0])


def reuse(
    url: str, name: str, *, template: str, at: datetime, team_shaped: bool
) -> tuple[str, ...] | None:
    """Put the kept team set-up back into ``name`` (``url``; just emptied in place, in the
    shape a team's set-up leaves if ``team_shaped``) if it still holds (see the module's
    docstring): its logins, else None. Where it does not, its logins are dropped and it is
    forgotten."""
    kept = _kept.pop(name, None)
    if kept is None:
        return None
    with psycopg.connect(url, autocommit=True) as connection:
        if (
            team_shaped
            and kept.template == template
            and kept.at == at
            and _roles(connection, kept.logins) == kept.roles
        ):
            _put_back(connection, kept)
            _kept[name] = kept
            return kept.logins
        _drop(connection, kept.logins)
    return None


def _put_back(connection: psycopg.Connection, kept: _Kept) -> None:
    with connection.transaction():
        connection.execute("SET LOCAL session_replication_role = replica")
        for table, data in kept.rows:
            statement = sql.SQL("COPY {} FROM STDIN (FORMAT BINARY)").format(sql.Identifier(table))
            with connection.cursor().copy(statement) as copy:
                copy.write(data)
        for sequence, value, called in kept.sequences:
            connection.execute(
                "SELECT setval(%s::regclass, %s, %s)",
                (sql.Identifier(sequence).as_string(connection), value, called),
            )


def keep(url: str, name: str, *, template: str, at: datetime, logins: tuple[str, ...]) -> None:
    """Remember the team just set up in ``name`` (its rows, its logins' state) for reuse."""
    with psycopg.connect(url, autocommit=True) as connection:
        rows: list[tuple[str, bytes]] = []
        for (table,) in connection.execute(_TABLES).fetchall():
            statement = sql.SQL("COPY {} TO STDOUT (FORMAT BINARY)").format(sql.Identifier(table))
            cursor = connection.cursor()
            with cursor.copy(statement) as copy:
                data = b"".join(bytes(block) for block in copy)
            if cursor.rowcount > 0:
                rows.append((str(table), data))
        sequences: list[tuple[str, int, bool]] = []
        for (sequence,) in connection.execute(_SEQUENCES).fetchall():
            value, called = connection.execute(
                sql.SQL("SELECT last_value, is_called FROM {}").format(sql.Identifier(sequence))
            ).fetchone()  # type: ignore[misc]
            sequences.append((str(sequence), int(value), bool(called)))
        roles = _roles(connection, logins)
    _kept[name] = _Kept(template, at, logins, roles, rows, sequences)


def _drop(connection: psycopg.Connection, logins: tuple[str, ...]) -> None:
    for login in logins:
        connection.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(login)))


def forget_all(server_url: str) -> None:
    """Drop every kept team's logins (at the end of the worker's session)."""
    with psycopg.connect(server_url, autocommit=True) as connection:
        while _kept:
            _drop(connection, _kept.popitem()[1].logins)

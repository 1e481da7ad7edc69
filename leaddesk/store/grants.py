"""A team database that enforces the roles itself (DESIGN.md §2), so no SQL prompt gets round them.

On PostgreSQL each LeadDesk user may get a database login of their own, a member of one group
role per LeadDesk role. The groups may read everything but write only what their role may
change: a qualifier's or team lead's login cannot write an opportunity or sales' feedback, a
salesperson's cannot change a verdict or the answers behind it. The desk opened on such a login
acts as that user only (``login_user``), so the app's own checks and the database's agree.

Group roles belong to one database (their names carry it): a cluster may hold several teams.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import Connection, inspect

from leaddesk.domain import Role
from leaddesk.errors import InputError

# What each role's login may only read. Everything else in the store it may also write.
READ_ONLY: dict[Role, frozenset[str]] = {
    Role.QUALIFIER: frozenset(
        {"opportunity_refs", "sales_feedback", "users", "definition_versions"}
    ),
    Role.TEAM_LEAD: frozenset({"opportunity_refs", "sales_feedback"}),
    Role.SALES: frozenset(
        {"verdicts", "answers", "users", "definition_versions", "do_not_call_entries"}
    ),
    Role.ADMIN: frozenset({"opportunity_refs", "sales_feedback", "verdicts", "answers"}),
}
# What a role's login may read and add to, never change or remove: a rep puts someone who
# said "take me off your list" on the do-not-call list; only team leads and admins take
# anyone off it.
ADD_ONLY: dict[Role, frozenset[str]] = {Role.QUALIFIER: frozenset({"do_not_call_entries"})}
# The schema's own bookkeeping: only the store's owner moves it (by upgrading).
_OWNER_ONLY = frozenset({"alembic_version"})
_MOST_NAME_BYTES = 63  # PostgreSQL cuts longer names short, which could make two groups one


def group_name(database: str, role: Role) -> str:
    """The group role of ``role``'s logins in ``database``."""
    name = f"leaddesk_{database}_{role.value}"
    if len(name.encode()) > _MOST_NAME_BYTES:
        short = hashlib.sha256(database.encode()).hexdigest()[:12]
        name = f"leaddesk_{short}_{role.value}"
    return name


def _database(connection: Connection) -> str:
    return str(connection.exec_driver_sql("SELECT current_database()").scalar_one())


def _quote(connection: Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote_identifier(name)


def _role_exists(connection: Connection, name: str) -> bool:
    found = connection.exec_driver_sql("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,))
    return found.scalar() is not None


def _require_postgresql(connection: Connection) -> None:
    if connection.dialect.name != "postgresql":
        raise InputError(
            "Database logins exist on a team database (PostgreSQL) only; a SQLite store is "
            "protected by its file's permissions."
        )


def apply_grants(connection: Connection) -> list[str]:
    """Make the database's group roles (if missing) and give each exactly its role's rights on
    every table there is now. Safe to run again, and run again after an upgrade adds tables.
    Returns the group names."""
    _require_postgresql(connection)
    database = _database(connection)
    tables = set(inspect(connection).get_table_names(schema="public"))
    q = _quote
    groups = []
    for role, read_only in READ_ONLY.items():
        group = group_name(database, role)
        groups.append(group)
        if not _role_exists(connection, group):
            # Two sessions may race to make it: the loser finds it made.
            connection.exec_driver_sql(
                "DO $$ BEGIN "
                f"CREATE ROLE {q(connection, group)} NOLOGIN; "
                "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
            )
        g = q(connection, group)
        connection.exec_driver_sql(f"GRANT CONNECT ON DATABASE {q(connection, database)} TO {g}")
        connection.exec_driver_sql(f"GRANT USAGE ON SCHEMA public TO {g}")
        connection.exec_driver_sql(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {g}")
        connection.exec_driver_sql(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {g}")
        add_only = ADD_ONLY.get(role, frozenset()) & tables
        writable = sorted(tables - read_only - add_only - _OWNER_ONLY)
        if writable:
            names = ", ".join(f"public.{q(connection, table)}" for table in writable)
            connection.exec_driver_sql(f"GRANT INSERT, UPDATE, DELETE ON {names} TO {g}")
        if add_only:
            names = ", ".join(f"public.{q(connection, table)}" for table in sorted(add_only))
            connection.exec_driver_sql(f"GRANT INSERT ON {names} TO {g}")
        connection.exec_driver_sql(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {g}")
    # Nobody else may connect: not a login of another team, not PUBLIC.
    connection.exec_driver_sql(f"REVOKE CONNECT ON DATABASE {q(connection, database)} FROM PUBLIC")
    return groups


def has_grants(connection: Connection) -> bool:
    """True when this database's group roles exist (its team uses database logins)."""
    if connection.dialect.name != "postgresql":
        return False
    return _role_exists(connection, group_name(_database(connection), Role.QUALIFIER))


def set_login(
    connection: Connection, name: str, role: Role, *, password: str | None, active: bool = True
) -> bool:
    """Give the LeadDesk user ``name`` a database login in ``role``'s group (True when it was
    made now), or bring an existing one in line: its group, its password if one is given, and
    whether it may log in at all."""
    _require_postgresql(connection)
    database = _database(connection)
    q = _quote
    login = q(connection, name)
    ours = _groups_of(connection, name, database)
    made = False
    if not _role_exists(connection, name):
        if password is None:
            raise InputError(f"{name} has no database login yet; give it a password.")
        connection.exec_driver_sql(f"CREATE ROLE {login} LOGIN")
        made = True
    elif not ours:
        raise InputError(
            f"A database login named {name} already exists for something other than this "
            "LeadDesk store (logins are shared by every database on the server); add the "
            "person under another user name, or ask the server's owner about that login."
        )
    if password is not None:
        # PostgreSQL takes no bound parameters in ALTER ROLE: the driver quotes it as a literal.
        connection.exec_driver_sql(f"ALTER ROLE {login} PASSWORD {_literal(connection, password)}")
    connection.exec_driver_sql(f"ALTER ROLE {login} {'LOGIN' if active else 'NOLOGIN'}")
    wanted = group_name(database, role)
    for group in ours:
        if group != wanted:
            connection.exec_driver_sql(f"REVOKE {q(connection, group)} FROM {login}")
    if wanted not in ours:
        connection.exec_driver_sql(f"GRANT {q(connection, wanted)} TO {login}")
    return made


def follow_user(connection: Connection, name: str, role: Role, *, active: bool) -> None:
    """After a user's role or state changed in LeadDesk: their login (if any) follows."""
    if connection.dialect.name != "postgresql":
        return
    if _groups_of(connection, name, _database(connection)):
        set_login(connection, name, role, password=None, active=active)


def login_user(connection: Connection) -> str | None:
    """The LeadDesk user this connection's login belongs to, or None for the store's owner
    (or any login outside this database's groups)."""
    if connection.dialect.name != "postgresql":
        return None
    name = str(connection.exec_driver_sql("SELECT current_user").scalar_one())
    return name if _groups_of(connection, name, _database(connection)) else None


def _groups_of(connection: Connection, name: str, database: str) -> list[str]:
    """This database's LeadDesk groups the role ``name`` is a direct member of."""
    groups = [group_name(database, role) for role in READ_ONLY]
    found = connection.exec_driver_sql(
        "SELECT g.rolname FROM pg_auth_members m "
        "JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member "
        "WHERE u.rolname = %s AND g.rolname = ANY(%s)",
        (name, groups),
    )
    return [str(row[0]) for row in found]


def _literal(connection: Connection, text: str) -> str:
    from psycopg import sql  # the PostgreSQL driver, there whenever this runs

    if "\x00" in text:
        raise InputError("A password cannot contain a NUL character.")
    return sql.Literal(text).as_string(connection.connection.driver_connection)

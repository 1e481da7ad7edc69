"""A team database that enforces the roles itself (docs/architecture.md §2), so no SQL prompt
gets round them.

On PostgreSQL each LeadDesk user may get a database login of their own, a member of one group
role per LeadDesk role. The groups may read everything but write only what their role may
change, table by table and column by column (``leaddesk.store.rights``), and row by row
(``leaddesk.store.guards``): a qualifier's or team lead's login cannot write an opportunity,
sales' feedback or a sales stage, a salesperson's cannot change a verdict or the answers behind
it. The desk opened on such a login acts as that user only (``login_user``, which reads
``session_user``), so the app's own checks and the database's agree.

Group roles belong to one database (their names carry it): a cluster may hold several teams.

Moving a login (another group, or no longer allowed to log in) needs CREATEROLE, which only the
store's owner has. A team lead or admin working through their own login moves their
colleagues' logins through one function the owner made (``FOLLOW_FUNCTION``): it reads the
user's role and state from the store and refuses what LeadDesk refuses them (their own login,
an admin's).
"""

from __future__ import annotations

import hashlib

from sqlalchemy import Connection

from leaddesk.domain import Role
from leaddesk.errors import InputError, NotPermitted
from leaddesk.store import (
    erasure_functions,
    grants_in_step,
    guards,
    password_holders,
    row_guards,
)
from leaddesk.store.rights import EVERY_COLUMN, RIGHTS

# The roles whose logins may move other logins (through FOLLOW_FUNCTION), as they manage users.
MOVES_LOGINS = (Role.TEAM_LEAD, Role.ADMIN)
FOLLOW_FUNCTION = "leaddesk_follow_login"
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


def login_groups(connection: Connection) -> dict[Role, str]:
    """Each role's group of logins in this database."""
    database = _database(connection)
    return {role: group_name(database, role) for role in RIGHTS}


def apply_grants(connection: Connection) -> list[str]:
    """Make the database's group roles (if missing) and give each exactly its role's rights on
    every table there is now. Safe to run again, and run again after an upgrade adds tables.
    Leaves a fingerprint of what it made (``grants_in_step``). Returns the group names."""
    _require_postgresql(connection)
    groups = login_groups(connection)
    _apply(connection, groups, _make_groups(connection, groups))
    return list(groups.values())


def bring_grants_up_to_date(connection: Connection) -> bool:
    """``apply_grants`` only where the rights are not what it made last: after an upgrade, a
    restore, a LeadDesk whose rights changed, or a change made by hand. A look at the catalog
    (a few milliseconds) when they are in step. True when they were applied now."""
    _require_postgresql(connection)
    groups = login_groups(connection)
    make_groups = _make_groups(connection, groups)
    if make_groups:
        _apply(connection, groups, make_groups)
        return True
    recorded = grants_in_step.recorded(connection, _fingerprint_holder(connection))
    statements = _grant_statements(connection, groups)
    if recorded is not None:
        now = grants_in_step.fingerprint(connection, statements, list(groups.values()))
        if recorded == now:
            return False
    _apply(connection, groups, [], statements)
    return True


def _apply(
    connection: Connection,
    groups: dict[Role, str],
    make_groups: list[str],
    statements: list[str] | None = None,
) -> None:
    if statements is None:
        statements = _grant_statements(connection, groups)
    _send(connection, [*make_groups, *statements])
    # The fingerprint of what this left, read back from the catalog in the same transaction.
    made = grants_in_step.fingerprint(connection, statements, list(groups.values()))
    _send(connection, [grants_in_step.record_statement(_fingerprint_holder(connection), made)])


def _fingerprint_holder(connection: Connection) -> str:
    return f"public.{_quote(connection, FOLLOW_FUNCTION)}(text)"


def _send(connection: Connection, sql: list[str]) -> None:
    """One round trip for many statements: the driver's own cursor, with no parameters, sends
    them as one simple query, inside this transaction."""
    with connection.connection.dbapi_connection.cursor() as cursor:  # type: ignore[union-attr]
        cursor.execute(";\n".join(sql))


def _make_groups(connection: Connection, groups: dict[Role, str]) -> list[str]:
    """The statements that make the groups not made yet (none when all are there)."""
    found = connection.exec_driver_sql(
        "SELECT rolname FROM pg_roles WHERE rolname = ANY(%s)", (list(groups.values()),)
    )
    there = {str(row[0]) for row in found}
    # Two sessions may race to make one: the loser finds it made.
    return [
        "DO $$ BEGIN "
        f"CREATE ROLE {_quote(connection, group)} NOLOGIN; "
        "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
        for group in groups.values()
        if group not in there
    ]


def _grant_statements(connection: Connection, groups: dict[Role, str]) -> list[str]:
    """Every statement that gives the (existing) groups exactly their rights, the guards and
    the owner's functions, as of the tables there are now."""
    database = _database(connection)
    table_columns = _table_columns(connection)
    tables = set(table_columns)
    q = _quote
    unknown = tables - set(RIGHTS[Role.QUALIFIER])
    if unknown:
        raise AssertionError(f"leaddesk.store.rights says nothing of the tables {sorted(unknown)}")
    sql: list[str] = []
    for role, rights in RIGHTS.items():
        g = q(connection, groups[role])
        sql.append(f"GRANT CONNECT ON DATABASE {q(connection, database)} TO {g}")
        sql.append(f"GRANT USAGE ON SCHEMA public TO {g}")
        sql.append(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {g}")
        for table in sorted(tables):
            right = rights[table]
            name = f"public.{q(connection, table)}"
            if not right.hidden:
                sql.append(f"GRANT SELECT ON {name} TO {g}")
            elif right.hidden != EVERY_COLUMN:
                shown = [c for c in table_columns[table] if right.may_read(c)]
                listed = ", ".join(q(connection, column) for column in shown)
                sql.append(f"GRANT SELECT ({listed}) ON {name} TO {g}")
            table_wide = [
                word
                for word, given in (
                    ("INSERT", right.insert),
                    ("UPDATE", right.update == EVERY_COLUMN),
                    ("DELETE", right.delete),
                )
                if given
            ]
            if table_wide:
                sql.append(f"GRANT {', '.join(table_wide)} ON {name} TO {g}")
            if right.update and right.update != EVERY_COLUMN:
                columns = ", ".join(q(connection, column) for column in right.update)
                sql.append(f"GRANT UPDATE ({columns}) ON {name} TO {g}")
        sql.append(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {g}")
    sql.extend(guards.audit_guard_statements(connection))
    sql.extend(row_guards.login_guard_statements(groups))
    scrub = f"public.{guards.SCRUB_FUNCTION}(integer, text, text)"
    for role, group in groups.items():
        grant = "GRANT" if role in MOVES_LOGINS else "REVOKE"
        way = "TO" if role in MOVES_LOGINS else "FROM"
        g = q(connection, group)
        sql.append(f"{grant} EXECUTE ON FUNCTION {scrub} {way} {g}")
    sql.extend(_follow_function_statements(connection, database))
    # An erasure by a login that may not change answers or verdicts blanks them through these.
    sql.extend(erasure_functions.FUNCTION_SQL)
    sql.extend(erasure_functions.grant_statements(groups, lambda name: q(connection, name)))
    # Which users have a password, for every login: the hashes themselves stay unread.
    sql.extend(password_holders.FUNCTION_SQL)
    holders = f"public.{password_holders.HOLDERS_FUNCTION}()"
    sql.extend(
        f"GRANT EXECUTE ON FUNCTION {holders} TO {q(connection, g)}" for g in groups.values()
    )
    # Nobody else may connect: not a login of another team, not PUBLIC.
    sql.append(f"REVOKE CONNECT ON DATABASE {q(connection, database)} FROM PUBLIC")
    return sql


def _table_columns(connection: Connection) -> dict[str, list[str]]:
    """Every table of the public schema with its columns in order, in one query (of the
    catalog itself: information_schema's views took 14 ms of a login's 20)."""
    found = connection.exec_driver_sql(
        "SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
        "WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') "
        "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY c.relname, a.attnum"
    )
    columns: dict[str, list[str]] = {}
    for table, column in found:
        columns.setdefault(str(table), []).append(str(column))
    return columns


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
    database = _database(connection)
    ours = _groups_of(connection, name, database)
    if not ours:
        return
    if ours == [group_name(database, role)] and _can_log_in(connection, name) == active:
        return  # in line already (a capacity or a name changed): nothing to move
    if login_user(connection) is not None:
        # A team lead's or admin's own login cannot alter roles; the owner's function can.
        function = f"public.{_quote(connection, FOLLOW_FUNCTION)}"
        made = connection.exec_driver_sql("SELECT to_regprocedure(%s)", (f"{function}(text)",))
        if made.scalar() is None:  # rights given before the function existed
            raise NotPermitted(
                f"Your database login cannot move {name}'s login yet: the store's owner "
                "brings the team database's rights up to date by giving any user a login "
                "(leaddesk users login)."
            )
        connection.exec_driver_sql(f"SELECT {function}(%s)", (name,))
        return
    set_login(connection, name, role, password=None, active=active)


def _can_log_in(connection: Connection, name: str) -> bool:
    found = connection.exec_driver_sql(
        "SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", (name,)
    )
    return bool(found.scalar())


def _follow_function_statements(connection: Connection, database: str) -> list[str]:
    """The store owner's function that moves a colleague's login after a team lead or admin
    changed the user (see the module's docstring). The groups are written into it, so it can
    only ever move logins among this database's groups."""
    q, lit = _quote, _literal
    roles = ", ".join(lit(connection, role.value) for role in RIGHTS)
    groups = ", ".join(lit(connection, group_name(database, role)) for role in RIGHTS)
    admins = lit(connection, group_name(database, Role.ADMIN))
    function = f"public.{q(connection, FOLLOW_FUNCTION)}"
    body = (
        f"CREATE OR REPLACE FUNCTION {function}(login text) RETURNS void "
        "LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$\n"
        "DECLARE\n"
        f"    roles CONSTANT text[] := ARRAY[{roles}];\n"
        f"    groups CONSTANT text[] := ARRAY[{groups}];\n"
        f"    admins CONSTANT text := {admins};\n"
        "    its_role text; its_active boolean; wanted text; held text[]; g text;\n"
        "BEGIN\n"
        "    IF login = session_user THEN\n"
        "        RAISE EXCEPTION 'a login cannot move itself'\n"
        "            USING ERRCODE = 'insufficient_privilege';\n"
        "    END IF;\n"
        "    SELECT u.role, u.active INTO its_role, its_active\n"
        "        FROM public.users u WHERE u.name = login;\n"
        "    IF NOT FOUND THEN RETURN; END IF;\n"
        "    SELECT array_agg(r.rolname::text) INTO held FROM pg_auth_members m\n"
        "        JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles l ON l.oid = m.member\n"
        "        WHERE l.rolname = login AND r.rolname = ANY(groups);\n"
        "    IF held IS NULL THEN RETURN; END IF;  -- not a login of this store: left alone\n"
        "    wanted := groups[array_position(roles, its_role)];\n"
        "    IF wanted IS NULL THEN\n"
        "        RAISE EXCEPTION 'no group for role %', its_role;\n"
        "    END IF;\n"
        "    IF (admins = ANY(held) OR wanted = admins)\n"
        "            AND NOT pg_has_role(session_user, admins, 'MEMBER') THEN\n"
        "        RAISE EXCEPTION 'only an admin moves an admin''s login'\n"
        "            USING ERRCODE = 'insufficient_privilege';\n"
        "    END IF;\n"
        "    FOREACH g IN ARRAY held LOOP\n"
        "        IF g <> wanted THEN EXECUTE format('REVOKE %I FROM %I', g, login); END IF;\n"
        "    END LOOP;\n"
        "    IF NOT wanted = ANY(held) THEN\n"
        "        EXECUTE format('GRANT %I TO %I', wanted, login);\n"
        "    END IF;\n"
        "    EXECUTE format('ALTER ROLE %I ' ||\n"
        "        CASE WHEN its_active THEN 'LOGIN' ELSE 'NOLOGIN' END, login);\n"
        "END\n"
        "$fn$"
    )
    statements = [body, f"REVOKE ALL ON FUNCTION {function}(text) FROM PUBLIC"]
    for role in RIGHTS:
        g = q(connection, group_name(database, role))
        grant = "GRANT" if role in MOVES_LOGINS else "REVOKE"
        way = "TO" if role in MOVES_LOGINS else "FROM"
        statements.append(f"{grant} EXECUTE ON FUNCTION {function}(text) {way} {g}")
    return statements


def login_user(connection: Connection) -> str | None:
    """The LeadDesk user this connection's login belongs to, or None for the store's owner
    (or any login outside this database's groups).

    The login is the name the connection signed in with (``session_user``). A session that
    switched to another role (``SET ROLE``, ``options=-c role=…``, ``PGOPTIONS``) is refused,
    so no connection setting makes a rep's login pass for the owner or a colleague."""
    if connection.dialect.name != "postgresql":
        return None
    signed_in, acting = connection.exec_driver_sql("SELECT session_user, current_user").one()
    name = str(signed_in)
    if _groups_of(connection, name, _database(connection)):
        if acting != signed_in:
            raise NotPermitted(
                f"This connection signed in as {name} but switched to the role {acting} "
                "(a SET ROLE or a 'role' connection option). LeadDesk works only as the login "
                "itself: remove that option and connect again."
            )
        return name
    if acting != signed_in and _groups_of(connection, str(acting), _database(connection)):
        raise NotPermitted(
            f"This connection switched to {acting}'s role; sign in with that login instead."
        )
    return None


def _groups_of(connection: Connection, name: str, database: str) -> list[str]:
    """This database's LeadDesk groups the role ``name`` is a direct member of."""
    groups = [group_name(database, role) for role in RIGHTS]
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

"""The server side of ``leaddesk team setup``: the owner's URL checked, TLS demanded off this
machine, the team's database made if missing, and what exists of a login looked up.

The URL carries the future store owner's credentials (a login that may create databases and
roles); nobody works through it afterwards. Off this machine the connection must be
encrypted: a rep's password and every lead would otherwise cross the network readable.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, create_engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.pool import NullPool

from leaddesk.domain import Role
from leaddesk.errors import InputError
from leaddesk.store import grants

# sslmode values that refuse an unencrypted connection (libpq's names).
TLS_MODES = ("require", "verify-ca", "verify-full")
CONNECT_SECONDS = 10


def parse_team_url(raw: str, *, need_user: bool = True) -> URL:
    """The owner's ``postgresql://owner:pw@host:port/database`` URL, checked."""
    try:
        url = make_url(raw)
    except ArgumentError:
        raise InputError(
            f"Not a database URL: {raw!r}. Write it as postgresql://OWNER:PASSWORD@HOST:5432/"
            "DATABASE (e.g. postgresql://owner@db.example:5432/sales_team?sslmode=require)."
        ) from None
    if url.get_backend_name() not in ("postgresql", "postgres"):
        raise InputError(
            f"A team database is PostgreSQL: the URL must start with postgresql://, not "
            f"{url.drivername}://."
        )
    if not url.database:
        raise InputError(
            "The URL names no database: end it with /DATABASE, e.g. "
            "postgresql://owner@db.example:5432/sales_team."
        )
    if url.database in ("postgres", "template0", "template1"):
        raise InputError(
            f"{url.database} is the server's own database; name a new one for the team, "
            "e.g. …/sales_team."
        )
    if need_user and not url.username:
        raise InputError(
            "The URL names no database user: put the owner's login before the host, e.g. "
            "postgresql://owner@db.example:5432/sales_team."
        )
    return url.set(drivername="postgresql+psycopg")


def _hosts(url: URL) -> list[str]:
    host = url.query.get("host")
    if host is None:
        return [url.host or ""]
    return list(host) if isinstance(host, tuple) else str(host).split(",")


def is_local(url: URL) -> bool:
    """A Unix socket or a loopback address: the connection never leaves this machine."""
    for host in _hosts(url):
        if host in ("", "localhost") or host.startswith("/"):
            continue
        try:
            if ipaddress.ip_address(host.strip("[]")).is_loopback:
                continue
        except ValueError:
            pass
        return False
    return True


def _sslmode(url: URL) -> str | None:
    mode = url.query.get("sslmode")
    return mode[-1] if isinstance(mode, tuple) else mode


def secure_url(url: URL, *, local: bool) -> URL:
    """The URL to set up with: as given when it demands TLS (or the server is on this machine,
    or ``local``), else with ``sslmode=require`` when the server answers TLS; refused if not."""
    mode = _sslmode(url)
    if mode in TLS_MODES or local or is_local(url):
        return url
    host = ", ".join(_hosts(url))
    if mode is not None:
        raise InputError(
            f"sslmode={mode} lets passwords and leads cross the network to {host} "
            "unencrypted. Use sslmode=require (or verify-full), or --local if this network is "
            "private."
        )
    secured = url.update_query_dict({"sslmode": "require"})
    try:
        connect(secured, "postgres", lambda _connection: None)
    except InputError as exc:
        if "does not support SSL" in exc.message:
            raise InputError(
                f"The server {host} does not answer encrypted (TLS) connections, so "
                "passwords and leads would cross the network readable. Turn on ssl in its "
                "postgresql.conf, or give --local if this network is private."
            ) from exc
        raise
    return secured


def _reason(error: DBAPIError) -> str:
    return (str(error.orig).strip().splitlines() or [type(error.orig).__name__])[0]


def connect(url: URL, database: str, work: Callable[[Connection], Any]) -> Any:
    """Run ``work`` on one autocommit connection to ``database``; connection failures become
    messages saying what to fix."""
    engine = create_engine(
        url.set(database=database),
        isolation_level="AUTOCOMMIT",
        connect_args={"connect_timeout": CONNECT_SECONDS},
        poolclass=NullPool,
    )
    server = f"{url.host or 'localhost'}:{url.port or 5432}"
    try:
        with engine.connect() as connection:
            return work(connection)
    except DBAPIError as exc:
        said = _reason(exc)
        text = said.lower()
        state = getattr(exc.orig, "sqlstate", None)
        if "password authentication failed" in text or "no password supplied" in text:
            raise InputError(
                f"The server {server} refused the login {url.username}: wrong or missing password."
            ) from None
        if f'database "{database}" does not exist' in said:
            raise _NoDatabase(database) from None
        if state == "42501" or "permission denied" in text:
            raise InputError(
                f"{url.username} may not do this on {server} ({said}). Run it as a login "
                f"with CREATEDB and CREATEROLE (e.g. createuser --createdb --createrole "
                f"{url.username}), or have the database made for it: createdb -O "
                f"{url.username} {url.database}."
            ) from None
        if state is None:
            raise InputError(
                f"Cannot reach the PostgreSQL server {server} ({said}); check the host and "
                "port in the URL, and that the server is running and listens there."
            ) from None
        raise
    finally:
        engine.dispose()


class _NoDatabase(InputError):
    def __init__(self, database: str) -> None:
        super().__init__(f'The database "{database}" does not exist.')


def ensure_database(url: URL) -> bool:
    """Create the URL's database (owned by the URL's login) if missing; True when made now."""
    database = url.database or ""
    try:
        connect(url, database, lambda _connection: None)
        return False
    except _NoDatabase:
        pass

    def create(connection: Connection) -> None:
        quoted = connection.dialect.identifier_preparer.quote_identifier(database)
        connection.exec_driver_sql(f"CREATE DATABASE {quoted}")

    connect(url, "postgres", create)
    return True


def require_role_rights(url: URL) -> None:
    """The owner's login must make roles (the groups, everyone's logins): said before anything
    is written, not half-way."""

    def look(connection: Connection) -> bool:
        found = connection.exec_driver_sql(
            "SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user"
        ).scalar()
        return bool(found)

    if not connect(url, url.database or "", look):
        raise InputError(
            f"{url.username} may not create roles, and the team's logins are roles. As the "
            f"server's superuser: ALTER ROLE {url.username} CREATEROLE; then run this again."
        )


def login_state(url: URL, name: str) -> str:
    """'none', 'ours' (a login in this store's admin group) or 'other' (someone else's)."""

    def look(connection: Connection) -> str:
        found = connection.exec_driver_sql(
            "SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)
        ).scalar()
        if found is None:
            return "none"
        admins = grants.group_name(url.database or "", Role.ADMIN)
        member = connection.exec_driver_sql(
            "SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
            "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = %s AND g.rolname = %s",
            (name, admins),
        ).scalar()
        return "ours" if member is not None else "other"

    return str(connect(url, url.database or "", look))


def shown_url(url: URL, username: str | None) -> str:
    """A URL to hand out: the plain ``postgresql://`` scheme, this user, never a password."""
    # URL.set ignores None, so the password is dropped through the tuple's own _replace.
    plain = url.set(drivername="postgresql")._replace(username=username, password=None)
    return plain.render_as_string(hide_password=False)

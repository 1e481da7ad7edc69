"""Who has a password, without reading anyone's hash (docs/architecture.md §2).

On a team database with logins no login but the store's owner may read ``users.password_hash``
(``leaddesk.store.rights`` hides the column): an argon2 hash copied out is a password to crack
offline. What the app needs of it through a login is which users have one (whether the store
asks for passwords; which users a backup must say set theirs again), and the owner's function
here answers that and nothing more. The owner, SQLite's single user and a store without logins
read the column itself.
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from leaddesk.store.models import User

HOLDERS_FUNCTION = "leaddesk_password_holders"
# What a backup holds instead of a user's hash, and so what a restore gives them: not an
# argon2 hash, so no password matches it, and the store still asks everyone for theirs.
SET_AGAIN = "set-again: passwords are not kept in backups"

FUNCTION_SQL = (
    f"""
CREATE OR REPLACE FUNCTION public.{HOLDERS_FUNCTION}() RETURNS SETOF integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
    SELECT u.id FROM public.users u WHERE u.password_hash IS NOT NULL ORDER BY u.id
$fn$
""",
    f"REVOKE ALL ON FUNCTION public.{HOLDERS_FUNCTION}() FROM PUBLIC",
)


def hashes_readable(connection: Connection) -> bool:
    """Whether this connection may read the hashes (always, but for a login on PostgreSQL)."""
    if connection.dialect.name != "postgresql":
        return True
    found = connection.exec_driver_sql(
        "SELECT has_column_privilege('public.users', 'password_hash', 'SELECT')"
    )
    return bool(found.scalar())


def password_holders(connection: Connection) -> set[int]:
    """The ids of the users who have a password (or must set one again after a restore)."""
    if hashes_readable(connection):
        found = connection.execute(select(User.id).where(User.password_hash.is_not(None)))
    else:
        found = connection.exec_driver_sql(f"SELECT public.{HOLDERS_FUNCTION}()")
    return {int(row[0]) for row in found}

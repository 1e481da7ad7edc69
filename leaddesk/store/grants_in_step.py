"""Whether a team database's rights are still exactly what ``grants.apply_grants`` made last, so
a new login costs a look at the catalog rather than the ~1,000 statements of every group's
rights, and no lock on the tables the row guards sit on (docs/performance.md).

``apply_grants`` leaves a fingerprint behind, as the comment of the owner's function it makes
(``grants.FOLLOW_FUNCTION``: only the store's owner may change it, and it goes when the
database goes). The fingerprint covers both halves of "up to date":

* what would be sent now: every statement, which names every table and column there is now
  and the rights table of this LeadDesk version, so an upgrade that added a table or column
  and a LeadDesk whose rights changed read as "not in step";
* what the catalog holds now: the privileges of every table, column, sequence and function of
  the schema, the functions' bodies, the row guards' triggers, the schema's and the database's
  privileges, the group roles themselves and the schema version. A restore into a database of
  the same name, a migration run by other means, a guard dropped or a right revoked by hand:
  each changes this half.

A login's membership in its group is not part of it: ``set_login`` looks at that itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from sqlalchemy import Connection

_MARK = "leaddesk grants "

# Everything apply_grants sets, as the catalog holds it now. No object ids of triggers (they
# are made again at every apply) and no comments (the fingerprint is one).
_CATALOG = """
SELECT md5(string_agg(part, '|' ORDER BY part)) FROM (
  SELECT concat_ws(':', 'rel', c.relname, c.relkind::text, c.relowner::text, c.relacl::text)
      AS part
    FROM pg_class c
   WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'S', 'v', 'm', 'f')
  UNION ALL
  SELECT concat_ws(':', 'col', a.attrelid::regclass::text, a.attname, a.attacl::text)
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
   WHERE c.relnamespace = 'public'::regnamespace AND a.attnum > 0 AND a.attacl IS NOT NULL
  UNION ALL
  SELECT concat_ws(':', 'fn', p.oid::regprocedure::text, md5(p.prosrc), p.prosecdef::text,
                   p.proowner::text, p.proacl::text, p.proconfig::text)
    FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
  UNION ALL
  SELECT concat_ws(':', 'trg', pg_get_triggerdef(t.oid), t.tgenabled::text)
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
   WHERE c.relnamespace = 'public'::regnamespace AND NOT t.tgisinternal
  UNION ALL
  SELECT concat_ws(':', 'ns', nspowner::text, nspacl::text) FROM pg_namespace
   WHERE nspname = 'public'
  UNION ALL
  SELECT concat_ws(':', 'db', datacl::text) FROM pg_database
   WHERE datname = current_database()
  UNION ALL
  SELECT concat_ws(':', 'group', rolname, oid::text, rolcanlogin::text) FROM pg_roles
   WHERE rolname = ANY(%s)
  UNION ALL
  SELECT concat_ws(':', 'version', version_num) FROM public.alembic_version
) AS catalog
"""


def fingerprint(connection: Connection, statements: Sequence[str], groups: Sequence[str]) -> str:
    """The grants as they stand: ``statements`` (what apply_grants sends, bar making the
    groups) and the catalog they act on, for the database's ``groups``."""
    catalog = connection.exec_driver_sql(_CATALOG, (list(groups),)).scalar_one()
    digest = hashlib.sha256()
    for statement in statements:
        digest.update(statement.encode())
        digest.update(b"\x00")
    digest.update(str(catalog).encode())
    return digest.hexdigest()


def recorded(connection: Connection, holder: str) -> str | None:
    """The fingerprint apply_grants left on ``holder`` (a function's signature), if any."""
    comment = connection.exec_driver_sql(
        "SELECT obj_description(to_regprocedure(%s), 'pg_proc')", (holder,)
    ).scalar()
    if not isinstance(comment, str) or not comment.startswith(_MARK):
        return None
    return comment[len(_MARK) :]


def record_statement(holder: str, made: str) -> str:
    """The statement that leaves the fingerprint ``made`` (hex digits) on ``holder``."""
    if not all(c in "0123456789abcdef" for c in made):
        raise ValueError("a fingerprint is hex digits")
    return f"COMMENT ON FUNCTION {holder} IS '{_MARK}{made}'"

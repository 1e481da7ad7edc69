"""The few builders every database guard is written with (docs/architecture.md §3): the
plpgsql preamble a trigger function starts with, and the trigger that runs it on a table.

Raw SQL lives in ``store/``; these keep each guard down to what it checks.
"""

from __future__ import annotations

REFUSE_SQL = """
CREATE OR REPLACE FUNCTION public.leaddesk_refuse(why text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
    RAISE EXCEPTION '%', why USING ERRCODE = 'insufficient_privilege';
END
$fn$
"""

# Most guards start by asking which LeadDesk role the signed-in login has.
LOGIN_ROLE = "    who text := public.leaddesk_login_role();\n"


def trigger_function(name: str, body: str, *, declare: str = "") -> str:
    """``CREATE OR REPLACE FUNCTION public.<name>() RETURNS trigger`` with the preamble every
    guard shares (plpgsql, a search path nobody can shadow), its declarations and its body."""
    declarations = f"DECLARE\n{declare}" if declare else ""
    return (
        f"\nCREATE OR REPLACE FUNCTION public.{name}() RETURNS trigger\n"
        "LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $fn$\n"
        f"{declarations}BEGIN\n{body}END\n$fn$\n"
    )


def row_trigger(table: str, name: str, when: str, call: str) -> tuple[str, str]:
    """Drop and create trigger ``name`` running ``public.<call>`` for each row of ``table``
    ``when`` ("BEFORE INSERT OR UPDATE" ...): safe to run again."""
    return (
        f"DROP TRIGGER IF EXISTS {name} ON public.{table}",
        f"CREATE TRIGGER {name} {when} ON public.{table} FOR EACH ROW "
        f"EXECUTE FUNCTION public.{call}",
    )


def if_table(table: str, statement: str) -> str:
    """``statement`` run only where ``public.<table>`` exists (a migration part-way up the
    chain puts guards back on a store that has no such table yet)."""
    return (
        f"DO $$ BEGIN IF to_regclass('public.{table}') IS NOT NULL THEN "
        f"EXECUTE {literal(statement)}; END IF; END $$"
    )


def literal(text: str) -> str:
    """``text`` as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"

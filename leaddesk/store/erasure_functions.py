"""An erasure's blanking through a login that may not change answers or verdicts (an admin's).

An admin runs the store, not the questionnaire: their login may read answers and verdicts but
not change them (``leaddesk.store.rights``). An erasure must still blank the person's words
in them, so the store's owner made two functions that do exactly that and nothing else: they
blank one answer's text, or one verdict's reasons and the free text in its copy of the
answers, and only of a person already marked erased, for a team lead's or admin's login. The
row guards let the owner's function through (``leaddesk.erasing``, set by the function itself,
and only the table's owner, which no login can become, counts).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection

from leaddesk.domain import Role

# The roles whose logins may call them: those who erase (leaddesk.people.permissions).
ERASERS = (Role.TEAM_LEAD, Role.ADMIN)
SIGNATURES = ("leaddesk_erase_answer(integer)", "leaddesk_erase_verdict(integer, text)")

_PREAMBLE = """\
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $fn$
DECLARE
    erased boolean;
    old jsonb;
BEGIN
    IF coalesce(public.leaddesk_login_role(), 'owner') NOT IN ('owner', 'team_lead', 'admin') THEN
        PERFORM public.leaddesk_refuse('only a team lead or an admin erases a person');
    END IF;
"""

FUNCTION_SQL = (
    f"""
CREATE OR REPLACE FUNCTION public.leaddesk_erase_answer(answer_id integer) RETURNS void
{_PREAMBLE}
    SELECT p.erased_at IS NOT NULL INTO erased FROM public.answers a
        JOIN public.leads l ON l.id = a.lead_id JOIN public.people p ON p.id = l.person_id
        WHERE a.id = answer_id;
    IF NOT coalesce(erased, false) THEN
        PERFORM public.leaddesk_refuse('only an erased person''s answers are blanked');
    END IF;
    PERFORM set_config('leaddesk.erasing', 'on', true);
    UPDATE public.answers SET value = '""'
        WHERE id = answer_id AND jsonb_typeof(value::jsonb) = 'string';
    PERFORM set_config('leaddesk.erasing', 'off', true);
END
$fn$
""",
    f"""
CREATE OR REPLACE FUNCTION public.leaddesk_erase_verdict(verdict_id integer, blanked text)
        RETURNS void
{_PREAMBLE}
    SELECT p.erased_at IS NOT NULL INTO erased FROM public.verdicts v
        JOIN public.leads l ON l.id = v.lead_id JOIN public.people p ON p.id = l.person_id
        WHERE v.id = verdict_id;
    IF NOT coalesce(erased, false) THEN
        PERFORM public.leaddesk_refuse('only an erased person''s verdicts are blanked');
    END IF;
    -- The copy of the answers keeps every question; an answer stays or becomes "".
    SELECT coalesce(v.answers::jsonb, '{{}}'::jsonb) INTO old FROM public.verdicts v
        WHERE v.id = verdict_id;
    IF blanked IS NOT NULL AND EXISTS (
            SELECT 1 FROM jsonb_each(old) o FULL JOIN jsonb_each(blanked::jsonb) n
                ON n.key = o.key
            WHERE o.key IS NULL OR n.key IS NULL
                OR (n.value <> o.value AND n.value <> '""'::jsonb)) THEN
        PERFORM public.leaddesk_refuse('an erasure only blanks words');
    END IF;
    PERFORM set_config('leaddesk.erasing', 'on', true);
    UPDATE public.verdicts SET
        reason = CASE WHEN reason IS NULL THEN NULL ELSE '' END,
        override_reason = CASE WHEN override_reason IS NULL THEN NULL ELSE '' END,
        answers = coalesce(blanked, answers)
        WHERE id = verdict_id;
    PERFORM set_config('leaddesk.erasing', 'off', true);
END
$fn$
""",
    *(f"REVOKE ALL ON FUNCTION public.{signature} FROM PUBLIC" for signature in SIGNATURES),
)


def grant_statements(groups: dict[Role, str], quote: Callable[[str], str]) -> list[str]:
    """EXECUTE for the erasers' groups, and for nobody else."""
    statements = []
    for role, group in groups.items():
        grant, way = ("GRANT", "TO") if role in ERASERS else ("REVOKE", "FROM")
        for signature in SIGNATURES:
            statements.append(
                f"{grant} EXECUTE ON FUNCTION public.{signature} {way} {quote(group)}"
            )
    return statements


def through_owner(connection: Connection) -> bool:
    """Whether this connection blanks answers and verdicts through the owner's functions (a
    login that may not change them itself: an admin's)."""
    if connection.dialect.name != "postgresql":
        return False
    found = connection.exec_driver_sql(
        "SELECT has_column_privilege('public.verdicts', 'reason', 'UPDATE') "
        "AND has_column_privilege('public.answers', 'value', 'UPDATE')"
    )
    return not found.scalar()


def erase_answer(connection: Connection, answer_id: int) -> None:
    connection.exec_driver_sql("SELECT public.leaddesk_erase_answer(%s)", (answer_id,))


def erase_verdict(connection: Connection, verdict_id: int, blanked_answers: str | None) -> None:
    connection.exec_driver_sql(
        "SELECT public.leaddesk_erase_verdict(%s, %s)", (verdict_id, blanked_answers)
    )

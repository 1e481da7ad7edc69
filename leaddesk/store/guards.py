"""The team database's own guards: which rows a login may touch, and how a lead's stage may move.

Grants (``leaddesk.store.rights``) say which statements a role's login may run; these triggers
say which rows and which moves. A login is recognised by ``session_user`` (the name it signed
in with), never ``current_user``, so ``SET ROLE`` or a connection option cannot make it
somebody else. The store's owner, and any role that is not one of this store's logins, is not
held back here: it is the one that upgrades and restores the store.

What a LeadDesk login may not do, whatever it types at a SQL prompt:
* set a lead to accepted or rejected, or move one that sales has (only a salesperson answers
  a handed-off lead, and only that); hand off a lead without a hand-off verdict and a batch;
  mark a lead qualified without giving the hand-off verdict in the same transaction;
* as a qualifier: change a colleague's lead (beyond what an import or a do-not-call adds to
  it), claim a lead for someone else, give a lead to someone, release a do-not-call hold or
  take a person off the do-not-call list;
* write a call, note, verdict, answer, batch, sales answer or audit event in someone else's
  name, or change or remove a colleague's (team leads and admins may tidy calls and notes: an
  erasure blanks them);
* as a team lead: make anyone an admin, change an admin, or change their own role or state;
  write sales' answer (an erasure may only blank its comment);
* change or remove an audit event: the trail is append-only for every role, the owner
  included, except the words an erasure blanks (through ``leaddesk_scrub_audit``).

Each audit row carries the login that wrote it (``db_login``).
"""

from __future__ import annotations

from sqlalchemy import Connection

from leaddesk.domain import Role

REFUSE = "leaddesk_refuse"
SCRUB_FUNCTION = "leaddesk_scrub_audit"
_ERASING = "leaddesk.erasing"

_REFUSE_SQL = """
CREATE OR REPLACE FUNCTION public.leaddesk_refuse(why text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
    RAISE EXCEPTION '%', why USING ERRCODE = 'insufficient_privilege';
END
$fn$
"""

# The audit trail, on every PostgreSQL store (with logins or not).
_AUDIT_SQL = (
    _REFUSE_SQL,
    """
CREATE OR REPLACE FUNCTION public.leaddesk_audit_append_only() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $fn$
BEGIN
    IF TG_OP = 'UPDATE' AND current_setting('leaddesk.erasing', true) = 'on'
            AND NEW.id = OLD.id AND NEW.at = OLD.at
            AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
            AND NEW.action = OLD.action AND NEW.lead_id IS NOT DISTINCT FROM OLD.lead_id
            AND NEW.from_state IS NOT DISTINCT FROM OLD.from_state
            AND NEW.to_state IS NOT DISTINCT FROM OLD.to_state
            AND NEW.db_login IS NOT DISTINCT FROM OLD.db_login THEN
        RETURN NEW;  -- an erasure blanking the words about a person
    END IF;
    PERFORM public.leaddesk_refuse('the audit trail is append-only: events are never '
        || 'changed or removed');
    RETURN NULL;
END
$fn$
""",
    """
CREATE OR REPLACE FUNCTION public.leaddesk_audit_stamp() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $fn$
DECLARE
    trusted boolean;
BEGIN
    -- The owner restoring a backup keeps the login a row came with; anyone else is stamped.
    SELECT r.rolsuper OR r.rolname = t.tableowner INTO trusted
        FROM pg_roles r, pg_tables t
        WHERE r.rolname = session_user AND t.schemaname = 'public'
          AND t.tablename = 'audit_events';
    IF NOT coalesce(trusted, false) OR (NEW.db_login IS NULL
            AND current_setting('leaddesk.admin.restoring', true) IS DISTINCT FROM 'on') THEN
        NEW.db_login := session_user;
    END IF;
    RETURN NEW;
END
$fn$
""",
    """
CREATE OR REPLACE FUNCTION public.leaddesk_scrub_audit(event_id integer, new_reason text,
        new_details text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $fn$
BEGIN
    PERFORM set_config('leaddesk.erasing', 'on', true);
    UPDATE public.audit_events SET reason = new_reason, details = new_details
        WHERE id = event_id;
    PERFORM set_config('leaddesk.erasing', 'off', true);
END
$fn$
""",
    "REVOKE ALL ON FUNCTION public.leaddesk_scrub_audit(integer, text, text) FROM PUBLIC",
    "DROP TRIGGER IF EXISTS leaddesk_append_only ON public.audit_events",
    "CREATE TRIGGER leaddesk_append_only BEFORE UPDATE OR DELETE ON public.audit_events "
    "FOR EACH ROW EXECUTE FUNCTION public.leaddesk_audit_append_only()",
    "DROP TRIGGER IF EXISTS leaddesk_append_only_truncate ON public.audit_events",
    "CREATE TRIGGER leaddesk_append_only_truncate BEFORE TRUNCATE ON public.audit_events "
    "FOR EACH STATEMENT EXECUTE FUNCTION public.leaddesk_audit_append_only()",
    "DROP TRIGGER IF EXISTS leaddesk_stamp ON public.audit_events",
    "CREATE TRIGGER leaddesk_stamp BEFORE INSERT ON public.audit_events "
    "FOR EACH ROW EXECUTE FUNCTION public.leaddesk_audit_stamp()",
)


def install_audit_guard(connection: Connection) -> None:
    """Make the audit trail append-only and stamped with its writer's login (PostgreSQL; a
    store at an older schema, as a restore first makes it, gets it when it is upgraded)."""
    if connection.dialect.name != "postgresql":
        return
    stamped = connection.exec_driver_sql(
        "SELECT 1 FROM information_schema.columns WHERE table_schema = 'public' "
        "AND table_name = 'audit_events' AND column_name = 'db_login'"
    )
    if stamped.first() is None:
        return
    for statement in _AUDIT_SQL:
        connection.exec_driver_sql(statement.replace("%", "%%"), ())


def keep_restored_logins(connection: Connection) -> None:
    """A restore by the store's owner keeps each audit event's login as the backup has it
    (none, for events from a SQLite store), for this transaction only."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SELECT set_config('leaddesk.admin.restoring', 'on', true)")


def scrub_audit_event(
    connection: Connection, event_id: int, reason: str | None, details: str | None
) -> None:
    """Blank the words an erasure removes from one audit event, through the one path the
    append-only trail lets through (PostgreSQL; a SQLite store updates the row itself)."""
    connection.exec_driver_sql(
        f"SELECT public.{SCRUB_FUNCTION}(%s, %s, %s)", (event_id, reason, details)
    )


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _login_functions(groups: dict[Role, str]) -> tuple[str, ...]:
    cases = " ".join(
        f"WHEN {_literal(group)} THEN {_literal(role.value)}" for role, group in groups.items()
    )
    names = ", ".join(_literal(group) for group in groups.values())
    return (
        f"""
CREATE OR REPLACE FUNCTION public.leaddesk_login_role() RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
    SELECT CASE g.rolname {cases} END
    FROM pg_auth_members m
    JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
    WHERE u.rolname = session_user AND g.rolname IN ({names})
    LIMIT 1
$fn$
""",
        """
CREATE OR REPLACE FUNCTION public.leaddesk_login_id() RETURNS integer
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
    SELECT u.id FROM public.users u WHERE u.name = session_user
$fn$
""",
    )


_LEADS_SQL = """
CREATE OR REPLACE FUNCTION public.leaddesk_guard_leads() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $fn$
DECLARE
    who text := public.leaddesk_login_role();
    me integer;
    theirs boolean;
BEGIN
    IF who IS NULL THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    me := public.leaddesk_login_id();
    IF TG_OP = 'DELETE' THEN
        IF OLD.stage <> 'new' OR OLD.attempts > 0 THEN
            PERFORM public.leaddesk_refuse('only a lead nobody has worked yet is removed '
                || '(an import taken back)');
        END IF;
        RETURN OLD;
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.stage IN ('qualified', 'handed_off', 'accepted', 'rejected')
                OR NEW.handoff_batch_id IS NOT NULL THEN
            PERFORM public.leaddesk_refuse('a new lead starts before qualification');
        END IF;
        RETURN NEW;
    END IF;
    IF who = 'sales' THEN
        IF OLD.stage <> 'handed_off' OR NEW.stage NOT IN ('accepted', 'rejected') THEN
            PERFORM public.leaddesk_refuse('a salesperson answers a lead handed to sales '
                || '(accepted or rejected) and changes nothing else');
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.stage IS DISTINCT FROM OLD.stage THEN
        IF OLD.stage IN ('handed_off', 'accepted', 'rejected')
                OR NEW.stage IN ('accepted', 'rejected') THEN
            PERFORM public.leaddesk_refuse('only sales answers a lead handed to them');
        END IF;
        IF NEW.stage = 'handed_off' AND (OLD.stage <> 'qualified'
                OR NEW.handoff_batch_id IS NULL
                OR NOT EXISTS (SELECT 1 FROM public.verdicts v
                               WHERE v.lead_id = NEW.id AND v.verdict = 'hand_off')) THEN
            PERFORM public.leaddesk_refuse('a lead is handed off only after a hand-off '
                || 'verdict, in an export batch');
        END IF;
    END IF;
    IF OLD.stage IN ('handed_off', 'accepted', 'rejected')
            AND NEW.handoff_batch_id IS DISTINCT FROM OLD.handoff_batch_id THEN
        PERFORM public.leaddesk_refuse('a lead sales has stays in its hand-off batch');
    END IF;
    IF who <> 'qualifier' THEN
        RETURN NEW;
    END IF;
    -- A qualifier: their own leads and the pool's, and nobody else's.
    IF OLD.hold_reason = 'do_not_call' AND NEW.hold_reason IS DISTINCT FROM OLD.hold_reason THEN
        PERFORM public.leaddesk_refuse('only a team lead takes a lead off do-not-call');
    END IF;
    IF NEW.claimed_by_id IS DISTINCT FROM OLD.claimed_by_id
            AND NEW.claimed_by_id IS DISTINCT FROM me AND NEW.claimed_by_id IS NOT NULL THEN
        PERFORM public.leaddesk_refuse('a rep takes a lead for themselves only');
    END IF;
    IF NEW.assigned_to_id IS DISTINCT FROM OLD.assigned_to_id
            AND NEW.assigned_to_id IS DISTINCT FROM me AND NEW.assigned_to_id IS NOT NULL THEN
        PERFORM public.leaddesk_refuse('only a team lead gives a lead to someone');
    END IF;
    theirs := OLD.assigned_to_id IS NOT NULL AND OLD.assigned_to_id IS DISTINCT FROM me
        AND OLD.claimed_by_id IS DISTINCT FROM me;
    IF theirs AND (
            NEW.stage IS DISTINCT FROM OLD.stage
            OR NEW.lead_type IS DISTINCT FROM OLD.lead_type
            OR NEW.assigned_to_id IS DISTINCT FROM OLD.assigned_to_id
            OR NEW.claimed_by_id IS DISTINCT FROM OLD.claimed_by_id
            OR NEW.claim_expires_at IS DISTINCT FROM OLD.claim_expires_at
            OR NEW.callback_at IS DISTINCT FROM OLD.callback_at
            OR NEW.next_attempt_at IS DISTINCT FROM OLD.next_attempt_at
            OR NEW.attempts IS DISTINCT FROM OLD.attempts
            OR NEW.handoff_batch_id IS DISTINCT FROM OLD.handoff_batch_id
            OR NEW.closed_at IS DISTINCT FROM OLD.closed_at
            OR NEW.definition_version_id IS DISTINCT FROM OLD.definition_version_id
            OR NEW.person_id IS DISTINCT FROM OLD.person_id
            OR NEW.framework_score IS DISTINCT FROM OLD.framework_score
            OR NEW.first_contact_at IS DISTINCT FROM OLD.first_contact_at
            OR NEW.last_attempt_at IS DISTINCT FROM OLD.last_attempt_at
            OR NEW.sla_due_at IS DISTINCT FROM OLD.sla_due_at
            OR NEW.flagged_untouched_at IS DISTINCT FROM OLD.flagged_untouched_at
            OR NEW.import_key IS DISTINCT FROM OLD.import_key
            OR (NEW.hold_reason IS DISTINCT FROM OLD.hold_reason
                AND NEW.hold_reason IS DISTINCT FROM 'do_not_call')) THEN
        PERFORM public.leaddesk_refuse('this lead is a colleague''s: a rep works their own '
            || 'leads and the pool''s');
    END IF;
    RETURN NEW;
END
$fn$
"""

# A lead becomes "qualified" (waiting for sales) only with the hand-off verdict that says so,
# checked when the transaction commits (the verdict row may be written after the lead's).
_QUALIFIED_SQL = """
CREATE OR REPLACE FUNCTION public.leaddesk_check_qualified() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $fn$
BEGIN
    IF public.leaddesk_login_role() IS NULL THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.stage = 'qualified' THEN
        RETURN NULL;
    END IF;
    IF EXISTS (SELECT 1 FROM public.leads l WHERE l.id = NEW.id AND l.stage = 'qualified')
            AND NOT EXISTS (SELECT 1 FROM public.verdicts v WHERE v.lead_id = NEW.id
                            AND v.verdict = 'hand_off') THEN
        PERFORM public.leaddesk_refuse('a lead is qualified for sales only with a hand-off '
            || 'verdict');
    END IF;
    RETURN NULL;
END
$fn$
"""

# Rows written in someone's name: TG_ARGV[0] is the column naming them, the rest the roles
# that may also change or remove colleagues' rows.
_OWN_ROWS_SQL = """
CREATE OR REPLACE FUNCTION public.leaddesk_guard_own_rows() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $fn$
DECLARE
    who text := public.leaddesk_login_role();
    me integer;
    column_name text := TG_ARGV[0];
    was integer;
    now_is integer;
BEGIN
    IF who IS NULL THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    me := public.leaddesk_login_id();
    IF TG_OP <> 'DELETE' THEN
        now_is := (to_jsonb(NEW) ->> column_name)::integer;
        IF now_is IS NOT NULL AND now_is IS DISTINCT FROM me
                AND (TG_OP = 'INSERT' OR now_is IS DISTINCT FROM
                     (to_jsonb(OLD) ->> column_name)::integer) THEN
            PERFORM public.leaddesk_refuse('a login writes in its own name only');
        END IF;
    END IF;
    IF TG_OP <> 'INSERT' AND NOT who = ANY(TG_ARGV[1:]) THEN
        was := (to_jsonb(OLD) ->> column_name)::integer;
        IF was IS DISTINCT FROM me THEN
            PERFORM public.leaddesk_refuse('this was written by a colleague: only they '
                || 'change it');
        END IF;
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$fn$
"""

# Answers and verdicts belong to the lead they are about: a rep gives them on a lead they
# hold (theirs, claimed by them, or the pool's).
_HELD_LEAD_SQL = """
CREATE OR REPLACE FUNCTION public.leaddesk_guard_held_lead() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $fn$
DECLARE
    who text := public.leaddesk_login_role();
    me integer;
    lead integer;
BEGIN
    IF who IS DISTINCT FROM 'qualifier' THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    me := public.leaddesk_login_id();
    lead := CASE WHEN TG_OP = 'DELETE' THEN OLD.lead_id ELSE NEW.lead_id END;
    IF NOT EXISTS (SELECT 1 FROM public.leads l WHERE l.id = lead
                   AND (l.assigned_to_id IS NULL OR l.assigned_to_id = me
                        OR l.claimed_by_id = me)) THEN
        PERFORM public.leaddesk_refuse('this lead is a colleague''s: a rep answers and '
            || 'decides on their own leads and the pool''s');
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$fn$
"""

_PEOPLE_SQL = """
CREATE OR REPLACE FUNCTION public.leaddesk_guard_people() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $fn$
DECLARE
    who text := public.leaddesk_login_role();
BEGIN
    IF who IS NULL OR TG_OP <> 'UPDATE' THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF OLD.erased_at IS NOT NULL AND NEW.erased_at IS DISTINCT FROM OLD.erased_at THEN
        PERFORM public.leaddesk_refuse('an erasure is never taken back');
    END IF;
    IF who = 'qualifier' AND OLD.do_not_call AND NOT NEW.do_not_call THEN
        PERFORM public.leaddesk_refuse('only a team lead takes someone off do-not-call');
    END IF;
    RETURN NEW;
END
$fn$
"""

_USERS_SQL = """
CREATE OR REPLACE FUNCTION public.leaddesk_guard_users() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $fn$
DECLARE
    who text := public.leaddesk_login_role();
BEGIN
    IF who IS NULL OR who = 'admin' THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF NEW.role = 'admin' OR (TG_OP = 'UPDATE' AND OLD.role = 'admin') THEN
        PERFORM public.leaddesk_refuse('only an admin makes or changes an admin');
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.name = session_user
            AND (NEW.role IS DISTINCT FROM OLD.role OR NEW.active IS DISTINCT FROM OLD.active)
            THEN
        PERFORM public.leaddesk_refuse('a login cannot change its own role or state');
    END IF;
    RETURN NEW;
END
$fn$
"""

# Sales' answer is theirs; a team lead or admin erasing a person may only blank its comment.
_SALES_WORDS_SQL = """
CREATE OR REPLACE FUNCTION public.leaddesk_guard_sales_words() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $fn$
DECLARE
    who text := public.leaddesk_login_role();
BEGIN
    IF who IS NULL OR who = 'sales' THEN
        RETURN NEW;
    END IF;
    IF coalesce(NEW.detail, '') <> ''
            OR (to_jsonb(NEW) - 'detail') <> (to_jsonb(OLD) - 'detail') THEN
        PERFORM public.leaddesk_refuse('only sales writes sales'' answer; an erasure may '
            || 'only blank its comment');
    END IF;
    RETURN NEW;
END
$fn$
"""

_TRIGGERS: tuple[tuple[str, str, str], ...] = (
    # (table, name, the rest of CREATE TRIGGER after "ON table")
    (
        "leads",
        "leaddesk_guard",
        "BEFORE INSERT OR UPDATE OR DELETE ON public.leads FOR EACH ROW "
        "EXECUTE FUNCTION public.leaddesk_guard_leads()",
    ),
    (
        "call_attempts",
        "leaddesk_guard",
        "BEFORE INSERT OR UPDATE OR DELETE ON "
        "public.call_attempts FOR EACH ROW EXECUTE FUNCTION "
        "public.leaddesk_guard_own_rows('user_id', 'team_lead', 'admin')",
    ),
    (
        "notes",
        "leaddesk_guard",
        "BEFORE INSERT OR UPDATE OR DELETE ON public.notes FOR EACH "
        "ROW EXECUTE FUNCTION public.leaddesk_guard_own_rows('user_id', 'team_lead', 'admin')",
    ),
    (
        "verdicts",
        "leaddesk_guard",
        "BEFORE INSERT OR UPDATE OR DELETE ON public.verdicts FOR "
        "EACH ROW EXECUTE FUNCTION public.leaddesk_guard_own_rows('decided_by_id', 'team_lead')",
    ),
    (
        "verdicts",
        "leaddesk_guard_lead",
        "BEFORE INSERT OR UPDATE OR DELETE ON public.verdicts "
        "FOR EACH ROW EXECUTE FUNCTION public.leaddesk_guard_held_lead()",
    ),
    (
        "answers",
        "leaddesk_guard",
        "BEFORE INSERT OR UPDATE ON public.answers FOR EACH ROW "
        "EXECUTE FUNCTION public.leaddesk_guard_own_rows('answered_by_id', 'qualifier', "
        "'team_lead', 'admin')",
    ),
    (
        "answers",
        "leaddesk_guard_lead",
        "BEFORE INSERT OR UPDATE OR DELETE ON public.answers "
        "FOR EACH ROW EXECUTE FUNCTION public.leaddesk_guard_held_lead()",
    ),
    (
        "handoff_batches",
        "leaddesk_guard",
        "BEFORE INSERT OR UPDATE OR DELETE ON "
        "public.handoff_batches FOR EACH ROW EXECUTE FUNCTION "
        "public.leaddesk_guard_own_rows('created_by_id', 'team_lead', 'admin')",
    ),
    (
        "sales_feedback",
        "leaddesk_guard",
        "BEFORE INSERT OR UPDATE OR DELETE ON "
        "public.sales_feedback FOR EACH ROW EXECUTE FUNCTION "
        "public.leaddesk_guard_own_rows('recorded_by_id', 'team_lead', 'admin')",
    ),
    (
        "sales_feedback",
        "leaddesk_guard_words",
        "BEFORE UPDATE ON public.sales_feedback FOR EACH ROW "
        "EXECUTE FUNCTION public.leaddesk_guard_sales_words()",
    ),
    (
        "opportunity_refs",
        "leaddesk_guard",
        "BEFORE INSERT OR UPDATE OR DELETE ON "
        "public.opportunity_refs FOR EACH ROW EXECUTE FUNCTION "
        "public.leaddesk_guard_own_rows('recorded_by_id')",
    ),
    (
        "audit_events",
        "leaddesk_guard",
        "BEFORE INSERT ON public.audit_events FOR EACH ROW "
        "EXECUTE FUNCTION public.leaddesk_guard_own_rows('actor_id')",
    ),
    (
        "window_leases",
        "leaddesk_guard",
        "BEFORE INSERT OR UPDATE OR DELETE ON public.window_leases FOR EACH ROW "
        "EXECUTE FUNCTION public.leaddesk_guard_own_rows('user_id')",
    ),
    (
        "people",
        "leaddesk_guard",
        "BEFORE UPDATE ON public.people FOR EACH ROW "
        "EXECUTE FUNCTION public.leaddesk_guard_people()",
    ),
    (
        "users",
        "leaddesk_guard",
        "BEFORE INSERT OR UPDATE ON public.users FOR EACH ROW "
        "EXECUTE FUNCTION public.leaddesk_guard_users()",
    ),
)


def install_login_guards(connection: Connection, groups: dict[Role, str]) -> None:
    """Put the row guards in place for this store's login groups (safe to run again)."""
    statements = [
        _REFUSE_SQL,
        *_login_functions(groups),
        _LEADS_SQL,
        _QUALIFIED_SQL,
        _OWN_ROWS_SQL,
        _HELD_LEAD_SQL,
        _PEOPLE_SQL,
        _USERS_SQL,
        _SALES_WORDS_SQL,
    ]
    for table, name, rest in _TRIGGERS:
        statements.append(f"DROP TRIGGER IF EXISTS {name} ON public.{table}")
        statements.append(f"CREATE TRIGGER {name} {rest}")
    statements.append("DROP TRIGGER IF EXISTS leaddesk_qualified ON public.leads")
    statements.append(
        "CREATE CONSTRAINT TRIGGER leaddesk_qualified AFTER INSERT OR UPDATE ON public.leads "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
        "EXECUTE FUNCTION public.leaddesk_check_qualified()"
    )
    for statement in statements:
        connection.exec_driver_sql(statement.replace("%", "%%"), ())

"""The team database's own guards: which rows a login may touch, and how a lead's stage may move.

Grants (``leaddesk.store.rights``) say which statements a role's login may run; these triggers
say which rows and which moves. A login is recognised by ``session_user`` (the name it signed
in with), never ``current_user``, so ``SET ROLE`` or a connection option cannot make it
somebody else. The store's owner, and any role that is not one of this store's logins, is not
held back here: it is the one that upgrades and restores the store.

What a LeadDesk login may not do, whatever it types at a SQL prompt:
* set a lead to accepted or rejected, or move one that sales has (only a salesperson answers
  a handed-off lead, and only that); hand off a lead without a hand-off verdict and a batch;
  hand off a colleague's lead except as the sync does once sales' CRM has it (outbox row
  sent, a folderless CRM batch of the login's own, nothing else changed); as a salesperson,
  hand off anything but a qualified lead routed to them, in a batch of one, with their answer
  in the same transaction;
  mark a lead qualified without giving the hand-off verdict in the same transaction;
* as a qualifier: change a colleague's lead (beyond what an import or a do-not-call adds to it),
  log a call on it (but the one call a team lead's forced move took from them, once:
  ``leads.taken_from_call_id``, which only a team lead's move sets), claim a lead for someone
  else, give a lead to someone, release a do-not-call hold or take a person off the do-not-call
  list;
* write a call, note, verdict, answer, batch, sales answer or audit event in someone else's
  name, or change or remove a colleague's (team leads and admins may tidy calls and notes: an
  erasure blanks them);
* as a team lead: make anyone an admin, change an admin, or change their own role or state;
  write sales' answer (an erasure may only blank its comment);
* change or remove an audit event: the trail is append-only for every role, the owner
  included, except the words an erasure blanks (through ``leaddesk_scrub_audit``) and the lead
  of an event that is not work on it (a look, the sweep's untouched flag) when an undone import
  removes the lead.

Each audit row carries the login that wrote it (``db_login``). The audit trail's guard is here;
the row guards' SQL is in ``leaddesk.store.row_guards``, built with ``leaddesk.store.plpgsql``.
"""

from __future__ import annotations

from sqlalchemy import Connection

from leaddesk.domain import Role
from leaddesk.store.plpgsql import REFUSE_SQL, literal, row_trigger, trigger_function
from leaddesk.store.row_guards import login_guard_statements

REFUSE = "leaddesk_refuse"
SCRUB_FUNCTION = "leaddesk_scrub_audit"
_ERASING = "leaddesk.erasing"

# The events that are not work on a lead, which stay without it when an import is undone: a
# look (a claim taken or let go, a skip) and the sweep's untouched flag, put on or taken off.
# The values of ``leaddesk.audit.actions.NOT_WORK_ACTIONS`` (the store does not import the
# audit room); a change here needs a migration that reinstalls the guard (0033, 0034).
NOT_WORK_EVENTS = (
    "claim_released",
    "claim_taken",
    "flagged_untouched",
    "queue_skipped",
    "untouched_flag_cleared",
)
_NOT_WORK = ", ".join(literal(action) for action in NOT_WORK_EVENTS)

# The audit trail, on every PostgreSQL store (with logins or not).
_AUDIT_SQL = (
    REFUSE_SQL,
    trigger_function(
        "leaddesk_audit_append_only",
        """\
    IF TG_OP = 'UPDATE' AND current_setting('leaddesk.erasing', true) = 'on'
            AND NEW.id = OLD.id AND NEW.at = OLD.at
            AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
            AND NEW.action = OLD.action AND NEW.lead_id IS NOT DISTINCT FROM OLD.lead_id
            AND NEW.from_state IS NOT DISTINCT FROM OLD.from_state
            AND NEW.to_state IS NOT DISTINCT FROM OLD.to_state
            AND NEW.db_login IS NOT DISTINCT FROM OLD.db_login THEN
        RETURN NEW;  -- an erasure blanking the words about a person
    END IF;
    -- An event that is not work on a lead (a look: a claim taken or let go, a skip; the
    -- sweep's untouched flag, put on or taken off) outlives the lead when an undone import
    -- takes it away: the foreign key's ON DELETE SET NULL clears the event's lead, and
    -- nothing else. Any other event on a lead keeps the lead (its removal is refused).
    IF TG_OP = 'UPDATE' AND pg_trigger_depth() > 1
            AND OLD.lead_id IS NOT NULL AND NEW.lead_id IS NULL
            AND OLD.action IN (__NOT_WORK__)
            AND (to_jsonb(NEW) - 'lead_id') = (to_jsonb(OLD) - 'lead_id')
            AND NOT EXISTS (SELECT 1 FROM public.leads l WHERE l.id = OLD.lead_id) THEN
        RETURN NEW;
    END IF;
    PERFORM public.leaddesk_refuse('the audit trail is append-only: events are never '
        || 'changed or removed');
    RETURN NULL;
""".replace("__NOT_WORK__", _NOT_WORK),
    ),
    trigger_function(
        "leaddesk_audit_stamp",
        """\
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
""",
        declare="    trusted boolean;\n",
    ),
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
    *row_trigger(
        "audit_events",
        "leaddesk_append_only",
        "BEFORE UPDATE OR DELETE",
        "leaddesk_audit_append_only()",
    ),
    "DROP TRIGGER IF EXISTS leaddesk_append_only_truncate ON public.audit_events",
    "CREATE TRIGGER leaddesk_append_only_truncate BEFORE TRUNCATE ON public.audit_events "
    "FOR EACH STATEMENT EXECUTE FUNCTION public.leaddesk_audit_append_only()",
    *row_trigger("audit_events", "leaddesk_stamp", "BEFORE INSERT", "leaddesk_audit_stamp()"),
)


def install_audit_guard(connection: Connection) -> None:
    """Make the audit trail append-only and stamped with its writer's login (PostgreSQL; a
    store at an older schema, as a restore first makes it, gets it when it is upgraded)."""
    for statement in audit_guard_statements(connection):
        connection.exec_driver_sql(statement.replace("%", "%%"), ())


def audit_guard_statements(connection: Connection) -> tuple[str, ...]:
    """What ``install_audit_guard`` runs, for a caller that sends many statements at once:
    nothing on SQLite or before the audit trail has its login column."""
    if connection.dialect.name != "postgresql":
        return ()
    stamped = connection.exec_driver_sql(
        "SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('public.audit_events') "
        "AND attname = 'db_login' AND NOT attisdropped"
    )
    return _AUDIT_SQL if stamped.first() is not None else ()


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


def install_login_guards(connection: Connection, groups: dict[Role, str]) -> None:
    """Put the row guards in place for this store's login groups (safe to run again)."""
    for statement in login_guard_statements(groups):
        connection.exec_driver_sql(statement.replace("%", "%%"), ())

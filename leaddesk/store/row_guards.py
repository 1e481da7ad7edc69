"""The row guards on a team database with logins (docs/architecture.md §2): which rows a
LeadDesk login may touch and how a lead's stage may move, whatever it types at a SQL prompt.

``leaddesk.store.guards`` puts them in place; what each refuses is listed there.
"""

from __future__ import annotations

from leaddesk.domain import FRESH_STAGES, OPEN_STAGES, Role, Stage
from leaddesk.store.plpgsql import (
    LOGIN_ROLE,
    REFUSE_SQL,
    if_table,
    literal,
    row_trigger,
    trigger_function,
)


def _stages(stages: frozenset[Stage]) -> str:
    """Stages as a SQL list, in the lifecycle's order: the guards name them by value."""
    return ", ".join(literal(stage.value) for stage in Stage if stage in stages)


# A new lead starts new, or marketing-qualified when the definition's rule holds for it.
_FRESH = _stages(FRESH_STAGES)
_OPEN = _stages(OPEN_STAGES)


def _login_functions(groups: dict[Role, str]) -> tuple[str, ...]:
    cases = " ".join(
        f"WHEN {literal(group)} THEN {literal(role.value)}" for role, group in groups.items()
    )
    names = ", ".join(literal(group) for group in groups.values())
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


_LEADS_SQL = trigger_function(
    "leaddesk_guard_leads",
    """\
    IF who IS NULL THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    me := public.leaddesk_login_id();
    IF TG_OP = 'DELETE' THEN
        IF OLD.stage NOT IN (__FRESH__) OR OLD.attempts > 0 THEN
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
        IF who = 'sales' AND (NEW.stage NOT IN (__FRESH__) OR NEW.source <> 'sales_referral'
                OR NEW.referred_by_id IS DISTINCT FROM me) THEN
            PERFORM public.leaddesk_refuse('a salesperson adds a new lead as their own '
                || 'referral only');
        END IF;
        RETURN NEW;
    END IF;
    -- Handed off at once (leaddesk/handoff/at_once.py), and nothing else changed with it:
    -- the sync's login once sales' CRM has the lead, in a batch naming the CRM; or its
    -- salesperson answering a lead routed to them before any export, in a batch of one.
    IF OLD.stage = 'qualified' AND NEW.stage = 'handed_off' AND OLD.handoff_batch_id IS NULL
            AND (to_jsonb(NEW) - 'stage' - 'stage_changed_at' - 'handoff_batch_id' - 'version')
                = (to_jsonb(OLD) - 'stage' - 'stage_changed_at' - 'handoff_batch_id' - 'version')
            AND EXISTS (SELECT 1 FROM public.verdicts v
                        WHERE v.lead_id = NEW.id AND v.verdict = 'hand_off')
            AND EXISTS (SELECT 1 FROM public.handoff_batches b
                        WHERE b.id = NEW.handoff_batch_id AND b.created_by_id = me
                          AND b.folder IS NULL
                          AND ((who <> 'sales' AND b.files::jsonb ->> 'kind' = 'crm'
                                AND EXISTS (SELECT 1 FROM public.sync_outbox o
                                            WHERE o.lead_id = NEW.id AND o.status = 'sent'))
                               OR (who = 'sales' AND b.files::jsonb ->> 'kind' = 'answered'
                                   AND OLD.sales_owner_id = me))) THEN
        RETURN NEW;
    END IF;
    IF who = 'sales' THEN
        IF OLD.stage <> 'handed_off'
                OR NEW.stage NOT IN ('accepted', 'rejected', 'nurture', 'working')
                OR NEW.handoff_batch_id IS DISTINCT FROM OLD.handoff_batch_id THEN
            PERFORM public.leaddesk_refuse('a salesperson answers a lead handed to sales '
                || '(accepted, or rejected and routed) and changes nothing else');
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
    IF NEW.sales_owner_id IS DISTINCT FROM OLD.sales_owner_id AND NEW.sales_owner_id IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM public.users u WHERE u.id = NEW.sales_owner_id
                            AND u.role = 'sales') THEN
        PERFORM public.leaddesk_refuse('a hand-off goes to a salesperson');
    END IF;
    IF who <> 'qualifier' THEN
        RETURN NEW;
    END IF;
    -- A qualifier names the salesperson (and starts their clock) only with a verdict that
    -- hands the lead on, and clears them only when its undo puts the lead back to work.
    IF (NEW.sales_owner_id IS DISTINCT FROM OLD.sales_owner_id
            OR NEW.sales_clock_at IS DISTINCT FROM OLD.sales_clock_at
            OR NEW.sales_due_at IS DISTINCT FROM OLD.sales_due_at
            OR NEW.sales_flagged_at IS DISTINCT FROM OLD.sales_flagged_at)
            AND NOT (OLD.stage IN (__OPEN__)
                     AND NEW.stage IN ('qualified', 'existing_account')
                     AND NEW.sales_flagged_at IS NULL)
            AND NOT (OLD.stage IN ('qualified', 'existing_account')
                     AND NEW.stage IN (__OPEN__)
                     AND NEW.sales_owner_id IS NULL AND NEW.sales_clock_at IS NULL
                     AND NEW.sales_due_at IS NULL AND NEW.sales_flagged_at IS NULL) THEN
        PERFORM public.leaddesk_refuse('a rep chooses the salesperson only through a verdict');
    END IF;
    -- Only a team lead's forced move names the rep whose call it took; that rep's kept call
    -- clears their name (leaddesk/calling/kept_call.py), and nobody else touches it.
    IF NEW.taken_from_call_id IS DISTINCT FROM OLD.taken_from_call_id
            AND NOT (OLD.taken_from_call_id = me AND NEW.taken_from_call_id IS NULL) THEN
        PERFORM public.leaddesk_refuse('only a team lead''s move names the rep whose call '
            || 'it took');
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
            OR NEW.cadence_attempts IS DISTINCT FROM OLD.cadence_attempts
            OR NEW.handoff_batch_id IS DISTINCT FROM OLD.handoff_batch_id
            OR NEW.closed_at IS DISTINCT FROM OLD.closed_at
            OR NEW.definition_version_id IS DISTINCT FROM OLD.definition_version_id
            OR NEW.person_id IS DISTINCT FROM OLD.person_id
            OR NEW.framework_score IS DISTINCT FROM OLD.framework_score
            OR NEW.first_contact_at IS DISTINCT FROM OLD.first_contact_at
            OR NEW.last_attempt_at IS DISTINCT FROM OLD.last_attempt_at
            OR NEW.sla_due_at IS DISTINCT FROM OLD.sla_due_at
            OR NEW.marketing_qualified_at IS DISTINCT FROM OLD.marketing_qualified_at
            OR NEW.flagged_untouched_at IS DISTINCT FROM OLD.flagged_untouched_at
            OR NEW.import_key IS DISTINCT FROM OLD.import_key
            OR (NEW.hold_reason IS DISTINCT FROM OLD.hold_reason
                AND NEW.hold_reason IS DISTINCT FROM 'do_not_call')) THEN
        PERFORM public.leaddesk_refuse('this lead is a colleague''s: a rep works their own '
            || 'leads and the pool''s');
    END IF;
    RETURN NEW;
""".replace("__FRESH__", _FRESH).replace("__OPEN__", _OPEN),
    declare=LOGIN_ROLE
    + """\
    me integer;
    theirs boolean;
""",
)

# A lead becomes "qualified" (waiting for sales) only with the hand-off verdict that says so,
# checked when the transaction commits (the verdict row may be written after the lead's).
_QUALIFIED_SQL = trigger_function(
    "leaddesk_check_qualified",
    """\
    IF public.leaddesk_login_role() IS NULL THEN
        RETURN NULL;
    END IF;
    -- A salesperson hands a routed lead off before any export only with their answer.
    IF public.leaddesk_login_role() = 'sales' AND TG_OP = 'UPDATE' AND OLD.stage = 'qualified'
            AND NOT EXISTS (SELECT 1 FROM public.sales_feedback f WHERE f.lead_id = NEW.id
                            AND f.batch_id = NEW.handoff_batch_id) THEN
        PERFORM public.leaddesk_refuse('a salesperson hands a lead off only with their answer');
    END IF;
    -- The salesperson a rep's verdict names is the one its verdict row records.
    IF public.leaddesk_login_role() = 'qualifier' AND TG_OP = 'UPDATE'
            AND NEW.sales_owner_id IS NOT NULL
            AND NEW.sales_owner_id IS DISTINCT FROM OLD.sales_owner_id
            AND NOT EXISTS (SELECT 1 FROM public.verdicts v WHERE v.lead_id = NEW.id
                            AND v.salesperson_id = NEW.sales_owner_id
                            AND v.decided_by_id = public.leaddesk_login_id()) THEN
        PERFORM public.leaddesk_refuse('a rep chooses the salesperson only through a verdict '
            || 'naming them');
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
""",
)

# Rows written in someone's name: TG_ARGV[0] is the column naming them, the rest the roles
# that may also change or remove colleagues' rows.
_OWN_ROWS_SQL = trigger_function(
    "leaddesk_guard_own_rows",
    """\
    IF who IS NULL THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    -- The owner's erasure function blanking an erased person's words (store/erasure_functions).
    IF TG_OP = 'UPDATE' AND current_setting('leaddesk.erasing', true) = 'on'
            AND current_user = (SELECT t.tableowner FROM pg_tables t
                                WHERE t.schemaname = 'public' AND t.tablename = TG_TABLE_NAME) THEN
        RETURN NEW;
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
    -- A row going with its parent (ON DELETE CASCADE: an undone import takes its skips).
    IF TG_OP <> 'INSERT' AND NOT who = ANY(TG_ARGV[1:])
            AND NOT (TG_OP = 'DELETE' AND pg_trigger_depth() > 1) THEN
        was := (to_jsonb(OLD) ->> column_name)::integer;
        IF was IS DISTINCT FROM me THEN
            PERFORM public.leaddesk_refuse('this was written by a colleague: only they '
                || 'change it');
        END IF;
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
""",
    declare=LOGIN_ROLE
    + """\
    me integer;
    column_name text := TG_ARGV[0];
    was integer;
    now_is integer;
""",
)

# Answers and verdicts belong to the lead they are about: a rep gives them on a lead they
# hold (theirs, claimed by them, or the pool's).
_HELD_LEAD_SQL = trigger_function(
    "leaddesk_guard_held_lead",
    """\
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
""",
    declare=LOGIN_ROLE
    + """\
    me integer;
    lead integer;
""",
)

# A rep logs calls on the leads they hold (theirs, claimed by them, or the pool's), and the one
# call a team lead's forced move cut across on a lead that went to a colleague: once.
_CALL_LEAD_SQL = trigger_function(
    "leaddesk_guard_call_lead",
    """\
    IF who IS DISTINCT FROM 'qualifier' THEN
        RETURN NEW;
    END IF;
    me := public.leaddesk_login_id();
    IF EXISTS (SELECT 1 FROM public.leads l WHERE l.id = NEW.lead_id
               AND (l.assigned_to_id IS NULL OR l.assigned_to_id = me
                    OR l.claimed_by_id = me)) THEN
        RETURN NEW;
    END IF;
    UPDATE public.leads SET taken_from_call_id = NULL
        WHERE id = NEW.lead_id AND taken_from_call_id = me;
    IF NOT FOUND THEN
        PERFORM public.leaddesk_refuse('this lead is a colleague''s: a rep logs calls on '
            || 'their own leads and the pool''s (and the one call a move took from them)');
    END IF;
    RETURN NEW;
""",
    declare=LOGIN_ROLE
    + """\
    me integer;
""",
)

_PEOPLE_SQL = trigger_function(
    "leaddesk_guard_people",
    """\
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
""",
    declare=LOGIN_ROLE,
)

_USERS_SQL = trigger_function(
    "leaddesk_guard_users",
    """\
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
""",
    declare=LOGIN_ROLE,
)

# Sales' answer is theirs; an erasure by a team lead or admin blanks an erased person's comment.
_SALES_WORDS_SQL = trigger_function(
    "leaddesk_guard_sales_words",
    """\
    IF who IS NULL OR who = 'sales' THEN RETURN NEW; END IF;
    IF coalesce(NEW.detail, '') <> ''
            OR (to_jsonb(NEW) - 'detail') <> (to_jsonb(OLD) - 'detail')
            OR NOT EXISTS (SELECT 1 FROM public.leads l JOIN public.people p ON p.id = l.person_id
                WHERE l.id = NEW.lead_id AND p.erased_at IS NOT NULL) THEN
        PERFORM public.leaddesk_refuse('only sales writes sales'' answer; an erasure may '
            || 'only blank an erased person''s comment');
    END IF;
    RETURN NEW;
""",
    declare=LOGIN_ROLE,
)


# A meeting booked through LeadDesk (leaddesk/meetings/): a salesperson books, moves and
# cancels only the meetings with them; a rep moves and cancels the ones they booked or whose
# lead is theirs (the held-lead guard keeps their bookings to their own and the pool's leads).
_MEETINGS_SQL = trigger_function(
    "leaddesk_guard_meetings",
    """\
    IF who IS NULL OR who IN ('team_lead', 'admin') THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    me := public.leaddesk_login_id();
    IF who = 'sales' AND ((TG_OP <> 'INSERT' AND OLD.salesperson_id IS DISTINCT FROM me)
            OR (TG_OP <> 'DELETE' AND NEW.salesperson_id IS DISTINCT FROM me)) THEN
        PERFORM public.leaddesk_refuse('a salesperson books and changes only the meetings '
            || 'with them');
    END IF;
    IF who = 'qualifier' AND TG_OP <> 'INSERT' AND OLD.booked_by_id IS DISTINCT FROM me
            AND NOT EXISTS (SELECT 1 FROM public.leads l WHERE l.id = OLD.lead_id
                            AND l.assigned_to_id = me) THEN
        PERFORM public.leaddesk_refuse('a colleague booked this meeting for their lead: they '
            || 'or the salesperson change it');
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
""",
    declare=LOGIN_ROLE
    + """\
    me integer;
""",
)

_ALL = "BEFORE INSERT OR UPDATE OR DELETE"

# (table, trigger, when, the function with its arguments)
_TRIGGERS: tuple[tuple[str, str, str, str], ...] = (
    ("leads", "leaddesk_guard", _ALL, "leaddesk_guard_leads()"),
    (
        "call_attempts",
        "leaddesk_guard",
        _ALL,
        "leaddesk_guard_own_rows('user_id', 'team_lead', 'admin')",
    ),
    ("call_attempts", "leaddesk_guard_lead", "BEFORE INSERT", "leaddesk_guard_call_lead()"),
    ("notes", "leaddesk_guard", _ALL, "leaddesk_guard_own_rows('user_id', 'team_lead', 'admin')"),
    ("verdicts", "leaddesk_guard", _ALL, "leaddesk_guard_own_rows('decided_by_id', 'team_lead')"),
    ("verdicts", "leaddesk_guard_lead", _ALL, "leaddesk_guard_held_lead()"),
    (
        "answers",
        "leaddesk_guard",
        "BEFORE INSERT OR UPDATE",
        "leaddesk_guard_own_rows('answered_by_id', 'qualifier', 'team_lead', 'admin')",
    ),
    ("answers", "leaddesk_guard_lead", _ALL, "leaddesk_guard_held_lead()"),
    (
        "handoff_batches",
        "leaddesk_guard",
        _ALL,
        "leaddesk_guard_own_rows('created_by_id', 'team_lead', 'admin')",
    ),
    (
        "sales_feedback",
        "leaddesk_guard",
        _ALL,
        "leaddesk_guard_own_rows('recorded_by_id', 'team_lead', 'admin')",
    ),
    ("sales_feedback", "leaddesk_guard_words", "BEFORE UPDATE", "leaddesk_guard_sales_words()"),
    ("opportunity_refs", "leaddesk_guard", _ALL, "leaddesk_guard_own_rows('recorded_by_id')"),
    ("meetings", "leaddesk_guard", _ALL, "leaddesk_guard_meetings()"),
    ("meetings", "leaddesk_guard_lead", "BEFORE INSERT", "leaddesk_guard_held_lead()"),
    ("audit_events", "leaddesk_guard", "BEFORE INSERT", "leaddesk_guard_own_rows('actor_id')"),
    ("window_leases", "leaddesk_guard", _ALL, "leaddesk_guard_own_rows('user_id')"),
    # A rep skips for themselves only: a skip in a colleague's name would sink a lead in their
    # queue, and removing a colleague's would pull the lead they put off back to the top.
    (
        "queue_skips",
        "leaddesk_guard",
        _ALL,
        "leaddesk_guard_own_rows('user_id', 'team_lead', 'admin')",
    ),
    ("people", "leaddesk_guard", "BEFORE UPDATE", "leaddesk_guard_people()"),
    ("users", "leaddesk_guard", "BEFORE INSERT OR UPDATE", "leaddesk_guard_users()"),
)


def login_guard_statements(groups: dict[Role, str]) -> list[str]:
    """The statements that put the row guards in place for this store's login groups (safe to
    run again)."""
    statements = [
        REFUSE_SQL,
        *_login_functions(groups),
        _LEADS_SQL,
        _QUALIFIED_SQL,
        _OWN_ROWS_SQL,
        _HELD_LEAD_SQL,
        _CALL_LEAD_SQL,
        _PEOPLE_SQL,
        _USERS_SQL,
        _SALES_WORDS_SQL,
        _MEETINGS_SQL,
    ]
    for table, name, when, call in _TRIGGERS:
        # queue_skips is newer than 0025, which puts the guards back part-way up the chain.
        made = row_trigger(table, name, when, call)
        statements.extend(if_table(table, sql) if table == "queue_skips" else sql for sql in made)
    statements.append("DROP TRIGGER IF EXISTS leaddesk_qualified ON public.leads")
    statements.append(
        "CREATE CONSTRAINT TRIGGER leaddesk_qualified AFTER INSERT OR UPDATE ON public.leads "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
        "EXECUTE FUNCTION public.leaddesk_check_qualified()"
    )
    return statements

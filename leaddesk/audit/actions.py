"""What an audit event says was done: one word per kind of change (docs/architecture.md §4).

The values are the strings stored in ``audit_events.action`` since the first schema, so old
rows read the same; a reader filters on these members, never on a spelled-out string.
"""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    # the lead lifecycle
    ANSWERS_SAVED = "answers_saved"
    VERDICT_GIVEN = "verdict_given"
    VERDICT_OVERRIDDEN = "verdict_overridden"
    VERDICT_UNDONE = "verdict_undone"
    VERDICT = "verdict"  # demo data: a verdict from the made-up past
    NURTURED_UNREACHABLE = "nurtured_unreachable"
    HANDED_OFF = "handed_off"
    # sent to sales' CRM by the sync, or answered by sales before any export
    HANDED_OFF_AT_ONCE = "handed_off_at_once"
    SALES_FEEDBACK = "sales_feedback"
    SALES_FEEDBACK_IMPORTED = "sales_feedback_imported"
    SALES_FOLLOWUP_FLAGGED = "sales_followup_flagged"  # told the team lead and sales manager
    SALES_FOLLOWUP_MOVED = "sales_followup_moved"  # late: to another salesperson
    # the meeting booked on the call (its invitation's UID stays; a move or cancel updates it)
    MEETING_BOOKED = "meeting_booked"
    MEETING_MOVED = "meeting_moved"
    MEETING_CANCELLED = "meeting_cancelled"
    LEAD_REOPENED = "lead_reopened"
    LEAD_RECYCLED = "lead_recycled"
    # a recycled lead meets the definition's rule for its added stage (Basic Qualified Lead)
    MARKETING_QUALIFIED = "marketing_qualified"
    RECYCLE_SKIPPED = "recycle_skipped"
    LEAD_CLOSED_ERASED = "lead_closed_erased"
    # calls and claims
    CALL_LOGGED = "call_logged"
    CALL_ENDED = "call_ended"
    CALL_UNDONE = "call_undone"
    CLAIM_TAKEN = "claim_taken"
    CLAIM_RELEASED = "claim_released"
    QUEUE_SKIPPED = "queue_skipped"  # "skip for now": the lead waits behind the next few
    NOTE_ADDED = "note_added"
    CONTACT_CHANGED = "contact_changed"
    # the team lead's moves and the sweep
    REASSIGNED = "reassigned"
    REASSIGN_AFTER_CALL = "reassign_after_call"
    FLAGGED_UNTOUCHED = "flagged_untouched"
    UNTOUCHED_FLAG_CLEARED = "untouched_flag_cleared"
    # intake
    IMPORT_STARTED = "import_started"
    IMPORT_CHUNK = "import_chunk"
    IMPORT_INTEREST = "import_interest"
    IMPORT_FINISHED = "import_finished"
    IMPORT_UNDONE = "import_undone"
    IMPORT_INTEREST_UNDONE = "import_interest_undone"
    LEAD_ADDED_BY_HAND = "lead_added_by_hand"
    MAPPING_SAVED = "mapping_saved"
    DO_NOT_CALL_ON_IMPORT = "do_not_call_on_import"
    # privacy
    DO_NOT_CALL_LISTED = "do_not_call_listed"
    DO_NOT_CALL_IMPORTED = "do_not_call_imported"
    DO_NOT_CALL_REMOVED = "do_not_call_removed"
    PERSON_ERASED = "person_erased"
    # hand-off batches
    HANDOFF_BATCH_STARTED = "handoff_batch_started"
    HANDOFF_BATCH_COMPLETE = "handoff_batch_complete"
    HANDOFF_BATCH_ABANDONED = "handoff_batch_abandoned"
    HANDOFF_BATCH_REWRITTEN = "handoff_batch_rewritten"
    # the sync to sales' CRM
    SENT_TO_CRM = "sent_to_crm"
    CRM_REFUSED = "crm_refused"
    SYNC_SET_UP = "sync_set_up"
    # people, the definition, the store
    USER_ADDED = "user_added"
    USER_CHANGED = "user_changed"
    CALENDAR_SET = "calendar_set"  # a salesperson's working hours and calendar (ICS)
    USER_DEACTIVATED = "user_deactivated"
    USER_REACTIVATED = "user_reactivated"
    PASSWORD_SET = "password_set"
    PASSWORDS_TURNED_OFF = "passwords_turned_off"  # every user's cleared: anyone picks a name
    DEFINITION_PUBLISHED = "definition_published"
    BACKUP_TAKEN = "backup_taken"
    STORE_RESTORED = "store_restored"
    DATABASE_GRANTS = "database_grants"
    DATABASE_LOGIN_MADE = "database_login_made"
    DATABASE_LOGIN_CHANGED = "database_login_changed"

    @property
    def label(self) -> str:
        """The action as the timeline says it: 'call logged'."""
        return self.value.replace("_", " ")


# A rep's look at a lead, not work on it: the claim the window takes while the lead is open,
# its release, and "skip for now".
LOOK_ACTIONS = frozenset(
    {AuditAction.CLAIM_TAKEN, AuditAction.CLAIM_RELEASED, AuditAction.QUEUE_SKIPPED}
)
# The sweep's bookkeeping that nobody worked a lead, not work on it either: the untouched flag
# put on and taken off (``leaddesk.team.sweep``; the touch that takes it off is work of its own).
UNTOUCHED_FLAG_ACTIONS = frozenset(
    {AuditAction.FLAGGED_UNTOUCHED, AuditAction.UNTOUCHED_FLAG_CLEARED}
)
# What is not work on a lead: an undone import takes leads with only these along, and the
# events stay in the trail without their lead (``leaddesk.intake.undo``).
NOT_WORK_ACTIONS = LOOK_ACTIONS | UNTOUCHED_FLAG_ACTIONS

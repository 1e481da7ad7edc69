"""What each role's own database login may do, table by table and column by column.

This table is the team database's half of docs/architecture.md §2: ``grants.apply_grants``
gives each role's group exactly these rights, and ``tests/test_database_rights.py`` tries
every table × operation as each role's login and compares what the server allowed with this
table. Which rows a role may touch (their own calls, their own leads, the stages they may move
a lead to) is the business of the guards in ``leaddesk.store.guards``; here is only which
statements a login may run at all.

Every role reads every table (the app shows them) but the password hashes, which no login
reads, and marketing, which reads no rep's words:
not the answers, notes, call notes, verdict reasons or the audit trail's details (``hidden``).
Nobody but the store's owner truncates,
changes the schema's bookkeeping or changes a published lead definition.
"""

from __future__ import annotations

from dataclasses import dataclass

from leaddesk.domain import Role

EVERY_COLUMN = "*"


@dataclass(frozen=True)
class Rights:
    """One role's rights on one table besides reading it."""

    insert: bool = False
    # The columns it may UPDATE: EVERY_COLUMN, or a tuple of names (empty: none).
    update: str | tuple[str, ...] = ()
    delete: bool = False
    # The columns it may not even SELECT: EVERY_COLUMN (the whole table), or a tuple of names.
    hidden: str | tuple[str, ...] = ()

    def may_read(self, column: str) -> bool:
        return self.hidden != EVERY_COLUMN and column not in self.hidden

    def may_update(self, column: str) -> bool:
        return self.update == EVERY_COLUMN or column in self.update


READ = Rights()
ADD = Rights(insert=True)
ADD_CHANGE = Rights(insert=True, update=EVERY_COLUMN)
ALL = Rights(insert=True, update=EVERY_COLUMN, delete=True)
ADD_REMOVE = Rights(insert=True, delete=True)

# Nobody's login reads a password's hash (an argon2 hash copied out is cracked offline): the
# app asks the owner's function which users have one (leaddesk/store/password_holders.py).
_HASH = ("password_hash",)
_USERS_READ = Rights(hidden=_HASH)
# A team lead or admin changes a colleague's name on screen, role, capacity and state, never
# the name their database login goes by (a renamed row would hand one person's login to
# another).
_USERS_MANAGED = Rights(
    insert=True,
    update=("display_name", "role", "capacity", "active", "territories", "timezone"),
    hidden=_HASH,
)
# A salesperson moves a handed-off lead to their answer and nothing else on it (a lead routed
# to them and answered before any export goes into a batch of one first: its batch too).
_SALES_ANSWER = Rights(
    update=("stage", "stage_changed_at", "closed_at", "handoff_batch_id", "version")
)
# A salesperson's referral goes in as an import of one row (leaddesk/intake/by_hand.py): the
# person, their company, the lead credited to them (the guards: a new sales_referral of theirs
# only), the run it came in with and the lead's first owner. Nothing already there changes.
_SALES_REFERRAL = Rights(insert=True, update=_SALES_ANSWER.update)

# An erasure blanks sales' comment about the person (and the guards let it do nothing else).
_ERASURE_BLANKS = Rights(update=("detail",))

# The qualifier's rights, which the team lead's extend.
_QUALIFIER: dict[str, Rights] = {
    "accounts": ALL,  # an import makes them, and its undo takes them back
    "people": ALL,
    "leads": ALL,
    "answers": ALL,
    "call_attempts": ALL,
    "notes": ALL,
    "lead_file_values": ALL,  # written with an import's leads, gone with them
    "handoff_batches": ALL,  # an export that could not write its files is undone
    "import_runs": ADD_CHANGE,
    "source_mappings": ADD_CHANGE,
    "assignments": ADD_REMOVE,
    "verdicts": ADD_REMOVE,  # given, or taken back within minutes (undo)
    "audit_events": ADD,
    # A rep hears "take me off your list" on a call; only team leads take anyone off it.
    "do_not_call_entries": ADD,
    "users": _USERS_READ,
    "definition_versions": READ,
    "opportunity_refs": READ,
    "sales_feedback": READ,
    "alembic_version": READ,
    "window_leases": ALL,  # the one window a person has open (their own row: the guards)
    # A team lead's move waiting for a call: carried out (removed) when the rep lets go.
    "pending_moves": ADD_REMOVE,
    # A rep's "skip for now": a skip of the same lead replaces theirs, lapsed ones are cleared.
    "queue_skips": ADD_REMOVE,
    # The store's own code is made once, by whoever's export needs it first, never changed.
    "store_identity": ADD,
    # A hand-off verdict queues its lead for sales' CRM; the rep's window sends it and marks it.
    "sync_outbox": ALL,  # a verdict taken back before it was sent takes its row with it
    "sync_settings": READ,  # an admin sets the connector up
    # A rep books, moves and cancels the salesperson's meetings on the call (a lead's undone
    # import takes its meetings with it); the salespeople's calendars are theirs to give.
    "meetings": ALL,
    "sales_calendars": READ,
}

RIGHTS: dict[Role, dict[str, Rights]] = {
    Role.QUALIFIER: _QUALIFIER,
    Role.TEAM_LEAD: {
        **_QUALIFIER,
        "users": _USERS_MANAGED,
        "definition_versions": ADD,  # publishing adds a version; none is ever changed
        "do_not_call_entries": ALL,
        "verdicts": ALL,  # a reopened lead's verdict is withdrawn; an erasure blanks words
        "pending_moves": ALL,  # a second move of a lead on a call replaces the first
        "sales_feedback": _ERASURE_BLANKS,
        "sales_calendars": ADD_CHANGE,  # a salesperson's hours and calendar, set for them
    },
    Role.SALES: {
        **{table: READ for table in _QUALIFIER},
        "users": _USERS_READ,
        "window_leases": ALL,
        "store_identity": ADD,
        "leads": _SALES_REFERRAL,
        "people": ADD,
        "accounts": ADD,
        "import_runs": ADD_CHANGE,
        "lead_file_values": ADD,
        "assignments": ADD,
        "handoff_batches": ADD,  # the batch of one a routed lead answered at once goes into
        "opportunity_refs": ADD_CHANGE,
        "sales_feedback": ADD_CHANGE,
        "audit_events": ADD,
        # Pulling sales' answers from the CRM moves the pull's cursor, and nothing else there.
        "sync_settings": Rights(update=("pulled_until",)),
        "meetings": ADD_CHANGE,  # a salesperson moves or cancels the meetings booked with them
        # ... and a move of a lead the sync sent queues it for the CRM again, nothing more.
        "sync_outbox": Rights(update=("status", "error", "queued_at")),
        "sales_calendars": ADD_CHANGE,  # their own hours and calendar
    },
    Role.MARKETING: {
        **{table: READ for table in _QUALIFIER},
        "users": _USERS_READ,
        "window_leases": ALL,  # their one open window, as everyone's
        # A sign-in writes its event; the details (an answer's undo snapshot) stay unread.
        "audit_events": Rights(insert=True, hidden=("details",)),
        "answers": Rights(hidden=EVERY_COLUMN),
        "notes": Rights(hidden=EVERY_COLUMN),
        "call_attempts": Rights(hidden=("note",)),
        "verdicts": Rights(hidden=("reason", "override_reason", "answers")),
    },
    Role.ADMIN: {
        **_QUALIFIER,
        "users": _USERS_MANAGED,
        "definition_versions": ADD,
        "do_not_call_entries": ALL,
        "answers": READ,  # an admin runs the store, not the questionnaire
        "verdicts": READ,
        "sales_feedback": _ERASURE_BLANKS,
        "sync_settings": ADD_CHANGE,
        "meetings": READ,  # an admin runs the store, not the salespeople's diaries
        "sales_calendars": ADD_CHANGE,
    },
}

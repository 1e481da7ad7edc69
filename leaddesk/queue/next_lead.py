"""``next``: claim the top of the rep's queue and hand it over, in one short transaction.

On SQLite the queue's facts (policy, zones, skips) are kept from the rep's last `next` and
checked by the claim's audit row (leaddesk/queue/kept_facts.py), and each band's first lead is
found, claimed and shown by one statement (leaddesk/queue/top_claim.py). Elsewhere, and with
skips, the facts and the first few candidates are read with one statement each; then each
candidate in turn is claimed with a conditional UPDATE, checked by what it changed: one a
colleague took in between fails and the next is tried. On PostgreSQL the claim, its audit row
and the row shown to the rep are one statement, so ``next`` costs three round trips.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, Integer, Select, bindparam, func, insert, select, true

from leaddesk.audit.actions import AuditAction
from leaddesk.queue import kept_facts
from leaddesk.queue.claims import LEASE, claim_statement, try_claim
from leaddesk.queue.kept_facts import KeptFacts, Marks
from leaddesk.queue.listing import OWNER, ROW_COLUMNS, candidates, load_rows, shown_row
from leaddesk.queue.rows import QueueRow
from leaddesk.queue.scope import QueueScope, scope_for
from leaddesk.queue.top_claim import claim_top
from leaddesk.store import Store
from leaddesk.store.claim_sql import lease_connection
from leaddesk.store.driver_statements import DriverConnection, DriverStatement
from leaddesk.store.models import Account, AuditEvent, Lead, Person
from leaddesk.store.types import JSONText, UTCDateTime

PER_ROUND = 8
# Bounded, in case colleagues keep winning every race for the top of the queue.
ROUNDS = 64


def next_lead(store: Store, user_id: int, at: datetime) -> QueueRow | None:
    """Claim the best callable lead for ``user_id``; None when nothing is callable now.

    Leads the rep already holds are skipped, so asking again gives the next one (the held
    ones go back to the queue when their lease runs out or a call is logged).
    """
    if store.is_sqlite:
        kept = kept_facts.kept_for(store, user_id)
        if kept is not None:
            try:
                with lease_connection(store) as connection:
                    return _with_kept_facts(store, connection, kept, at)
            except _FactsMoved:
                kept_facts.forget(store, user_id)  # read afresh below
    with lease_connection(store) as connection:
        scope = scope_for(connection, user_id, at, skip_own_claims=True)
        if store.is_sqlite and not scope.skips:
            return _claim_top(connection, scope, kept_facts.keep(store, connection, scope))
        kept_facts.forget(store, user_id)
        for round_ in range(ROUNDS):
            if round_:
                scope = scope_for(connection, user_id, at, skip_own_claims=True)
            ids = candidates(connection, scope, _wanted(store, scope, round_))
            if not ids:
                return None
            for lead_id in ids:
                row = _claim(connection, lead_id, scope, postgres=not store.is_sqlite)
                if row is not None:
                    return row
    return None


class _FactsMoved(Exception):
    """The facts `next` kept changed under it (its claim is rolled back with this)."""


def _with_kept_facts(
    store: Store, connection: Connection | DriverConnection, kept: KeptFacts, at: datetime
) -> QueueRow | None:
    """SQLite: claim with the facts kept from the rep's last `next`. With no lead found, the
    facts are read again in the same transaction: were they the store's, nothing is
    callable; if not, the top is claimed under the new ones."""
    scope = kept.scope_at(at)
    taken = claim_top(connection, scope)
    if taken is not None:
        return _noted_and_shown(connection, taken[1], scope, kept.marks)
    fresh = scope_for(connection, scope.user_id, at, skip_own_claims=True)
    if fresh.skips:
        raise _FactsMoved
    marks = kept_facts.keep(store, connection, fresh)
    if marks == kept.marks:
        return None
    return _claim_top(connection, fresh, marks)


def _claim_top(
    connection: Connection | DriverConnection, scope: QueueScope, marks: Marks
) -> QueueRow | None:
    """SQLite: the top of the queue found and claimed by one statement per band asked, then
    its audit row."""
    taken = claim_top(connection, scope)
    if taken is None:
        return None
    return _noted_and_shown(connection, taken[1], scope, marks)


def _noted_and_shown(
    connection: Connection | DriverConnection, row: Sequence[Any], scope: QueueScope, marks: Marks
) -> QueueRow:
    if not kept_facts.note_claim(connection, row[0], scope, marks):
        raise _FactsMoved  # a definition published, a new zone, a skip: the claim undone
    return shown_row(row, scope)


def _noted(lead_id: int, scope: QueueScope) -> dict[str, Any]:
    """The claim's audit row's values."""
    user_id, at = scope.user_id, scope.at
    return {
        "lead_id": lead_id,
        "user_id": user_id,
        "audit_at": at,
        "action": AuditAction.CLAIM_TAKEN.value,
        "to_state": f"claimed:{user_id}",
        "details": {"until": (at + LEASE).isoformat()},
    }


def _wanted(store: Store, scope: QueueScope, round_: int) -> int:
    """How many candidates to read. SQLite holds the write lock from the transaction's first
    statement (BEGIN IMMEDIATE), so no colleague can take the first candidate before it is
    claimed: one is read (each band's queries stop at one row instead of eight). Skips move
    leads behind the next few, so with skips the next few are read, as a page reads them."""
    if store.is_sqlite and round_ == 0 and not scope.skips:
        return 1
    return PER_ROUND


def _claim(
    connection: Connection | DriverConnection, lead_id: int, scope: QueueScope, *, postgres: bool
) -> QueueRow | None:
    user_id, at = scope.user_id, scope.at
    noted = _noted(lead_id, scope)
    if postgres:
        assert isinstance(connection, Connection)  # PostgreSQL's lease: a Connection
        params = {"at": at, "expires": at + LEASE, **noted}
        found = connection.execute(_claim_and_show(), params).first()
        return shown_row(found, scope) if found is not None else None
    if try_claim(connection, lead_id, user_id=user_id, at=at) is None:
        return None
    _note_claim().changed(connection, noted)
    rows = load_rows(connection, [lead_id], scope)
    return rows[0] if rows else None


def _audit_values() -> list[Any]:
    return [
        bindparam("audit_at", type_=UTCDateTime()),
        bindparam("user_id", type_=Integer),
        bindparam("action"),
        bindparam("to_state"),
        bindparam("details", type_=JSONText()),
    ]


@cache
def _note_claim() -> DriverStatement:
    """The claim's audit row, as ``audit.record`` writes it, without building an ORM object."""
    columns = ["at", "actor_id", "action", "to_state", "details", "lead_id"]
    values = [*_audit_values(), bindparam("lead_id", type_=Integer)]
    return DriverStatement(insert(AuditEvent).from_select(columns, select(*values)))


@cache
def _claim_and_show() -> Select[Any]:
    """PostgreSQL: claim, audit row and the row shown, in one statement (data-modifying CTEs).

    The outer SELECT reads the lead's columns from the UPDATE's RETURNING: it would see the
    row as it was before the claim otherwise."""
    lead_columns = [column for column in ROW_COLUMNS if column.class_ is Lead]
    claimed = (
        claim_statement(False)
        .returning(*lead_columns, Lead.person_id, Lead.account_id)
        .cte("claimed")
    )
    audit_columns = ["at", "actor_id", "action", "to_state", "details", "lead_id"]
    noted = insert(AuditEvent).from_select(audit_columns, select(*_audit_values(), claimed.c.id))
    shown = [claimed.c[column.key] if column.class_ is Lead else column for column in ROW_COLUMNS]
    return (
        select(*shown, OWNER.name)
        .select_from(claimed)
        .join(Person, Person.id == claimed.c.person_id)
        .outerjoin(Account, Account.id == claimed.c.account_id)
        .outerjoin(OWNER, OWNER.id == claimed.c.assigned_to_id)
        # Only a claim's commit is made not to wait for the disk, as lease_transaction does.
        .where(func.set_config("synchronous_commit", "off", true()).is_not(None))
        .add_cte(noted.cte("noted"))
    )

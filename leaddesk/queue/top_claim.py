"""`next` on SQLite: each band's first callable lead found, claimed and shown by one statement.

SQLite holds the write lock from the claim's BEGIN IMMEDIATE, so the lead a band's queries
find first is still free when the UPDATE takes it: finding and taking can be one
``UPDATE leads … WHERE id = (the band's first) RETURNING`` the row the rep is shown (the
person's, company's and owner's columns read by the RETURNING's own look-ups). A band with
nothing callable changes no row and the next band is asked, as ``candidates`` asks them.
Skips put leads behind others in Python (leaddesk/queue/skips.py): with skips, `next`
takes the general path of leaddesk/queue/next_lead.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, select

from leaddesk.queue.claims import LEASE, claim_of
from leaddesk.queue.listing import (
    CALLING_LISTS,
    OWNER,
    ROW_COLUMNS,
    candidate_params,
    first_of_band,
    ranked_bands,
)
from leaddesk.queue.ordering import Band
from leaddesk.queue.scope import QueueScope
from leaddesk.store.driver_statements import DriverStatement, InTransaction
from leaddesk.store.models import Account, Lead, Person


def claim_top(connection: InTransaction, scope: QueueScope) -> tuple[Band, Sequence[Any]] | None:
    """Claim the first callable lead of the queue for ``scope``'s rep, inside the caller's
    write transaction (begun IMMEDIATE); its band and row as ``listing.load_rows`` reads
    it, or None when no band has one."""
    if not scope.calling.anything_open:
        return None
    params = candidate_params(scope, 1)
    params["expires"] = scope.at + LEASE
    order = scope.policy.queue
    weights = (order.fit_weight, order.interest_weight)
    for band in ranked_bands(scope):
        found = _claimed(band, scope.include_pool, weights).rows(connection, params)
        if found:
            return band, found[0]
    return None


@lru_cache(maxsize=32)
def _claimed(band: Band, include_pool: bool, weights: tuple[int, int]) -> DriverStatement:
    first = first_of_band(band, include_pool, True, weights).scalar_subquery()
    claim = claim_of(Lead.id == first).returning(*_shown())
    return DriverStatement(claim, inline=CALLING_LISTS)


def _shown() -> list[Any]:
    """ROW_COLUMNS and the owner's name, as the claimed row returns them."""
    shown: list[Any] = []
    for column in ROW_COLUMNS:
        if column.class_ is Lead:
            shown.append(column)
        elif column.class_ is Person:
            shown.append(_looked_up(column, Person.id == Lead.person_id))
        else:
            assert column.class_ is Account
            shown.append(_looked_up(column, Account.id == Lead.account_id))
    shown.append(_looked_up(OWNER.name, OWNER.id == Lead.assigned_to_id))
    return shown


def _looked_up(column: Any, where: ColumnElement[bool]) -> ColumnElement[Any]:
    return select(column).where(where).correlate(Lead).scalar_subquery()

"""The rows a demo store gets, gathered in memory and written in bulk (docs/architecture.md §3).

Core executemany, not the ORM: 100,000 leads take seconds, not minutes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from leaddesk.store.database import catch_up_sequences
from leaddesk.store.models import (
    Account,
    Assignment,
    AuditEvent,
    CallAttempt,
    HandoffBatch,
    Lead,
    OpportunityRef,
    Person,
    SalesFeedback,
    VerdictRecord,
)

CHUNK = 5_000

Row = dict[str, Any]


@dataclass
class DemoRows:
    """Every table's new rows, each a dict of column values with its id."""

    accounts: list[Row] = field(default_factory=list)
    people: list[Row] = field(default_factory=list)
    leads: list[Row] = field(default_factory=list)
    assignments: list[Row] = field(default_factory=list)
    calls: list[Row] = field(default_factory=list)
    verdicts: list[Row] = field(default_factory=list)
    batches: list[Row] = field(default_factory=list)
    opportunities: list[Row] = field(default_factory=list)
    feedback: list[Row] = field(default_factory=list)
    audit: list[Row] = field(default_factory=list)

    def write(self, session: Session) -> None:
        plan: list[tuple[Any, list[dict[str, Any]]]] = [
            (Account, self.accounts),
            (Person, self.people),
            (HandoffBatch, self.batches),
            (Lead, self.leads),
            (Assignment, self.assignments),
            (CallAttempt, self.calls),
            (VerdictRecord, self.verdicts),
            (OpportunityRef, self.opportunities),
            (SalesFeedback, self.feedback),
            (AuditEvent, self.audit),
        ]
        # Core executemany, not the ORM: no per-row identity bookkeeping for bulk rows.
        connection = session.connection()
        for model, rows in plan:
            for chunk in _chunks(rows):
                connection.execute(insert(model.__table__), chunk)
        # The rows above carry their ids: the store's next ids must come after them.
        catch_up_sequences(connection, [model.__tablename__ for model, _ in plan])


def _chunks(rows: Sequence[dict[str, Any]]) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]

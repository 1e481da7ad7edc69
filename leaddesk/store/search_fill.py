"""Search's FTS5 index (SQLite, migration 0019) filled in one statement for many new leads.

A trigger indexes each new lead; but FTS5 writes its pending words out at the end of every
statement, so a driver's executemany of 10,000 leads would add 10,000 tiny index segments
(about 0.8 s of CPU). A bulk writer pauses that trigger for its rows (a row in
``lead_search_paused``, in the same transaction) and indexes them all at once after.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import Connection

_FILL = """
    INSERT INTO lead_search(rowid, first, last, email, phone, company)
    SELECT l.id, p.first_name, p.last_name,
        replace(replace(replace(replace(replace(
            p.email, '.', ''), '@', ''), '-', ''), '_', ''), '+', ''),
        replace(p.phone, '+', ''), a.name_key
    FROM leads AS l
    JOIN people AS p ON p.id = l.person_id
    LEFT JOIN accounts AS a ON a.id = l.account_id
    WHERE p.erased_at IS NULL AND l.id IN (SELECT value FROM json_each(?))
"""


def has_index(connection: Connection) -> bool:
    """Whether this store keeps the index (SQLite at 0019 or later; an older backup being
    restored has not been upgraded yet, and the upgrade fills it)."""
    if connection.dialect.name != "sqlite":
        return False
    found = connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'lead_search_paused'"
    )
    return found.first() is not None


@contextmanager
def indexed_after(connection: Connection, lead_ids: Sequence[int]) -> Iterator[None]:
    """Leads ``lead_ids`` written inside are indexed in one statement at the end."""
    connection.exec_driver_sql("INSERT INTO lead_search_paused (paused) VALUES (1)")
    try:
        yield
    finally:
        connection.exec_driver_sql("DELETE FROM lead_search_paused")
    connection.exec_driver_sql(_FILL, (json.dumps(list(lead_ids)),))

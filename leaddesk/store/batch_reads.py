"""Look-ups of many values at once, straight through the database driver (docs/architecture.md §3).

An import checks a chunk of tens of thousands of rows against the store: one query per kind of
value, never one per row. Raw SQL lives here, in ``store/``, not in the features that call it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection

_IN_BATCH = 900  # values per IN list: well inside every backend's parameter limit


class BatchQuery:
    """``SELECT … WHERE column IN (…)`` over many values, through the driver.

    SQLite gets IN lists of at most ``_IN_BATCH`` values; PostgreSQL one ``= ANY(array)``
    per look-up, which saves hundreds of round trips a chunk.
    """

    def __init__(self, connection: Connection) -> None:
        # The driver's own cursor, inside the session's transaction: rows come back as plain
        # tuples, without a result wrapper per row (a chunk's look-ups return ~100,000 rows).
        self.cursor = connection.connection.cursor()
        self.postgres = connection.dialect.name == "postgresql"

    def rows(self, head: str, values: Iterable[Any], *, order: str = "") -> Iterable[Any]:
        """``head`` ends with ``column IN``."""
        items = list(values)
        if not items:
            return
        tail = f" ORDER BY {order}" if order else ""
        cursor = self.cursor
        if self.postgres:
            cursor.execute(f"{head.removesuffix(' IN')} = ANY(%s){tail}", (items,))
            yield from cursor.fetchall()
            return
        for start in range(0, len(items), _IN_BATCH):
            batch = items[start : start + _IN_BATCH]
            markers = ", ".join(["?"] * len(batch))
            cursor.execute(f"{head} ({markers}){tail}", tuple(batch))
            yield from cursor.fetchall()

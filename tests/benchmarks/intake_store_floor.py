"""The store's share of an import at its least (issue #21 item 7): the rows an import added,
written again by raw ``sqlite3`` into a copy of the store as it was before the import.

Whatever an import does, it must put its new rows into the store. This measures that part
alone and leaves out everything else an import does, so it is below what any import can
reach: no look-ups, no planning, no updates of the rows it merged into, no triggers (the
search index's and the zone keys' work is not done), one ``executemany`` a table and one
commit for the whole file, no foreign-key checks. Two versions:

* **the store's indexes**: the copy as the import met it, its triggers dropped;
* **bare tables**: every index that can be dropped dropped as well (only the tables' own
  keys and unique constraints left).

Added on the clean-up floor's CPU (intake_floor.py), it gives the least CPU an import of the
file needs on this machine, and so the least wall time two cores allow.
"""

from __future__ import annotations

import resource
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Added:
    table: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


@dataclass(frozen=True)
class StoreFloor:
    rows: int  # rows written, all tables
    tables: int
    seconds: float
    cpu: float  # this process: the writes are sqlite3's, in this process
    cpu_by_table: dict[str, float]  # the commit's share not in any


def _tables(connection: sqlite3.Connection) -> list[tuple[str, bool]]:
    """Every ordinary table and whether it has rowids: not SQLite's own, not a virtual table
    nor an FTS table's shadow tables (the floor leaves the search index out)."""
    virtual = [
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'"
        )
    ]
    shadows = tuple(f"{name}_" for name in virtual)
    found = []
    for name, sql in connection.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " ORDER BY rootpage"
    ):
        if name in virtual or name.startswith(shadows):
            continue
        found.append((name, "WITHOUT ROWID" not in sql.upper()))
    return found


def marks(path: Path) -> dict[str, int]:
    """Each rowid table's highest rowid now: rows above it were added later."""
    with sqlite3.connect(path) as connection:
        return {
            name: connection.execute(f'SELECT coalesce(max(rowid), 0) FROM "{name}"').fetchone()[0]
            for name, has_rowid in _tables(connection)
            if has_rowid
        }


def added_rows(after: Path, before: Path, marked: dict[str, int]) -> list[Added]:
    """The rows ``after`` holds that ``before`` did not: above each rowid table's mark, and
    the new rows of a table without rowids."""
    connection = sqlite3.connect(after)
    try:
        connection.execute("ATTACH DATABASE ? AS before", (str(before),))
        found = []
        for name, has_rowid in _tables(connection):
            columns = tuple(
                row[1] for row in connection.execute(f'PRAGMA main.table_info("{name}")')
            )
            if has_rowid:
                rows = connection.execute(
                    f'SELECT * FROM main."{name}" WHERE rowid > ? ORDER BY rowid',
                    (marked.get(name, 0),),
                ).fetchall()
            else:
                rows = connection.execute(
                    f'SELECT * FROM main."{name}" EXCEPT SELECT * FROM before."{name}"'
                ).fetchall()
            if rows:
                found.append(Added(name, columns, rows))
        return found
    finally:
        connection.close()


def prepare(copy: Path, *, bare: bool) -> None:
    """Drop the copy's triggers, and with ``bare`` every index that can be dropped."""
    with sqlite3.connect(copy) as connection:
        kinds = ("trigger", "index") if bare else ("trigger",)
        for kind in kinds:
            names = [
                name
                for (name,) in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type = ? AND sql IS NOT NULL", (kind,)
                )
            ]
            for name in names:
                connection.execute(f'DROP {kind.upper()} "{name}"')


def write_again(copy: Path, added: list[Added]) -> StoreFloor:
    """The rows written into ``copy`` in one transaction, a table at a time, timed."""
    connection = sqlite3.connect(copy, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        by_table: dict[str, float] = {}
        cpu, started = _cpu(), time.perf_counter()
        connection.execute("BEGIN")
        for table in added:
            names = ", ".join(f'"{column}"' for column in table.columns)
            places = ", ".join("?" for _ in table.columns)
            before = _cpu()
            connection.executemany(
                f'INSERT INTO "{table.table}" ({names}) VALUES ({places})', table.rows
            )
            by_table[table.table] = _cpu() - before
        connection.execute("COMMIT")
        seconds, used = time.perf_counter() - started, _cpu() - cpu
    finally:
        connection.close()
    return StoreFloor(sum(len(t.rows) for t in added), len(added), seconds, used, by_table)


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime

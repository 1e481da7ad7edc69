"""Many rows into one table in one statement, straight through the database driver.

An import writes tens of thousands of rows a chunk. SQLAlchemy's executemany runs every value
of every row through Python (about 100 µs a lead row); here the statement is built once, only
the columns whose type needs it are converted (times, JSON, enums), repeated values (the import
time on every row) are converted once, and the driver's own executemany does the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table, func, select

from leaddesk.store import row_triggers

Converter = Callable[[Any], Any]

# Types whose values repeat across rows (times, enum members): converted once per value.
_REMEMBER_UP_TO = 4096


class BulkWriter:
    """Inserts rows (dicts with the same keys) into tables on one connection."""

    def __init__(self, connection: Connection, *, values_repeat: bool = True) -> None:
        """``values_repeat``: times and enum values recur across rows (an import's "now"), so
        each is converted once; off where nearly every value differs (a restore)."""
        self.connection = connection
        self.values_repeat = values_repeat
        self.dialect = connection.dialect
        self._plans: dict[tuple[str, tuple[str, ...]], tuple[str, list[tuple[int, Converter]]]] = {}

    def insert(self, table: Table, rows: Sequence[dict[str, Any]]) -> None:
        if not rows:
            return
        columns = tuple(rows[0])
        sql, converters = self._plan(table, columns)
        pick = itemgetter(*columns)
        if len(columns) == 1:
            values = [(pick(row),) for row in rows]
        else:
            values = [pick(row) for row in rows]
        if converters:
            converted: list[tuple[Any, ...]] = []
            for tuple_ in values:
                cells = list(tuple_)
                for index, convert in converters:
                    cell = cells[index]
                    if cell is not None:
                        cells[index] = convert(cell)
                converted.append(tuple(cells))
            values = converted
        if self.dialect.name == "postgresql":
            self._copy(table, columns, values)
        elif len(rows) >= row_triggers.WORTH_SETTING_ASIDE and row_triggers.sets_aside(
            table.name, columns
        ):
            # The search index's and the zone keys' triggers: their work once for all rows.
            with row_triggers.set_aside(self.connection, table.name, [row["id"] for row in rows]):
                self.connection.exec_driver_sql(sql, values)
        else:
            self.connection.exec_driver_sql(sql, values)

    def _copy(self, table: Table, columns: tuple[str, ...], values: list[Any]) -> None:
        # PostgreSQL takes rows fastest through COPY, on the session's own connection (so in
        # its transaction).
        quote = self.dialect.identifier_preparer.quote
        statement = f"COPY {quote(table.name)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
        driver: Any = self.connection.connection.driver_connection
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in values:
                copy.write_row(row)

    def insert_with_ids(self, table: Table, rows: Sequence[dict[str, Any]]) -> list[int]:
        """Insert with ids reserved first and written with the rows; returns the ids.

        A plain executemany is many times faster than INSERT … RETURNING, which SQLite runs
        one row at a time to keep the order.
        """
        if not rows:
            return []
        ids = self.reserve_ids(table, len(rows))
        for row, new_id in zip(rows, ids, strict=True):
            row["id"] = new_id
        self.insert(table, rows)
        return ids

    def reserve_ids(self, table: Table, count: int) -> list[int]:
        connection = self.connection
        if self.dialect.name == "postgresql":
            # Taken from the table's own sequence, so concurrent writers never get the same id.
            sequence = func.pg_get_serial_sequence(table.name, "id")
            series = func.generate_series(1, count).table_valued("n")
            taken = connection.execute(select(func.nextval(sequence)).select_from(series))
            return sorted(int(value) for value in taken.scalars())
        # SQLite: the transaction holds the write lock (BEGIN IMMEDIATE), so max(id) stays ours.
        top = connection.execute(select(func.max(table.c.id))).scalar() or 0
        return list(range(top + 1, top + count + 1))

    def _plan(
        self, table: Table, columns: tuple[str, ...]
    ) -> tuple[str, list[tuple[int, Converter]]]:
        key = (table.name, columns)
        plan = self._plans.get(key)
        if plan is None:
            marker = "?" if self.dialect.paramstyle == "qmark" else "%s"
            quote = self.dialect.identifier_preparer.quote
            sql = (
                f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
                f"VALUES ({', '.join([marker] * len(columns))})"
            )
            converters: list[tuple[int, Converter]] = []
            for index, name in enumerate(columns):
                column_type = table.c[name].type
                process = column_type._cached_bind_processor(self.dialect)
                if process is None:
                    continue
                convert: Converter = process
                if self.values_repeat and _repeats(column_type):
                    convert = _remembering(process)
                converters.append((index, convert))
            plan = self._plans[key] = (sql, converters)
        return plan


def _repeats(column_type: Any) -> bool:
    name = type(column_type).__name__
    return name in ("UTCDateTime", "DateTime", "Enum", "Boolean")


def _remembering(process: Converter) -> Converter:
    memory: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        try:
            return memory[value]
        except KeyError:
            if len(memory) >= _REMEMBER_UP_TO:
                memory.clear()
            result = memory[value] = process(value)
            return result

    return convert

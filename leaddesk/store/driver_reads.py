"""A Core select run through the database driver's own cursor, for the reads a rep waits on
that come back with a row or two (a lead found by its e-mail or phone).

SQLAlchemy puts ~40-60 µs of Python around each statement (its execution context, events,
a result wrapper) where SQLite answers such a read in ~10 µs. Here the statement is compiled
once per dialect, sent to the driver as it stands, and each row is typed by the statement's
own column types, as SQLAlchemy would type it (aware UTC datetimes, enums, booleans).
The statement stays written in SQLAlchemy, next to its feature; only its running lives here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from sqlalchemy import Connection, Engine
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.selectable import Select, TextualSelect

from leaddesk.store.nul_guard import holds_nul, nul_refused

Processor = Callable[[Any], Any] | None


class DriverConnection(NamedTuple):
    """The driver's own connection (from the pool, in a transaction begun on it), with the
    dialect its statements are compiled for and the engine it came from."""

    dialect: Dialect
    connection: Any  # the pool's proxy of the driver's connection: cursor(), commit()
    engine: Engine


# Where a driver read runs: a SQLAlchemy Connection (its driver connection inside), or the
# driver's connection alone.
Reads = Connection | DriverConnection


class _Prepared:
    def __init__(self, statement: Select[Any] | TextualSelect, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        for bind in compiled.bind_names:
            # Values go to the driver as given: nothing SQLAlchemy would convert first.
            if bind.type._cached_bind_processor(dialect) is not None:
                raise ValueError(f"a driver read cannot take the parameter {bind.key}")
        self.sql = compiled.string
        # IN lists: their markers are written per call, one per value.
        self.lists = frozenset(name for bind, name in compiled.bind_names.items() if bind.expanding)
        self.qmark = compiled.positiontup is not None
        # Values written into the statement itself (its LIMIT), by the driver's names.
        self.fixed = {
            name: bind.effective_value
            for bind, name in compiled.bind_names.items()
            if not bind.required
        }
        # qmark (SQLite) takes the values in order; PostgreSQL's driver takes them by name.
        self.names: tuple[str, ...] | None = (
            tuple(compiled.positiontup) if compiled.positiontup is not None else None
        )
        self.processors: list[Processor] = [
            column.type._cached_result_processor(dialect, None)
            for column in statement.selected_columns
        ]
        self.typed = [
            (index, processor)
            for index, processor in enumerate(self.processors)
            if processor is not None
        ]


class DriverRead:
    """One select, run on a connection's driver cursor inside its transaction."""

    def __init__(self, statement: Select[Any] | TextualSelect) -> None:
        self.statement = statement
        self._prepared: dict[str, _Prepared] = {}

    def rows(self, connection: Reads, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Every row, typed as SQLAlchemy types them. ``params`` are plain values (text,
        numbers, booleans, a non-empty list for an IN): nothing that needs a bind
        conversion."""
        dialect = connection.dialect
        prepared = self._prepared.get(dialect.name)
        if prepared is None:
            prepared = self._prepared[dialect.name] = _Prepared(self.statement, dialect)
        for name, value in params.items():
            if isinstance(value, str) and holds_nul(value):
                raise nul_refused("search text", field=name)
        given = {**prepared.fixed, **params}
        sql = prepared.sql
        for name in prepared.lists:
            sql, given = _listed(sql, given, name, qmark=prepared.qmark)
        values: Sequence[Any] | Mapping[str, Any] = given
        if prepared.names is not None:
            ordered: list[Any] = []
            for name in prepared.names:
                if name in prepared.lists:
                    ordered.extend(given[name])
                else:
                    ordered.append(given[name])
            values = ordered
        cursor = connection.connection.cursor()
        try:
            cursor.execute(sql, values)
            found = cursor.fetchall()
        finally:
            cursor.close()
        if not prepared.typed:
            return [tuple(row) for row in found]
        typed = prepared.typed
        rows = []
        for row in found:
            cells = list(row)
            for index, processor in typed:
                cells[index] = processor(cells[index])
            rows.append(tuple(cells))
        return rows


def _listed(
    sql: str, given: dict[str, Any], name: str, *, qmark: bool
) -> tuple[str, dict[str, Any]]:
    """``sql`` with the IN list ``name`` written out, one marker per value."""
    items = list(given[name])
    if not items:
        raise ValueError(f"a driver read needs at least one value in {name}")
    if qmark:
        markers = ", ".join(["?"] * len(items))
    else:
        keyed = {f"{name}_{index}": item for index, item in enumerate(items)}
        markers = ", ".join(f"%({key})s" for key in keyed)
        given = {**given, **keyed}
    return sql.replace(f"(__[POSTCOMPILE_{name}])", f"({markers})"), given

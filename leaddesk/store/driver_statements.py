"""Hot statements compiled once and run on the driver's own cursor (SQLite).

`next` and the queue page run a handful of small statements each. Through SQLAlchemy every
one costs more Python (cache look-up, parameter processing, building a Result and its Rows)
than SQLite takes to run it. A ``DriverStatement`` wraps a statement built with SQLAlchemy
(the SQL stays written once, in the room that owns it): on SQLite it is compiled once, and
each call binds the values with the column types' own processors, runs the SQL on the
driver's cursor of the connection the transaction holds, and converts the rows it brings
back with the types' result processors. PostgreSQL, where the round trip is the cost, runs
the statement through SQLAlchemy as before.

Lists (``bindparam(..., expanding=True)``) become one ``?`` per item; SQLite takes an
empty list (``IN ()``) as it is. Texts with a NUL are refused as ``nul_guard`` refuses them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import Executable

from leaddesk.store.nul_guard import NUL, field_words, nul_refused

Process = Callable[[Any], Any] | None
# A session or a bare connection, inside the transaction the statement runs in.
Reader = Session | Connection
_LIST = re.compile(r"__\[POSTCOMPILE_(\w+)\]")


class DriverStatement:
    """``statement`` run on the driver's cursor on SQLite, through SQLAlchemy elsewhere."""

    def __init__(self, statement: Executable) -> None:
        self.statement = statement
        self._plan: _Plan | None = None

    def rows(self, db: Reader, params: Mapping[str, Any]) -> list[Sequence[Any]]:
        """Every row the statement returns, its values converted as SQLAlchemy would."""
        connection = connection_of(db)
        if connection.dialect.name != "sqlite":
            return list(connection.execute(self.statement, params).tuples())
        plan = self._plan_for(connection.dialect)
        cursor = _cursor(connection)
        try:
            cursor.execute(*plan.bound(params))
            found = cursor.fetchall()
        finally:
            cursor.close()
        return plan.converted(found)

    def changed(self, db: Reader, params: Mapping[str, Any]) -> int:
        """Run an INSERT, UPDATE or DELETE; how many rows it changed."""
        connection = connection_of(db)
        if connection.dialect.name != "sqlite":
            return int(connection.execute(self.statement, params).rowcount)  # type: ignore[attr-defined]
        plan = self._plan_for(connection.dialect)
        cursor = _cursor(connection)
        try:
            cursor.execute(*plan.bound(params))
            return int(cursor.rowcount)
        finally:
            cursor.close()

    def _plan_for(self, dialect: Dialect) -> _Plan:
        if self._plan is None:
            self._plan = _Plan(self.statement, dialect)
        return self._plan


def connection_of(db: Reader) -> Connection:
    """The connection a session's transaction holds (begun if it was not), or ``db`` itself."""
    return db if isinstance(db, Connection) else db.connection()


def _one(process: Process, value: Any) -> Any:
    return process(value) if process is not None and value is not None else value


def _each(process: Process, values: Any) -> list[Any]:
    if process is None:
        return list(values)
    return [process(value) if value is not None else value for value in values]


def _cursor(connection: Connection) -> Any:
    # The driver's connection the transaction was begun on (Connection.connection begins
    # nothing by itself: the caller's session or transaction has).
    raw = connection.connection.dbapi_connection
    assert raw is not None, "a connection inside a transaction"
    return raw.cursor()


class _Plan:
    """A statement compiled for SQLite: its SQL, where each value comes from, and how the
    rows it returns are converted."""

    def __init__(self, statement: Executable, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        binds = [compiled.binds[name] for name in compiled.positiontup or ()]
        # Each parameter given at run time is processed once, however often the SQL uses it.
        self.given: dict[str, tuple[Process, bool]] = {}
        # Per ``?`` (or list of them): the parameter's name, or None and the constant value.
        self.order: list[tuple[str | None, Any, bool]] = []
        for bind in binds:
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if bind.required:
                self.given[bind.key] = (process, bind.expanding)
                self.order.append((bind.key, None, bind.expanding))
            else:
                value = bind.effective_value
                constant = _each(process, value) if bind.expanding else _one(process, value)
                self.order.append((None, constant, bind.expanding))
        # The text between the lists; the SQL for each set of list lengths, made once.
        self.pieces = _LIST.split(compiled.string)[::2]
        self.lists = [n for n, bind in enumerate(binds) if bind.expanding]
        self.sql_by_lengths: dict[tuple[int, ...], str] = {}
        processes: list[Process] = []
        columns = getattr(statement, "selected_columns", None)
        if columns is not None and not compiled.isupdate and not compiled.isinsert:
            processes = [
                column.type.dialect_impl(dialect).result_processor(dialect, None)
                for column in columns
            ]
        self.converts = [(n, process) for n, process in enumerate(processes) if process]

    def bound(self, params: Mapping[str, Any]) -> tuple[str, list[Any]]:
        """The SQL (one ``?`` per list item) and its values in order."""
        done: dict[str, Any] = {}
        for key, (process, expanding) in self.given.items():
            value = params[key]
            if expanding:
                value = _each(process, value)
                texts = "".join([item for item in value if isinstance(item, str)])
            else:
                value = _one(process, value)
                texts = value if isinstance(value, str) else ""
            if NUL in texts:
                raise nul_refused(field_words(key))
            done[key] = value
        flat: list[Any] = []
        lengths: list[int] = []
        for key, constant, expanding in self.order:
            value = constant if key is None else done[key]
            if expanding:
                flat += value
                lengths.append(len(value))
            else:
                flat.append(value)
        if not lengths:
            return self.pieces[0], flat
        sql = self.sql_by_lengths.get(tuple(lengths))
        if sql is None:
            parts = [self.pieces[0]]
            for length, text in zip(lengths, self.pieces[1:], strict=True):
                parts += [", ".join("?" * length), text]
            sql = self.sql_by_lengths[tuple(lengths)] = "".join(parts)
        return sql, flat

    def converted(self, found: list[tuple[Any, ...]]) -> list[Sequence[Any]]:
        if not self.converts or not found:
            return list(found)
        converts = self.converts
        rows: list[Sequence[Any]] = []
        for row in found:
            values = list(row)
            for n, process in converts:
                value = values[n]
                if value is not None:
                    values[n] = process(value)
            rows.append(values)
        return rows

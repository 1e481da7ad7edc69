"""Statements a rep waits on, compiled once and run on the driver's own cursor (SQLite).

`next`, the queue page and a search run a few small statements each. Through SQLAlchemy every
one costs more Python (cache look-up, parameter processing, an execution context, a Result
and its Rows) than SQLite takes to run it. A ``DriverStatement`` wraps a statement built with
SQLAlchemy (the SQL stays written once, in the room that owns it): on SQLite it is compiled
once, and each call binds the values with the column types' own processors, runs the SQL on
the driver's cursor of the transaction's connection, and converts the rows it brings back
with the types' result processors (aware UTC datetimes, enums, booleans), as SQLAlchemy
would. PostgreSQL, where the round trip is the cost, runs the statement through SQLAlchemy.

Where a statement runs: a Session or a Connection inside its transaction, or, for the reads a
rep waits on, the driver's connection alone (``DriverConnection``, from
``Store.quick_reading``: no SQLAlchemy Connection, transaction or pool reset around it).

The SQL is compiled with named parameters, so a value the SQL uses many times (the time) is
bound once; constants the statement carries (a stage's name, a separator) are written into the
SQL as literals. A list (``bindparam(..., expanding=True)``) becomes one ``:name__n`` per item,
or, for a list named ``inline`` (the open zones in every band's query, the same for a minute or
more), its items written as literals; SQLite takes an empty list (``IN ()``) as it is. Texts
with a NUL are refused as ``nul_guard`` refuses them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any, NamedTuple, cast

import orjson
from sqlalchemy import Connection, Dialect, Engine, LargeBinary, Numeric, func, select
from sqlalchemy.engine.default import DefaultDialect
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement, Executable

from leaddesk.store.nul_guard import NUL, field_words, nul_refused

Process = Callable[[Any], Any] | None
_LIST = re.compile(r"__\[POSTCOMPILE_(\w+)\]")


class DriverConnection(NamedTuple):
    """The driver's own connection (from the pool, in a transaction begun on it), with the
    dialect its statements are compiled for and the engine it came from (SQLite only)."""

    dialect: Dialect
    connection: Any  # the pool's proxy of the driver's connection: cursor(), commit()
    engine: Engine


# Where a statement runs, inside the transaction it belongs to.
InTransaction = Session | Connection | DriverConnection


class DriverStatement:
    """``statement`` run on the driver's cursor on SQLite, through SQLAlchemy elsewhere."""

    def __init__(
        self, statement: Executable, *, inline: Iterable[str] = (), in_one_step: bool = False
    ) -> None:
        self.statement = statement
        # Lists given as the same tuple for a while (the queue's open zones, for a minute or
        # more), written into the SQL as literals: one prepared statement per set of values.
        self.inline = frozenset(inline)
        self.in_one_step = in_one_step
        self._plan: _Plan | None = None

    def rows(self, where: InTransaction, params: Mapping[str, Any]) -> list[Sequence[Any]]:
        """Every row the statement returns, its values converted as SQLAlchemy would."""
        dialect = dialect_of(where)
        if dialect.name != "sqlite":
            return list(connection_of(where).execute(self.statement, params).tuples())
        plan = self._plan_for(dialect)
        found = _driver(where).execute(*plan.bound(params)).fetchall()
        if self.in_one_step:
            found = orjson.loads(found[0][0])
        return plan.converted(found)

    def changed(self, where: InTransaction, params: Mapping[str, Any]) -> int:
        """Run an INSERT, UPDATE or DELETE; how many rows it changed."""
        dialect = dialect_of(where)
        if dialect.name != "sqlite":
            return int(connection_of(where).execute(self.statement, params).rowcount)
        plan = self._plan_for(dialect)
        return int(_driver(where).execute(*plan.bound(params)).rowcount)

    def _plan_for(self, dialect: Dialect) -> _Plan:
        if self._plan is None:
            if self.in_one_step:
                self._plan = _Plan(_as_one_array(self.statement), dialect, self.inline)
                self._plan.converts = _Plan(self.statement, dialect, self.inline).converts
            else:
                self._plan = _Plan(self.statement, dialect, self.inline)
        return self._plan


def _as_one_array(statement: Executable) -> Executable:
    """``SELECT json_group_array(json_array(<each column>)) FROM (<statement>)``: SQLite keeps
    the statement's order (an aggregate over an ordered subquery is not flattened). A REAL
    would come back with 15 digits and a BLOB not at all, so neither may be among the
    columns."""
    columns = cast(Any, statement).selected_columns
    for column in columns:
        if isinstance(column.type, Numeric | LargeBinary):
            raise TypeError(f"{column.name}: a number with a fraction or bytes, read in one step")
    inner = cast(Any, statement).subquery()
    return select(func.json_group_array(func.json_array(*inner.c))).select_from(inner)


def connection_of(where: InTransaction) -> Connection:
    """The connection a session's transaction holds (begun if it was not), or ``where``."""
    if isinstance(where, DriverConnection):
        raise TypeError("the driver's connection alone runs only SQLite's driver statements")
    return where if isinstance(where, Connection) else where.connection()


def dialect_of(where: InTransaction) -> Dialect:
    if isinstance(where, Session):
        bind = where.get_bind()
        return bind.dialect
    return where.dialect


def is_sqlite(where: InTransaction) -> bool:
    return dialect_of(where).name == "sqlite"


def _driver(where: InTransaction) -> Any:
    """The driver's connection the transaction was begun on (``sqlite3.Connection``: its
    ``execute`` makes the cursor in C, no Python cursor made and closed around it)."""
    if isinstance(where, DriverConnection):
        raw = where.connection.dbapi_connection
    else:
        # Connection.connection begins nothing by itself: the caller's transaction has.
        raw = connection_of(where).connection.dbapi_connection
    assert raw is not None, "a connection inside a transaction"
    return raw


_NAME = re.compile(r"(?<![:\w]):(\w+)")


def _literal(value: Any) -> str | None:
    """``value`` as an SQLite literal; None for what a literal would not say exactly."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and NUL not in value:
        return "'" + value.replace("'", "''") + "'"
    return None


def _literal_list(items: Sequence[Any]) -> str | None:
    said = [_literal(item) for item in items]
    if any(item is None for item in said):
        return None
    return ", ".join(cast(list[str], said))


def _one(process: Process, value: Any) -> Any:
    return process(value) if process is not None and value is not None else value


def _each(process: Process, values: Any) -> list[Any]:
    if process is None:
        return list(values)
    return [process(value) if value is not None else value for value in values]


@lru_cache(maxsize=4096)
def _item_names(name: str, length: int) -> tuple[str, ...]:
    return tuple(f"{name}__{n}" for n in range(length))


class _Plan:
    """A statement compiled for SQLite with named parameters (each value bound once, however
    often the SQL uses it), its constants written into the SQL as literals, and how its rows
    are converted."""

    def __init__(self, statement: Executable, dialect: Dialect, inline: frozenset[str]) -> None:
        named = cast("type[DefaultDialect]", type(dialect))(paramstyle="named")
        compiled = cast(SQLCompiler, cast(ClauseElement, statement).compile(dialect=named))
        # Parameters given at run time (values, lists), each processed once. Constants (a
        # stage's name, a sub-order, a separator) are written into the SQL: SQLite binds each
        # named parameter by looking its name up, ~0.3 µs apiece, and a band's statement
        # carries dozens. A constant no literal can say (a float, bytes) stays bound.
        self.scalars: list[tuple[str, Process]] = []
        self.listed: list[tuple[str, Process]] = []
        self.inline = inline
        self.constants: dict[str, Any] = {}
        self.constant_lengths: dict[str, int] = {}
        literals: dict[str, str] = {}
        sql = compiled.string
        for bind, name in compiled.bind_names.items():
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if bind.required:
                (self.listed if bind.expanding else self.scalars).append((name, process))
            elif bind.expanding:
                items = _each(process, bind.effective_value)
                listed = _literal_list(items)
                if listed is not None:
                    sql = sql.replace(f"__[POSTCOMPILE_{name}]", listed)
                    continue
                self.constants.update(zip(_item_names(name, len(items)), items, strict=True))
                self.constant_lengths[name] = len(items)
            else:
                value = _one(process, bind.effective_value)
                said = _literal(value)
                if said is None:
                    self.constants[name] = value
                else:
                    literals[name] = said
        if literals:
            sql = _NAME.sub(lambda found: literals.get(found[1], found[0]), sql)
        # A list is one ``:name__n`` per item (or, for ``inline`` lists, its items written
        # as literals): the SQL for each set of list lengths and inline lists, made once.
        self.pieces = _LIST.split(sql)
        self.lists = list(dict.fromkeys(self.pieces[1::2]))
        self.sql_by_shape: dict[tuple[int | str, ...], str] = {}
        # The last tuple given for each list, with its items bound (or written out): the
        # queue's open zones are the same tuple for a minute, so they are processed once.
        self.last_lists: dict[str, tuple[tuple[Any, ...], dict[str, Any] | str]] = {}
        processes: list[Process] = []
        # A SELECT's columns, or what an INSERT, UPDATE or DELETE returns (RETURNING).
        columns = getattr(statement, "selected_columns", None)
        if compiled.isupdate or compiled.isinsert or compiled.isdelete:
            # Asked only of a statement that returns rows (RETURNING): the columns, once
            # asked (``exported_columns``, ``effective_returning``), are memoised on the
            # statement and copied into every statement made from it with ``.returning()``.
            returns = bool(getattr(statement, "_returning", ()))
            columns = cast(Any, statement).exported_columns if returns else None
        if columns is not None:
            processes = [
                column.type.dialect_impl(dialect).result_processor(dialect, None)
                for column in columns
            ]
        self.converts = [(n, process) for n, process in enumerate(processes) if process]

    def bound(self, params: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        """The SQL (one ``:name__n`` per list item) and its values by name."""
        values = dict(self.constants)
        for key, process in self.scalars:
            value = params[key]
            if value is not None:
                if process is not None:
                    value = process(value)
                if isinstance(value, str) and NUL in value:
                    raise nul_refused(field_words(key))
            values[key] = value
        if not self.lists:
            return self.pieces[0], values
        shape: dict[str, int | str] = dict(self.constant_lengths)
        for key, process in self.listed:
            given = params[key]
            last = self.last_lists.get(key)
            if last is not None and last[0] is given:
                named = last[1]
            else:
                named = self._list_of(key, process, given)
                if isinstance(given, tuple):  # not changed in place: kept by identity
                    self.last_lists[key] = (given, named)
            if isinstance(named, str):
                shape[key] = named
            else:
                values.update(named)
                shape[key] = len(named)
        shaped = tuple(shape[name] for name in self.lists)
        sql = self.sql_by_shape.get(shaped)
        if sql is None:
            sql = self.sql_by_shape[shaped] = self._sql_for(shape)
        return sql, values

    def _list_of(self, key: str, process: Process, given: Any) -> dict[str, Any] | str:
        """A list's items bound by name, or, for an inline list, written as literals."""
        items = _each(process, given)
        if NUL in "".join([item for item in items if isinstance(item, str)]):
            raise nul_refused(field_words(key))
        if key in self.inline:
            written = _literal_list(items)
            if written is not None:
                return written
        return dict(zip(_item_names(key, len(items)), items, strict=True))

    def _sql_for(self, shape: Mapping[str, int | str]) -> str:
        if len(self.sql_by_shape) > 256:  # inline lists that keep changing: start again
            self.sql_by_shape.clear()
        parts = [self.pieces[0]]
        for n in range(1, len(self.pieces), 2):
            name = self.pieces[n]
            listed = shape[name]
            if isinstance(listed, str):
                parts += [listed, self.pieces[n + 1]]
            else:
                names = _item_names(name, listed)
                parts += [", ".join(":" + item for item in names), self.pieces[n + 1]]
        return "".join(parts)

    def converted(self, found: list[tuple[Any, ...]]) -> list[Sequence[Any]]:
        """The rows with their typed columns converted, a column at a time (the processors
        of a page's 50 rows run in a comprehension each, not a loop per cell)."""
        if not self.converts or not found:
            return list(found)
        columns: list[Sequence[Any]] = list(zip(*found, strict=True))
        for n, process in self.converts:
            columns[n] = [process(value) if value is not None else None for value in columns[n]]
        return list(zip(*columns, strict=True))

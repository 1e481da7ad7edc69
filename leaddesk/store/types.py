"""Column types shared by the models: aware-UTC times and JSON kept as text."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import DateTime, Dialect, Text
from sqlalchemy.types import TypeDecorator

from leaddesk.store.nul_guard import holds_nul, nul_refused


class UTCDateTime(TypeDecorator[datetime]):
    """Stores instants in UTC and always hands back timezone-aware UTC datetimes.

    SQLite has no time zones, so the value is written as naive UTC there; PostgreSQL
    keeps ``timestamptz``. Naive datetimes are refused: they are a bug waiting to happen.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} given to the store; use UTC-aware times")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def bind_processor(self, dialect: Dialect) -> Callable[[Any], Any] | None:
        if dialect.name != "sqlite":
            return super().bind_processor(dialect)

        def utc_text(value: datetime | None) -> str | None:
            if value is None:
                return None
            if value.tzinfo is None:
                raise ValueError(
                    f"naive datetime {value!r} given to the store; use UTC-aware times"
                )
            if value.tzinfo is UTC:  # the usual case (the clock's): kept per instant
                return _sqlite_text(value)
            return _sqlite_text.__wrapped__(value)

        return utc_text

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], Any] | None:
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)
        parse = super().result_processor(dialect, coltype)
        assert parse is not None

        def utc_from_text(value: str | None) -> datetime | None:
            # SQLite keeps naive UTC text ("2026-11-18 15:00:01.000000"): read as UTC in one
            # parse; ``datetime.replace`` costs more than the parse (a queue page reads 250).
            if value is None:
                return None
            try:
                found = datetime.fromisoformat(value + "+00:00")
            except (TypeError, ValueError):
                found = None
            if found is None or found.tzinfo is None:  # another shape: as SQLAlchemy reads it
                return parse(value)
            return found

        return utc_from_text


@lru_cache(maxsize=256)
def _sqlite_text(value: datetime) -> str:
    """Naive UTC text as SQLAlchemy's SQLite DATETIME writes it (2026-11-18 15:00:01.000000),
    written at once (``datetime.replace`` costs more), and once per UTC instant: `next` binds
    its moment in five statements. Only UTC times are kept: two wall times of another zone's
    repeated hour compare equal, yet are an hour apart."""
    return value.astimezone(UTC).isoformat(" ", "microseconds")[:-6]


class JSONText(TypeDecorator[Any]):
    """JSON stored as text, identical on SQLite and PostgreSQL, readable in any SQL prompt."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
        # json.dumps hides a NUL as \u0000: refused like a NUL in any other text. Looked for
        # in the value only when the text has that escape (cheaper than walking every value).
        if "\\u0000" in text and holds_nul(value):
            raise nul_refused("a saved value")
        return text

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        return json.loads(value)

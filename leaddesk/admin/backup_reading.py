"""Reading and checking a backup file line by line (docs/architecture.md §7): its seal, its
header, every row against the tables it names, and the row counts on its last line.

Nothing is believed before it is checked; a damaged line is named by file, line, table and
column.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Date, Enum, Integer, String, Table, Text

from leaddesk.admin.backup_file import seal_holds
from leaddesk.admin.backups import FORMAT, READABLE_VERSIONS, SUFFIX, backed_up_tables
from leaddesk.errors import InputError, StoreError
from leaddesk.store.migrations import SCHEMA_HEAD, known_revisions
from leaddesk.store.types import JSONText, UTCDateTime


class BackupUnreadable(InputError):
    """The backup file itself is the problem (missing, damaged, from another LeadDesk), not
    where it is being restored to: the restore window points at the file, not the target."""


class BackupReader:
    """Reads a backup file line by line, checking each row against the tables it names."""

    def __init__(self, source: Path) -> None:
        self.source = source
        self.name = source.name
        self.line = 0
        self.total = 0
        self.older = False
        self.schema = SCHEMA_HEAD
        # Filled in once the store to restore into has its tables: table -> column names.
        self.store_columns: dict[str, set[str]] = {}
        self.tables_seen: set[str] = set()
        self._end: dict[str, Any] | None = None
        self.sealed = False

    def __enter__(self) -> BackupReader:
        if self.source.is_dir():
            raise BackupUnreadable(
                f"{self.source}: a folder, not a backup file; name the file in it"
            )
        if not self.source.is_file():
            raise BackupUnreadable(f"{self.source}: no such backup file")
        try:
            # The whole file is checked before a line of it is believed.
            holds = seal_holds(self.source)
            self._file = gzip.open(self.source, "rt", encoding="utf-8")
        except OSError as exc:
            raise BackupUnreadable(f"{self.source}: cannot read it: {exc.strerror or exc}") from exc
        if holds is False:
            self._file.close()
            raise BackupUnreadable(
                f"{self.source}: damaged or cut short (its SHA-256 does not match its content); "
                "nothing was restored. Restore an earlier backup"
            )
        self.sealed = holds is True
        return self

    def __exit__(self, *_exc: object) -> None:
        self._file.close()

    def _lines(self) -> Iterator[str]:
        try:
            for text in self._file:
                self.line += 1
                yield text
        except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
            if self.line == 0 and isinstance(exc, gzip.BadGzipFile):
                raise BackupUnreadable(
                    f"{self.name}: not a LeadDesk backup (not a gzip file; backups end in {SUFFIX})"
                ) from None
            raise BackupUnreadable(
                f"{self.name}: damaged after line {self.line} ({exc}); nothing was restored"
            ) from None

    def _parse(self, text: str) -> Any:
        try:
            return json.loads(text)
        except ValueError:
            raise BackupUnreadable(
                f"{self.name}: line {self.line} is not a backup line (damaged file?); "
                "nothing was restored"
            ) from None

    def header(self) -> dict[str, Any]:
        self._iter = self._lines()
        first = next(self._iter, None)
        header = self._parse(first) if first is not None else None
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise BackupUnreadable(
                f"{self.name}: not a LeadDesk backup (no backup header on line 1)"
            )
        if header.get("version") not in READABLE_VERSIONS:
            raise BackupUnreadable(
                f"{self.name}: backup format {header.get('version')} is not one this LeadDesk "
                f"reads ({', '.join(map(str, READABLE_VERSIONS))})"
            )
        if header["version"] >= 2 and not self.sealed:
            raise BackupUnreadable(
                f"{self.name}: damaged (the SHA-256 its format carries is gone); nothing was "
                "restored. Restore an earlier backup"
            )
        schema = str(header.get("schema"))
        if schema != SCHEMA_HEAD and schema not in known_revisions():
            raise BackupUnreadable(
                f"{self.name}: taken by a newer LeadDesk (schema {schema}, this one is "
                f"{SCHEMA_HEAD}); restore it with that LeadDesk or a newer one"
            )
        # An older LeadDesk's tables lack the columns added since; nothing else may differ.
        self.older = schema != SCHEMA_HEAD
        self.schema = schema
        try:
            datetime.fromisoformat(str(header.get("taken_at")))
            self.total = sum(int(count) for count in dict(header.get("tables") or {}).values())
        except (TypeError, ValueError):
            raise BackupUnreadable(f"{self.name}: line 1, the backup header is damaged") from None
        return header

    def rows(self) -> Iterator[tuple[Table, dict[str, Any]]]:
        tables = {table.name: table for table in backed_up_tables()}
        table: Table | None = None
        readers: list[tuple[str, Callable[[Any], Any]]] = []
        for text in self._iter:
            item = self._parse(text)
            if isinstance(item, list):
                if table is None:
                    raise BackupUnreadable(f"{self.name}: line {self.line}: a row before any table")
                if len(item) != len(readers):
                    raise BackupUnreadable(
                        f"{self.name}: line {self.line}, table {table.name}: {len(item)} values "
                        f"for {len(readers)} columns"
                    )
                row = {}
                for (column, read), value in zip(readers, item, strict=True):
                    try:
                        row[column] = read(value)
                    except (TypeError, ValueError) as exc:
                        raise BackupUnreadable(
                            f"{self.name}: line {self.line}, table {table.name}, column "
                            f"{column}: {exc}"
                        ) from None
                yield table, row
            elif isinstance(item, dict) and "table" in item:
                known = tables.get(str(item["table"]))
                if known is None:
                    raise BackupUnreadable(
                        f"{self.name}: line {self.line}: no table {item['table']!r} in this "
                        "LeadDesk"
                    )
                columns = item.get("columns")
                if not isinstance(columns, list) or not self._columns_fit(known, columns):
                    raise BackupUnreadable(
                        f"{self.name}: line {self.line}, table {known.name}: the columns are "
                        f"not those of schema {self.schema}"
                    )
                table = known
                self.tables_seen.add(known.name)
                readers = [(str(name), _reader(known, str(name))) for name in columns]
            elif isinstance(item, dict) and "end" in item:
                self._end = item["end"] if isinstance(item["end"], dict) else {}
                # Read on to the end: gzip checks its CRC and length only there.
                if next(self._iter, None) is not None:
                    raise BackupUnreadable(
                        f"{self.name}: line {self.line}: more after the last line (damaged "
                        "file?); nothing was restored"
                    )
                return
            else:
                raise BackupUnreadable(f"{self.name}: line {self.line} is not a backup line")

    def _columns_fit(self, known: Table, columns: list[Any]) -> bool:
        named = {str(column) for column in columns}
        if not self.older:
            return named == set(known.c.keys())
        if self.store_columns:  # restoring: the columns the store made for that schema
            return named == self.store_columns.get(known.name, set())
        return named <= set(known.c.keys())  # checking only: columns we know, some missing

    def check_end(self, rows: dict[str, int]) -> dict[str, int]:
        if self._end is None:
            raise BackupUnreadable(
                f"{self.name}: cut short after line {self.line} (no end line); nothing was restored"
            )
        stated = {name: int(count) for name, count in self._end.items() if int(count)}
        if stated != {name: count for name, count in rows.items() if count}:
            raise BackupUnreadable(
                f"{self.name}: the row counts on its last line do not match its rows; "
                "nothing was restored"
            )
        return {table.name: rows.get(table.name, 0) for table in backed_up_tables()}


def _reader(table: Table, name: str) -> Callable[[Any], Any]:
    """Turns a value as written in the backup back into the column's Python value."""
    column = table.c[name]
    kind = column.type
    nullable = bool(column.nullable) and not column.primary_key

    def check(read: Callable[[Any], Any]) -> Callable[[Any], Any]:
        def value_of(value: Any) -> Any:
            if value is None:
                if not nullable:
                    raise ValueError("missing, and it may not be empty")
                return None
            return read(value)

        return value_of

    if isinstance(kind, UTCDateTime):

        def moment(value: Any) -> datetime:
            parsed = datetime.fromisoformat(_text(value))
            if parsed.tzinfo is None:
                raise ValueError(f"{value!r} has no time zone")
            return parsed

        return check(moment)
    if isinstance(kind, Date):
        return check(lambda value: date.fromisoformat(_text(value)))
    if isinstance(kind, Enum):
        members = kind.enums

        def member(value: Any) -> Any:
            if value not in members:
                raise ValueError(f"{value!r} is not one of {', '.join(members)}")
            return kind.enum_class(value) if kind.enum_class is not None else value

        return check(member)
    if isinstance(kind, JSONText):
        return check(lambda value: value)  # stored as JSON, read back as JSON
    if isinstance(kind, Boolean):

        def flag(value: Any) -> bool:
            if not isinstance(value, bool):
                raise ValueError(f"{value!r} is not true or false")
            return value

        return check(flag)
    if isinstance(kind, Integer):

        def number(value: Any) -> int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"{value!r} is not a whole number")
            return value

        return check(number)
    if isinstance(kind, String | Text):
        length = getattr(kind, "length", None)

        def words(value: Any) -> str:
            text = _text(value)
            if length is not None and len(text) > length:
                raise ValueError(f"longer than {length} characters")
            return text

        return check(words)
    raise StoreError(f"backups do not know the type of {table.name}.{name} ({kind})")


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not text")
    return value

"""A NUL character is refused in the statements an import sends a chunk at a time: one row in
thousands is enough, and the message names its field, on SQLite and PostgreSQL alike. (The
guard looks at all of a statement's rows in one pass first, then row by row for the name.)"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.dialects import sqlite

from leaddesk.errors import InputError
from leaddesk.store import Store, open_store
from leaddesk.store.bulk_writes import BulkWriter
from leaddesk.store.models import Account
from leaddesk.store.types import JSONText

AT = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)


@pytest.fixture
def store(store_location: str) -> Iterator[Store]:
    opened = open_store(store_location)
    yield opened
    opened.close()


def _accounts(count: int) -> list[dict[str, Any]]:
    return [
        {"name": f"Company {n}", "name_key": f"company {n}", "is_customer": False, "created_at": AT}
        for n in range(count)
    ]


def test_a_nul_in_one_row_of_thousands_is_refused_naming_the_field(store: Store) -> None:
    rows = _accounts(3_000)
    rows[2_345]["name"] = "Acme\x00Ltd"
    with pytest.raises(InputError, match=r"the name contains a NUL"), store.transaction() as s:
        s.connection().execute(insert(Account.__table__), rows)
    with store.reading() as session:
        assert session.scalar(select(func.count()).select_from(Account)) == 0


def test_the_import_writer_refuses_a_nul_and_stores_clean_rows(store: Store) -> None:
    rows = _accounts(2_000)
    with store.transaction() as session:
        BulkWriter(session.connection()).insert_with_ids(Account.__table__, rows)
    with store.reading() as session:
        assert session.scalar(select(func.count()).select_from(Account)) == 2_000
    if not store.is_sqlite:
        return  # PostgreSQL takes the writer's rows through COPY, which refuses a NUL itself
    dirty = _accounts(2_000)
    dirty[-1]["name_key"] = "acme\x00"
    with pytest.raises(InputError, match="NUL"), store.transaction() as session:
        BulkWriter(session.connection()).insert_with_ids(Account.__table__, dirty)


@pytest.mark.parametrize(
    "value", [{"columns": {"Notes": ["a", "b\x00"]}}, {"key\x00": 1}, ["x", ("y\x00",)]]
)
def test_a_saved_value_with_a_nul_anywhere_inside_is_refused(value: object) -> None:
    with pytest.raises(InputError, match="a saved value contains a NUL"):
        JSONText().process_bind_param(value, sqlite.dialect())


def test_a_saved_value_that_only_spells_backslash_u0000_is_kept_as_typed() -> None:
    value = {"notes": "typed \\u0000 by hand"}
    text = JSONText().process_bind_param(value, sqlite.dialect())
    assert text is not None
    assert JSONText().process_result_value(text, sqlite.dialect()) == value

"""A statement run through the driver's own cursor (`next`, the queue page, a lead found by
e-mail or phone, issue #24) hands back the very rows SQLAlchemy would: aware UTC datetimes,
enums, booleans, None, an IN list, on a SQLAlchemy Connection or on the driver's connection
alone."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Numeric, bindparam, select, type_coerce, update
from sqlalchemy.dialects import sqlite

from leaddesk.admin.demo import fill_demo
from leaddesk.clock import FixedClock
from leaddesk.errors import InputError
from leaddesk.queue import policy
from leaddesk.queue.listing import OWNER, ROW_COLUMNS
from leaddesk.store import open_store
from leaddesk.store.driver_statements import DriverStatement
from leaddesk.store.models import Account, Lead, Person
from leaddesk.store.types import UTCDateTime

_ROWS = (
    select(*ROW_COLUMNS, OWNER.name, Lead.callback_at, Lead.lead_type)
    .join(Person, Lead.person_id == Person.id)
    .outerjoin(Account, Lead.account_id == Account.id)
    .outerjoin(OWNER, Lead.assigned_to_id == OWNER.id)
    .where(Person.email >= bindparam("low"), Person.email < bindparam("high"))
    .order_by(Lead.id)
    .limit(30)
)


def test_driver_rows_are_the_rows_sqlalchemy_hands_back(
    store_location: str, clock: FixedClock
) -> None:
    store = open_store(store_location)
    fill_demo(store, leads=50, reps=2, seed=5, now=clock())
    params = {"low": "a", "high": "z"}
    with store.reading_connection() as connection:
        expected = [tuple(row) for row in connection.execute(_ROWS, params)]
        got = DriverStatement(_ROWS).rows(connection, params)
    store.close()
    assert len(got) == 30
    assert got == expected
    assert {type(row[1]) for row in got} == {type(expected[0][1])}  # the Stage enum
    assert all(row[9].tzinfo is not None for row in got)  # arrived_at, aware
    assert {row[14] for row in got} <= {True, False}  # do-not-call, a boolean


def test_a_driver_read_refuses_a_nul_in_the_search_text(sqlite_store_path: Path) -> None:
    store = open_store(str(sqlite_store_path))
    with store.reading_connection() as connection, pytest.raises(InputError, match="NUL"):
        DriverStatement(_ROWS).rows(connection, {"low": "a\x00", "high": "b"})
    store.close()


def test_an_in_list_and_the_quick_reading_give_the_same_rows_and_policy(
    store_location: str, clock: FixedClock
) -> None:
    listed = _ROWS.where(Lead.id.in_(bindparam("ids", expanding=True)))
    store = open_store(store_location)
    fill_demo(store, leads=30, reps=2, seed=7, now=clock())
    params = {"low": "a", "high": "z", "ids": [3, 1, 5, 8]}
    with store.reading_connection() as connection:
        expected = [tuple(row) for row in connection.execute(listed, params)]
    policy._by_digest.clear()  # read the published definition again, on the driver alone
    with store.quick_reading() as quick:
        got = DriverStatement(listed).rows(quick, params)
        read_policy = policy.policy_on(quick)
    with store.reading() as session:
        expected_policy = policy.current_policy(session)
    store.close()
    assert [row[0] for row in got] == [1, 3, 5, 8]
    assert got == expected
    assert read_policy == expected_policy


def test_the_two_wall_times_of_a_repeated_hour_are_written_as_their_own_instants() -> None:
    # SQLite's text of a UTC time is kept per instant; two New York times of the hour the
    # clocks go back compare equal, yet are an hour apart, and must not share one text.
    dialect = sqlite.dialect()
    text_of = UTCDateTime().dialect_impl(dialect).bind_processor(dialect)
    assert text_of is not None
    first = datetime(2026, 11, 1, 1, 30, tzinfo=ZoneInfo("America/New_York"))
    second = first.replace(fold=1)
    assert first == second
    assert text_of(first) == "2026-11-01 05:30:00.000000"
    assert text_of(second) == "2026-11-01 06:30:00.000000"
    assert text_of(second.astimezone(UTC)) == text_of(second.astimezone(UTC)) == text_of(second)


def test_inline_lists_and_constants_written_into_the_sql_give_sqlalchemys_rows(
    sqlite_store_path: Path, clock: FixedClock
) -> None:
    # Constants (the quoted 'x') and an inline list (names with a quote in them) are written
    # into the SQL as literals; the rows are those SQLAlchemy binds its way.
    names = ("O'Brien", "Smith", "Müller")
    listed = _ROWS.where(
        Person.last_name.in_(bindparam("names", expanding=True)), Person.email != "x'y"
    )
    store = open_store(str(sqlite_store_path))
    fill_demo(store, leads=60, reps=2, seed=3, now=clock())
    with store.transaction() as session:
        session.execute(update(Person).where(Person.id <= 3).values(last_name="O'Brien"))
    params = {"low": "a", "high": "z", "names": names}
    statement = DriverStatement(listed, inline=("names",))
    with store.reading_connection() as connection:
        expected = [tuple(row) for row in connection.execute(listed, params)]
        got = statement.rows(connection, params)
        again = statement.rows(connection, params)  # the same tuple: its SQL kept
    store.close()
    sql, values = statement._plan_for(sqlite.dialect()).bound(params)
    assert got == again == expected and got
    assert "'O''Brien', 'Smith', 'Müller'" in sql and "'x''y'" in sql
    assert set(values) == {"low", "high"}


def test_a_claim_run_on_the_driver_still_makes_a_returning_statement_with_its_columns(
    sqlite_store_path: Path, clock: FixedClock
) -> None:
    # Asking a statement without RETURNING for its returned columns memoised an empty set on
    # it, copied into `.returning()` made from it later (PostgreSQL's `next` built on it).
    claim = update(Lead).where(Lead.id == bindparam("lead_id")).values(source="web")
    store = open_store(str(sqlite_store_path))
    fill_demo(store, leads=5, reps=1, seed=3, now=clock())
    with store.transaction() as session:
        assert DriverStatement(claim).changed(session, {"lead_id": 1}) == 1
    store.close()
    assert list(claim.returning(Lead.id, Lead.source).exported_columns.keys()) == ["id", "source"]


def test_rows_made_in_one_step_are_the_rows_sqlalchemy_hands_back_in_its_order(
    store_location: str, clock: FixedClock
) -> None:
    store = open_store(store_location)
    fill_demo(store, leads=50, reps=2, seed=5, now=clock())
    with store.transaction() as session:
        # Texts JSON must escape, and none at all.
        session.execute(
            update(Person).where(Person.id == 3).values(first_name='Zoë "Q" \\ \n\t\x01 😀')
        )
        session.execute(update(Lead).where(Lead.id == 4).values(account_id=None))
    newest_first = (
        select(*ROW_COLUMNS, OWNER.name, Lead.callback_at, Lead.lead_type)
        .join(Person, Lead.person_id == Person.id)
        .outerjoin(Account, Lead.account_id == Account.id)
        .outerjoin(OWNER, Lead.assigned_to_id == OWNER.id)
        .where(Lead.id.in_(bindparam("ids", expanding=True)))
        .order_by(Lead.arrived_at.desc(), Lead.id.desc())
    )
    params = {"ids": list(range(1, 51))}
    with store.reading_connection() as connection:
        expected = [tuple(row) for row in connection.execute(newest_first, params)]
        got = DriverStatement(newest_first, in_one_step=True).rows(connection, params)
        none = DriverStatement(newest_first, in_one_step=True).rows(connection, {"ids": [0]})
    store.close()
    assert len(got) == 50
    assert [tuple(row) for row in got] == expected
    assert none == []
    assert {type(row[1]) for row in got} == {type(expected[0][1])}  # the Stage enum
    assert all(row[9].tzinfo is not None for row in got)  # arrived_at, aware


def test_a_number_with_a_fraction_is_not_read_in_one_step(sqlite_store_path: Path) -> None:
    store = open_store(str(sqlite_store_path))
    fraction = select(Lead.id, type_coerce(Lead.fit_score, Numeric(5, 2)).label("fit"))
    with store.reading_connection() as connection, pytest.raises(TypeError, match="fit"):
        DriverStatement(fraction, in_one_step=True).rows(connection, {})
    store.close()

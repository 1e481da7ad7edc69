"""Opening a store made by an older LeadDesk upgrades it, keeps a backup, and keeps the data."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.errors import NotPermitted
from leaddesk.store import open_store
from leaddesk.store.identity import store_code
from leaddesk.store.migrations import current_revision, head_revision, is_search_index
from leaddesk.store.models import (
    CallAttempt,
    DoNotCallEntry,
    Lead,
    PendingMove,
    Person,
    SalesFeedback,
    SourceMapping,
    StoreIdentity,
    User,
)

OLD_STORE = Path(__file__).parent / "data" / "store-r1.sqlite3"


def test_first_revision_store_upgrades_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(OLD_STORE, path)

    store = open_store(path)

    assert current_revision(store) == head_revision()
    with store.reading() as session:
        users = {u.name: u for u in session.scalars(select(User))}
        person = session.scalars(select(Person)).one()
        lead = session.scalars(select(Lead)).one()
        calls = session.scalars(select(CallAttempt)).all()
        assert session.scalars(select(SourceMapping)).all() == []
        assert session.scalars(select(DoNotCallEntry)).all() == []  # the list starts empty
    store.close()
    assert set(users) == {"rep1", "lead1"}
    assert users["lead1"].territories == ["US"]
    assert (person.first_name, person.last_name) == ("Jörg", "Müller")
    assert lead.sla_due_at is not None and lead.sla_due_at.tzinfo is not None
    assert (lead.source, lead.stage.value, lead.assigned_to_id) == ("web_form", "working", 1)
    assert [c.outcome.value for c in calls] == ["no_answer"]


def test_an_upgraded_store_gets_its_own_code_when_first_needed_and_keeps_it(
    tmp_path: Path, clock: FixedClock
) -> None:
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(OLD_STORE, path)
    store = open_store(path)
    try:
        with store.reading() as session:
            assert session.scalars(select(StoreIdentity)).all() == []
        with store.transaction() as session:
            code = store_code(session, at=clock())
        with store.transaction() as session:
            assert store_code(session, at=clock() + timedelta(days=1)) == code
            assert len(session.scalars(select(StoreIdentity)).all()) == 1
    finally:
        store.close()
    assert len(code) == 8 and int(code, 16) >= 0


def test_calls_stored_before_talk_time_are_over_not_left_open(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(OLD_STORE, path)
    with sqlite3.connect(path) as old:  # a connected call, as the first revision logged it
        old.execute(
            "INSERT INTO call_attempts (lead_id, user_id, at, outcome, duration_seconds) "
            "SELECT lead_id, user_id, at, 'connected', 240 FROM call_attempts"
        )
    store = open_store(path)
    with store.reading() as session:
        calls = session.scalars(select(CallAttempt).order_by(CallAttempt.id)).all()
    assert [c.outcome.value for c in calls] == ["no_answer", "connected"]
    assert all(c.ended_at == c.at for c in calls)
    assert calls[1].duration_seconds == 240
    store.close()
    with open_desk(path, "rep1", clock=FixedClock(calls[1].at + timedelta(hours=1))) as desk:
        assert desk.calls.end_interrupted() == []  # nothing to end: the call was over


def test_upgrade_keeps_a_backup_of_the_old_store(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(OLD_STORE, path)

    open_store(path).close()

    backups = list(tmp_path.glob("old.sqlite3.before-upgrade-from-0001-*.bak"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as old:
        assert old.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert old.execute("SELECT count(*) FROM leads").fetchone() == (1,)


def test_opening_an_up_to_date_store_takes_no_backup(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(OLD_STORE, path)
    open_store(path).close()
    open_store(path).close()
    assert len(list(tmp_path.glob("*.bak"))) == 1


def test_migrations_match_the_models(store_location: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from leaddesk.store.models import Base

    store = open_store(store_location)
    with store.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"include_name": lambda name, kind, _: not is_search_index(name)},
        )
        differences = compare_metadata(context, Base.metadata)
    store.close()
    assert differences == []


def test_fast_schema_check_knows_the_real_head() -> None:
    from leaddesk.store.migrations import SCHEMA_HEAD

    assert head_revision() == SCHEMA_HEAD


STORE_R7 = Path(__file__).parent / "data" / "store-r7.sqlite3"


def test_a_shared_store_from_before_passwords_opens_without_any(tmp_path: Path) -> None:
    path = tmp_path / "r7.sqlite3"
    shutil.copyfile(STORE_R7, path)
    clock = FixedClock(datetime(2026, 12, 6, 9, 0, tzinfo=UTC))

    with open_desk(path, "sales1", clock=clock) as desk:  # as before: pick any name
        assert current_revision(desk.store) == head_revision()
        assert not desk.people.passwords_on()
        desk.people.claim_window()  # the window leases are there, and empty
    with open_desk(path, "admin", clock=clock) as desk:
        desk.people.set_password("admin", "admin-secret")
        assert desk.people.passwords_on()
    with pytest.raises(NotPermitted):
        open_desk(path, "rep1", clock=clock)


STORE_R10 = Path(__file__).parent / "data" / "store-r10.sqlite3"


def test_a_move_waiting_for_a_call_in_an_older_store_is_carried_out_after_the_upgrade(
    tmp_path: Path,
) -> None:
    path = tmp_path / "r10.sqlite3"
    shutil.copyfile(STORE_R10, path)
    clock = FixedClock(datetime(2026, 12, 1, 10, 0, tzinfo=UTC))  # the rep's lease ran out

    with open_desk(path, "lead1", clock=clock) as desk:
        with desk.store.reading() as session:
            waiting = session.scalars(select(PendingMove)).one()
            lead = session.get(Lead, waiting.lead_id)
            assert lead is not None
            rep2 = session.scalars(select(User).where(User.name == "rep2")).one()
        assert (waiting.to_user_id, waiting.reason) == (rep2.id, "Rep Two covers Ohio")
        assert lead.extra == {"department": "Operations"}  # the rest of its fields stay
        swept = desk.team.sweep()
        with desk.store.reading() as session:
            moved = session.get(Lead, waiting.lead_id)
            assert moved is not None
            assert session.scalars(select(PendingMove)).all() == []
    assert swept.moved_after_call == (waiting.lead_id,)
    assert moved.assigned_to_id == rep2.id


def test_an_upgraded_store_counts_each_leads_tries_from_its_last_contact(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(OLD_STORE, path)
    with sqlite3.connect(path) as old:  # reached an hour after the first try, then two misses
        (lead_id, user_id, at) = old.execute(
            "SELECT lead_id, user_id, at FROM call_attempts"
        ).fetchone()
        first = datetime.fromisoformat(at)
        for hours, outcome in ((1, "connected"), (2, "no_answer"), (3, "busy")):
            old.execute(
                "INSERT INTO call_attempts (lead_id, user_id, at, outcome, duration_seconds) "
                "VALUES (?, ?, ?, ?, 30)",
                (lead_id, user_id, str(first + timedelta(hours=hours)), outcome),
            )
    store = open_store(path)
    with store.reading() as session:
        tries = dict(session.execute(select(Lead.id, Lead.cadence_attempts)).tuples().all())
    store.close()
    assert tries[lead_id] == 2
    assert set(tries.values()) <= {0, 2}  # the leads never called have none


def test_sales_answers_stored_before_routes_keep_their_words_and_no_route(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(OLD_STORE, path)
    with sqlite3.connect(path) as old:  # a rejection as LeadDesk stored it before 0016
        (lead_id,) = old.execute("SELECT id FROM leads ORDER BY id LIMIT 1").fetchone()
        (user_id,) = old.execute("SELECT id FROM users ORDER BY id LIMIT 1").fetchone()
        old.execute(
            "INSERT INTO sales_feedback (lead_id, decision, reason, detail, recorded_by_id, "
            "recorded_at) VALUES (?, 'rejected', 'no_budget', 'Frozen until Q2', ?, ?)",
            (lead_id, user_id, "2026-11-18 15:00:00.000000"),
        )
    store = open_store(path)
    with store.reading() as session:
        answer = session.scalars(select(SalesFeedback)).one()
    store.close()
    assert (answer.reason, answer.detail) == ("no_budget", "Frozen until Q2")
    assert (answer.route, answer.recycle_at) == (None, None)

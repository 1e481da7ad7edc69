"""Search's own index (migration 0019) follows every writer: a rename, a move to another
company, an erasure, a restore, an upgrade of an old store."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select, update

from leaddesk.admin.backup_restore import restore_backup
from leaddesk.admin.demo import fill_demo
from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.store import open_store
from leaddesk.store.models import Account, Lead, Person, User

DATA = Path(__file__).parent / "data"


@pytest.fixture
def demo_location(demo_filled: Callable[[int, int, int], str]) -> str:
    return demo_filled(200, 2, 3)


def _a_rep1_lead(location: str) -> tuple[int, int, int]:
    """(lead id, person id, account id) of an open lead of rep1's with a company."""
    store = open_store(location)
    with store.reading() as session:
        rep1 = session.scalar(select(User.id).where(User.name == "rep1"))
        found = session.execute(
            select(Lead.id, Lead.person_id, Lead.account_id)
            .where(Lead.assigned_to_id == rep1, Lead.stage == "new", Lead.account_id.is_not(None))
            .order_by(Lead.id)
            .limit(1)
        ).one()
    store.close()
    return found[0], found[1], found[2]


def _change(location: str, statement: object) -> None:
    store = open_store(location)
    with store.transaction() as session:
        session.execute(statement)  # type: ignore[call-overload]
    store.close()


def _found(location: str, text: str, clock: FixedClock) -> list[int]:
    with open_desk(location, "rep1", clock=clock) as desk:
        return [row.lead_id for row in desk.queue.search(text)]


def test_a_renamed_person_is_found_by_the_new_name_only(
    demo_location: str, clock: FixedClock
) -> None:
    lead_id, person_id, _ = _a_rep1_lead(demo_location)
    _change(
        demo_location,
        update(Person)
        .where(Person.id == person_id)
        .values(first_name="Quirinus", last_name="Zybrowski", email="qz@zybrowski.example"),
    )
    assert lead_id in _found(demo_location, "zybro", clock)
    assert lead_id in _found(demo_location, "quirinus zy", clock)
    assert lead_id in _found(demo_location, "qz@zybrowski.ex", clock)
    assert lead_id not in _found(demo_location, "quirinus xa", clock)


def test_a_renamed_company_is_found_by_its_new_name(demo_location: str, clock: FixedClock) -> None:
    lead_id, _, account_id = _a_rep1_lead(demo_location)
    _change(
        demo_location,
        update(Account)
        .where(Account.id == account_id)
        .values(name="Yellowquartz Widgets Ltd", name_key="yellowquartz widgets"),
    )
    assert lead_id in _found(demo_location, "Yellowquartz Widg", clock)


def test_an_erased_person_is_no_longer_found(demo_location: str, clock: FixedClock) -> None:
    lead_id, person_id, _ = _a_rep1_lead(demo_location)
    _change(
        demo_location,
        update(Person).where(Person.id == person_id).values(last_name="Vexworthy"),
    )
    assert lead_id in _found(demo_location, "vexworthy", clock)
    _change(demo_location, update(Person).where(Person.id == person_id).values(erased_at=clock()))
    assert _found(demo_location, "vexworthy", clock) == []


def test_a_restored_store_finds_its_leads_by_name_and_company(
    sqlite_template: Path, store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    source = tmp_path / "source.sqlite3"
    shutil.copyfile(sqlite_template, source)
    store = open_store(source)
    fill_demo(store, leads=200, reps=2, seed=3, now=clock())
    store.close()
    lead_id, person_id, _ = _a_rep1_lead(str(source))
    store = open_store(source)
    with store.reading() as session:
        first, last = session.execute(
            select(Person.first_name, Person.last_name).where(Person.id == person_id)
        ).one()
    store.close()
    with open_desk(source, "admin", clock=clock) as desk:
        backup = desk.admin.take_backup(tmp_path / "b.ldbackup.gz").path
    restore_backup(store_location, backup, at=clock())  # the index is not in the file
    assert lead_id in _found(store_location, f"{first} {last[:3]}", clock)
    assert lead_id in _found(store_location, last, clock)


def test_an_upgraded_old_store_finds_its_leads_by_search(tmp_path: Path, clock: FixedClock) -> None:
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(DATA / "store-r10.sqlite3", path)
    with open_desk(path, "lead1", clock=clock) as desk:  # upgrades it, filling the index
        assert [row.lead_id for row in desk.queue.search("ana sil", closed=True)] == [1]
        assert [row.lead_id for row in desk.queue.search("silva", closed=True)] == [1]

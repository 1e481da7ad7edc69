"""Restoring a backup through the desk (what the window does): admins only, into a new SQLite
file or an empty PostgreSQL database, checked first, and a stop leaves nothing written."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from leaddesk.admin.restoring import RestoreCancelled
from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk, setup_desk
from leaddesk.errors import InputError, NotPermitted
from leaddesk.store import open_store
from leaddesk.store.models import Lead
from tests.conftest import PG_ENV, _reset_postgres


@pytest.fixture
def backup(demo_made: Callable[[int, int, int], Path], tmp_path: Path, clock: FixedClock) -> Path:
    """A backup of a small demo team's store."""
    path = tmp_path / "team.sqlite3"
    shutil.copyfile(demo_made(300, 2, 3), path)
    with open_desk(path, "admin", clock=clock) as desk:
        return desk.admin.take_backup(tmp_path / "team.ldbackup.gz").path


@pytest.fixture
def team_path(backup: Path, tmp_path: Path) -> Path:
    return tmp_path / "team.sqlite3"


@pytest.fixture(params=["sqlite", "postgresql"])
def new_store(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_url: str | None
) -> Iterator[str]:
    """Where a restore may go: a SQLite file not made yet, or an empty PostgreSQL database."""
    if request.param == "sqlite":
        yield str(tmp_path / "restored" / "restored.sqlite3")
        return
    if not postgres_url:
        pytest.skip(f"no PostgreSQL configured: set {PG_ENV} (.ci/run does)")
    _reset_postgres(postgres_url)
    yield postgres_url


def leads_in(location: str) -> int:
    store = open_store(location, create=False)
    try:
        with store.reading() as session:
            return int(session.scalar(select(func.count()).select_from(Lead)) or 0)
    finally:
        store.close()


def test_an_admin_checks_then_restores_a_backup_into_a_new_store(
    team_path: Path, backup: Path, new_store: str, clock: FixedClock
) -> None:
    with open_desk(team_path, "admin", clock=clock) as desk:
        checked = desk.admin.restore(backup, new_store, dry_run=True)
        assert checked.dry_run and checked.rows["leads"] == 300 and checked.taken_by == "admin"
        if "://" not in new_store:
            assert not Path(new_store).exists()  # the check wrote nothing
        restored = desk.admin.restore(backup, new_store)
    assert not restored.dry_run and restored.rows == checked.rows
    assert leads_in(new_store) == 300


@pytest.mark.parametrize("user", ["rep1", "lead1"])
def test_only_an_admin_may_restore_a_backup(
    team_path: Path, backup: Path, tmp_path: Path, clock: FixedClock, user: str
) -> None:
    target = tmp_path / "theirs.sqlite3"
    with open_desk(team_path, user, clock=clock) as desk:
        for dry_run in (True, False):
            with pytest.raises(NotPermitted, match="cannot set up, back up or fill the store"):
                desk.admin.restore(backup, str(target), dry_run=dry_run)
    assert not target.exists()


def test_a_restore_never_writes_over_a_file_that_exists(
    team_path: Path, backup: Path, tmp_path: Path, clock: FixedClock
) -> None:
    there = tmp_path / "there.sqlite3"
    there.write_bytes(b"")  # even an empty file is someone's
    with open_desk(team_path, "admin", clock=clock) as desk:
        for dry_run in (True, False):
            with pytest.raises(InputError, match=r"already exists.*choose a new file name") as said:
                desk.admin.restore(backup, str(there), dry_run=dry_run)
            assert str(there) in said.value.message
    assert there.read_bytes() == b""


def test_a_restore_says_when_its_folder_cannot_be_made(
    team_path: Path, backup: Path, tmp_path: Path, clock: FixedClock
) -> None:
    blocking = tmp_path / "notes.txt"
    blocking.write_text("a file, not a folder", encoding="utf-8")
    with (
        open_desk(team_path, "admin", clock=clock) as desk,
        pytest.raises(InputError, match=r"notes\.txt is a file, not a folder"),
    ):
        desk.admin.restore(backup, str(blocking / "restored.sqlite3"), dry_run=True)


def test_a_store_that_holds_data_is_refused_before_the_backup_is_read(
    team_path: Path, backup: Path, store_location: str, clock: FixedClock
) -> None:
    with setup_desk(store_location, clock=clock) as setup:
        setup.admin.prepare_store()  # what 'leaddesk init' writes
    with (
        open_desk(team_path, "admin", clock=clock) as desk,
        pytest.raises(InputError, match="already") as said,
    ):
        desk.admin.restore(backup, store_location, dry_run=True)
    assert "new" in said.value.message
    assert leads_in(store_location) == 0


def test_a_stopped_restore_leaves_nothing_behind(
    team_path: Path, backup: Path, new_store: str, clock: FixedClock
) -> None:
    with open_desk(team_path, "admin", clock=clock) as desk:
        with pytest.raises(RestoreCancelled):
            desk.admin.restore(backup, new_store, cancelled=lambda: True)
        if "://" not in new_store:
            assert not Path(new_store).exists()
        else:
            assert leads_in(new_store) == 0
        # … and it can be run again, to the end.
        assert desk.admin.restore(backup, new_store).rows["leads"] == 300

"""Password hashes stay with the store's owner: no database login reads them, and no backup
carries them (a restore asks for passwords again, an admin's first)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import psycopg
import pytest

from leaddesk.admin.backup_restore import restore_backup
from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk, setup_desk
from leaddesk.domain import Role
from leaddesk.errors import NotPermitted
from leaddesk.store.password_holders import SET_AGAIN
from tests.cli_in_process import RunCli
from tests.factories import TeamLogins, plain_url


def _given(password: str):  # type: ignore[no-untyped-def]
    return lambda _user, _store: password


def _passwords(location: str, clock: FixedClock, *names: str) -> None:
    with open_desk(location, "admin", clock=clock) as desk:
        for name in names:
            desk.people.set_password(name, f"{name}-secret")


def _hashes_in(backup: Path) -> list[object]:
    with gzip.open(backup, "rt", encoding="utf-8") as read:
        items = [json.loads(line) for line in read]
    at = next(
        i for i, item in enumerate(items) if isinstance(item, dict) and item.get("table") == "users"
    )
    column = items[at]["columns"].index("password_hash")
    rows = []
    for item in items[at + 1 :]:
        if isinstance(item, dict):
            break
        rows.append(item[column])
    return rows


def test_no_login_reads_a_password_hash_but_each_learns_that_passwords_are_on(
    team: TeamLogins, clock: FixedClock
) -> None:
    _passwords(team.owner_url, clock, "admin")
    for name in (team.rep, team.lead, team.sales, team.marketing):
        with psycopg.connect(plain_url(team.url_for(name)), autocommit=True) as connection:
            for statement in (
                "SELECT password_hash FROM users",
                "SELECT * FROM users",
                "SELECT count(*) FROM users WHERE password_hash LIKE '$argon2%'",
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    connection.execute(statement)
            holders = connection.execute("SELECT leaddesk_password_holders()").fetchall()
            assert len(holders) == 1
        with open_desk(team.url_for(name), name, clock=clock) as desk:
            assert desk.people.passwords_on()
            assert name in {user.name for user in desk.people.users()}
            with pytest.raises(NotPermitted, match=f"sets that login's password: .* {name}$"):
                desk.people.set_password(name, "long-enough-1")
        with pytest.raises(NotPermitted, match="name who is acting with --as"):
            setup_desk(team.url_for(name), clock=clock, create=False)


def test_a_backup_carries_no_hash_and_its_restore_asks_everyone_to_set_theirs_again(
    sqlite_store_path: Path, new_store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    source = str(sqlite_store_path)
    with setup_desk(source, clock=clock) as desk:
        desk.people.add("admin", Role.ADMIN)
        desk.people.add("rep1", Role.QUALIFIER)
        desk.people.add("sales1", Role.SALES)  # no password: none to set again
    _passwords(source, clock, "admin", "rep1")
    with open_desk(source, "admin", clock=clock, password=_given("admin-secret")) as desk:
        backup = desk.admin.take_backup(tmp_path / "b.ldbackup.gz").path
    assert sorted(map(str, _hashes_in(backup))) == ["None", SET_AGAIN, SET_AGAIN]

    summary = restore_backup(new_store_location, backup, at=clock())
    assert summary.set_again == ("admin", "rep1")  # an admin's first
    for name in ("admin", "rep1"):
        with pytest.raises(NotPermitted, match=f"{name}'s password was not restored"):
            open_desk(new_store_location, name, clock=clock, password=_given(f"{name}-secret"))
    with setup_desk(new_store_location, clock=clock, create=False) as owner:
        assert owner.setup_locked  # the store still asks for passwords
        with pytest.raises(NotPermitted, match="sign in"):
            owner.people.set_password("rep1", "rep1-by-the-owner")  # an admin's, only
        owner.people.set_password("admin", "admin-new-secret")
        with pytest.raises(NotPermitted, match="sign in"):
            owner.people.set_password("admin", "and-again-by-the-owner")  # once, not twice
    with open_desk(
        new_store_location, "admin", clock=clock, password=_given("admin-new-secret")
    ) as admin:
        admin.people.set_password("rep1", "rep1-new-secret")
    open_desk(new_store_location, "rep1", clock=clock, password=_given("rep1-new-secret")).close()


def test_an_admins_backup_through_their_own_login_carries_no_hash(
    team: TeamLogins, clock: FixedClock, tmp_path: Path
) -> None:
    admin = "admin-backup-login"
    with open_desk(team.owner_url, "admin", clock=clock) as desk:
        desk.people.add(admin, Role.ADMIN)
        desk.admin.set_database_login(admin, f"pw-{admin}")
        desk.people.set_password("admin", "admin-secret")
    try:
        with open_desk(team.url_for(admin), admin, clock=clock) as desk:
            backup = desk.admin.take_backup(tmp_path / "team.ldbackup.gz").path
        hashes = _hashes_in(backup)
        assert hashes.count(SET_AGAIN) == 1 and not any(
            str(value).startswith("$argon2") for value in hashes
        )
    finally:
        with psycopg.connect(plain_url(team.owner_url), autocommit=True) as connection:
            connection.execute(f'DROP ROLE IF EXISTS "{admin}"')


def test_the_restore_command_says_whose_passwords_to_set_again(
    sqlite_store_path: Path, clock: FixedClock, tmp_path: Path, run_cli: RunCli
) -> None:
    with setup_desk(str(sqlite_store_path), clock=clock) as desk:
        desk.people.add("admin", Role.ADMIN)
    _passwords(str(sqlite_store_path), clock, "admin")
    with open_desk(sqlite_store_path, "admin", clock=clock, password=_given("admin-secret")) as d:
        backup = d.admin.take_backup(tmp_path / "b.ldbackup.gz").path
    target = tmp_path / "restored.sqlite3"
    restored = run_cli("--db", str(target), "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert (
        f"Backups carry no passwords: 1 user(s) need theirs set again, an admin's first: "
        f"leaddesk --db {target} users password admin" in restored.stdout
    )
    # Doing what it says lets the admin in again, and then nobody else sets it.
    new = tmp_path / "new-password.txt"
    new.write_text("admin-after-restore\n", encoding="utf-8")
    command = ("--db", str(target), "users", "password", "admin", "--password-file", str(new))
    done = run_cli(*command)
    assert done.returncode == 0, done.stderr
    again = run_cli(*command)
    assert again.returncode == 3 and "sign in" in again.stderr
    open_desk(target, "admin", clock=clock, password=_given("admin-after-restore")).close()

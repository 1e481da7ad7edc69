"""A database login is made without re-applying every group's rights when they are in step,
yet a login made after an upgrade, a restore or a change by hand still gets every right its
role needs and no other. Real PostgreSQL (the team's logins)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from alembic import command
from psycopg import sql
from sqlalchemy import create_engine

from leaddesk.admin.backup_restore import restore_backup
from leaddesk.audit.actions import AuditAction
from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import Role
from leaddesk.errors import InputError
from leaddesk.store import grants, open_store
from leaddesk.store.migrations import alembic_config
from tests.factories import TeamLogins, inquiries_file, plain_url
from tests.test_database_rights import differences


def _sql(url: str, *statements: str) -> None:
    with psycopg.connect(plain_url(url)) as connection:
        for statement in statements:
            connection.execute(statement)


def _guard_ids(url: str) -> list[int]:
    """The row guards' triggers as made: every apply of the grants makes them again."""
    with psycopg.connect(plain_url(url)) as connection:
        rows = connection.execute(
            "SELECT t.oid FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE c.relnamespace = 'public'::regnamespace AND t.tgname LIKE 'leaddesk%' "
            "ORDER BY t.oid"
        ).fetchall()
    return [int(row[0]) for row in rows]


def _group(url: str, role: Role) -> sql.Identifier:
    with psycopg.connect(plain_url(url)) as connection:
        database = str(connection.execute("SELECT current_database()").fetchone()[0])  # type: ignore[index]
    return sql.Identifier(grants.group_name(database, role))


@pytest.fixture
def newcomers(team: TeamLogins, clock: FixedClock) -> Iterator[list[str]]:
    """Two users with no login yet, a qualifier and a marketer; their logins are dropped
    afterwards (they are the whole server's)."""
    tag = uuid.uuid4().hex[:8]
    names = [f"newrep-{tag}", f"newmkt-{tag}"]
    with open_desk(team.owner_url, "admin", clock=clock) as desk:
        desk.people.add(names[0], Role.QUALIFIER, capacity=50)
        desk.people.add(names[1], Role.MARKETING)
    yield names
    with psycopg.connect(plain_url(team.owner_url), autocommit=True) as connection:
        for name in names:
            connection.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name)))


def _upgrade_by_alembic_alone(owner_url: str) -> None:
    """The schema brought to the head by Alembic itself, as a DBA might: LeadDesk's own
    upgrade step, which gives the groups their rights on new tables, does not run."""
    engine = create_engine(owner_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as connection:
            command.upgrade(alembic_config(connection), "head")
            connection.commit()
    finally:
        engine.dispose()


def _upgrade_by_its_owner(owner_url: str) -> None:
    open_store(owner_url).close()


@pytest.mark.parametrize(
    "upgrade",
    [_upgrade_by_alembic_alone, _upgrade_by_its_owner],
    ids=["alembic-alone", "its-owner"],
)
def test_a_login_made_right_after_an_upgrade_that_added_a_table_uses_it_as_its_role_may(
    team: TeamLogins, newcomers: list[str], clock: FixedClock, tmp_path: Path, upgrade: object
) -> None:
    # The store as 0030 left it, its rights given then: no skips table yet.
    _sql(
        team.owner_url,
        "DROP TABLE queue_skips",
        "UPDATE alembic_version SET version_num = '0030'",
    )
    assert callable(upgrade)
    upgrade(team.owner_url)  # 0031 adds queue_skips
    rep, marketer = newcomers
    with open_desk(team.owner_url, "admin", clock=clock) as desk:
        made = desk.admin.set_database_logins({rep: f"pw-{rep}", marketer: f"pw-{marketer}"})
    assert made == {rep: True, marketer: True}
    rep_url, marketing_url = team.url_for(rep), team.url_for(marketer)
    # Every table, the new one too, exactly as the rights table says, for both roles.
    assert differences(Role.QUALIFIER, rep_url) == []
    assert differences(Role.MARKETING, marketing_url) == []
    # The new rep skips a lead for now through their own login: a row in the new table.
    with open_desk(rep_url, rep, clock=clock) as desk:
        desk.intake.import_file(inquiries_file(tmp_path / "inquiries.csv"))
        row = desk.queue.next()
        assert row is not None
        desk.queue.skip(row.lead_id)
    with psycopg.connect(plain_url(team.owner_url)) as connection:
        skips = connection.execute("SELECT lead_id FROM queue_skips").fetchall()
    assert skips == [(row.lead_id,)]
    # The marketer may read it and not take it away; the rep still makes no opportunity and
    # accepts no lead from a SQL prompt.
    _sql(marketing_url, "SELECT * FROM queue_skips")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        _sql(marketing_url, "DELETE FROM queue_skips")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        _sql(
            rep_url,
            f"INSERT INTO opportunity_refs (lead_id, external_id) VALUES ({row.lead_id}, 'X')",
        )
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="sales"):
        _sql(rep_url, f"UPDATE leads SET stage = 'accepted' WHERE id = {row.lead_id}")


def test_a_login_made_while_the_rights_are_in_step_leaves_them_as_they_are(
    team: TeamLogins, newcomers: list[str], clock: FixedClock
) -> None:
    before = _guard_ids(team.owner_url)
    with open_desk(team.owner_url, "admin", clock=clock) as desk:
        assert desk.admin.set_database_login(newcomers[0], f"pw-{newcomers[0]}") is True
    assert _guard_ids(team.owner_url) == before  # not made again
    assert differences(Role.QUALIFIER, team.url_for(newcomers[0])) == []


def test_a_right_taken_away_by_hand_is_given_back_by_the_next_login(
    team: TeamLogins, newcomers: list[str], clock: FixedClock
) -> None:
    group = _group(team.owner_url, Role.QUALIFIER)
    with psycopg.connect(plain_url(team.owner_url), autocommit=True) as connection:
        connection.execute(sql.SQL("REVOKE INSERT ON call_attempts FROM {}").format(group))
    assert differences(Role.QUALIFIER, team.url_for(team.rep)) == [
        "qualifier INSERT on call_attempts: the server says no"
    ]
    with open_desk(team.owner_url, "admin", clock=clock) as desk:
        desk.admin.set_database_login(newcomers[0], f"pw-{newcomers[0]}")
    assert differences(Role.QUALIFIER, team.url_for(team.rep)) == []
    assert differences(Role.QUALIFIER, team.url_for(newcomers[0])) == []


def test_a_right_given_by_hand_is_taken_back_by_the_next_login(
    team: TeamLogins, newcomers: list[str], clock: FixedClock
) -> None:
    group = _group(team.owner_url, Role.QUALIFIER)
    with psycopg.connect(plain_url(team.owner_url), autocommit=True) as connection:
        connection.execute(sql.SQL("GRANT INSERT ON opportunity_refs TO {}").format(group))
        # ... and a row guard dropped, which no rights table shows.
        connection.execute("DROP TRIGGER leaddesk_qualified ON leads")
    with open_desk(team.owner_url, "admin", clock=clock) as desk:
        desk.admin.set_database_login(newcomers[0], f"pw-{newcomers[0]}")
    assert differences(Role.QUALIFIER, team.url_for(newcomers[0])) == []
    with psycopg.connect(plain_url(team.owner_url)) as connection:
        guard = connection.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgname = 'leaddesk_qualified'"
        ).fetchone()
    assert guard == (1,)


def test_several_logins_are_made_at_once_each_audited_or_none_when_a_name_is_wrong(
    team: TeamLogins, newcomers: list[str], clock: FixedClock
) -> None:
    rep, marketer = newcomers
    with open_desk(team.owner_url, "admin", clock=clock) as desk:
        with pytest.raises(InputError, match="No user named 'nobody-here'"):
            desk.admin.set_database_logins({rep: "pw-newcomer", "nobody-here": "pw-nobody"})
        with psycopg.connect(plain_url(team.owner_url)) as connection:
            found = connection.execute(
                "SELECT count(*) FROM pg_roles WHERE rolname = %s", (rep,)
            ).fetchone()
        assert found == (0,)
        made = desk.admin.set_database_logins(
            {rep: f"pw-{rep}", marketer: f"pw-{marketer}", team.sales: None}
        )
        assert made == {rep: True, marketer: True, team.sales: False}
    with psycopg.connect(plain_url(team.owner_url)) as connection:
        events = connection.execute(
            "SELECT action, subject FROM audit_events WHERE action IN (%s, %s) "
            "ORDER BY id DESC LIMIT 3",
            (AuditAction.DATABASE_LOGIN_MADE.value, AuditAction.DATABASE_LOGIN_CHANGED.value),
        ).fetchall()[::-1]
    assert events == [
        (AuditAction.DATABASE_LOGIN_MADE.value, f"user {rep}"),
        (AuditAction.DATABASE_LOGIN_MADE.value, f"user {marketer}"),
        (AuditAction.DATABASE_LOGIN_CHANGED.value, f"user {team.sales}"),
    ]
    assert differences(Role.MARKETING, team.url_for(marketer)) == []


def test_a_login_made_after_a_restore_into_the_emptied_database_has_its_roles_rights(
    team: TeamLogins, newcomers: list[str], clock: FixedClock, tmp_path: Path
) -> None:
    with open_desk(team.owner_url, "admin", clock=clock) as desk:
        backup = desk.admin.take_backup(tmp_path / "team.ldbackup.gz").path
    # The same database emptied (its groups and the team's logins are the server's: kept).
    _sql(team.owner_url, "DROP SCHEMA public CASCADE", "CREATE SCHEMA public")
    restore_backup(team.owner_url, backup, at=clock())
    rep, marketer = newcomers
    with open_desk(team.owner_url, "admin", clock=clock) as desk:
        made = desk.admin.set_database_logins({rep: f"pw-{rep}", marketer: f"pw-{marketer}"})
    assert made == {rep: True, marketer: True}
    assert differences(Role.QUALIFIER, team.url_for(rep)) == []
    assert differences(Role.MARKETING, team.url_for(marketer)) == []
    assert differences(Role.SALES, team.url_for(team.sales)) == []  # a login from before
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        _sql(
            team.url_for(rep), "INSERT INTO opportunity_refs (lead_id, external_id) VALUES (1, 'X')"
        )

"""A rep's "skip for now" is theirs at the database's door too: a colleague's own login cannot
remove it (it would pull a lead they put off back to the top of their queue), while taking an
import back still removes the skips of its leads, whoever made them. Real PostgreSQL, through
a team's own logins."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, delete, insert, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import Role
from leaddesk.store import open_store
from leaddesk.store.models import QueueSkip, User
from leaddesk.store.plpgsql import row_trigger
from tests.factories import TeamLogins, inquiries_file


@dataclass
class TwoReps:
    team: TeamLogins
    other: str  # a second rep with a login of their own (password ``pw-NAME``)
    ids: dict[str, int]


@pytest.fixture
def two_reps(team: TeamLogins, clock: FixedClock) -> Iterator[TwoReps]:
    other = team.rep.replace("rep-", "rep2-")
    with open_desk(team.owner_url, "admin", clock=clock) as admin:
        admin.people.add(other, Role.QUALIFIER, capacity=50)
        assert admin.admin.set_database_login(other, f"pw-{other}") is True
    owner = _engine(team.owner_url)
    try:
        with owner.begin() as connection:
            ids = dict(connection.execute(select(User.name, User.id)).tuples().all())
        yield TwoReps(team, other, ids)
    finally:
        with owner.begin() as connection:
            connection.execute(text(f'DROP OWNED BY "{other}"'))
            connection.execute(text(f'DROP ROLE IF EXISTS "{other}"'))
        owner.dispose()


def _engine(url: str) -> Engine:
    return create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))


def _skips(location: str) -> list[tuple[int, int]]:
    store = open_store(location)
    try:
        with store.reading() as session:
            rows = session.scalars(select(QueueSkip).order_by(QueueSkip.id)).all()
            return [(row.user_id, row.lead_id) for row in rows]
    finally:
        store.close()


def test_a_reps_login_cannot_remove_a_colleagues_skip_only_its_own(
    two_reps: TwoReps, clock: FixedClock, tmp_path: Path
) -> None:
    team, other = two_reps.team, two_reps.other
    rep_id, other_id = two_reps.ids[team.rep], two_reps.ids[other]
    with open_desk(team.url_for(team.lead), team.lead, clock=clock) as team_lead:
        team_lead.intake.import_file(inquiries_file(tmp_path / "inquiries.csv", 3))
    with open_desk(team.url_for(other), other, clock=clock) as colleague:
        theirs = colleague.queue.page(limit=1)[0].lead_id  # the open pool's
        colleague.queue.skip(theirs)
    with open_desk(team.url_for(team.rep), team.rep, clock=clock) as rep:
        mine = rep.queue.page(limit=1)[0].lead_id
        rep.queue.skip(mine)
    assert sorted(_skips(team.owner_url)) == sorted([(other_id, theirs), (rep_id, mine)])
    rep_login = _engine(team.url_for(team.rep))
    try:
        refused = pytest.raises(DBAPIError, match="this was written by a colleague")
        with refused, rep_login.begin() as connection:
            connection.execute(delete(QueueSkip).where(QueueSkip.user_id == other_id))
        with rep_login.begin() as connection:  # their own goes
            connection.execute(delete(QueueSkip).where(QueueSkip.user_id == rep_id))
    finally:
        rep_login.dispose()
    assert _skips(team.owner_url) == [(other_id, theirs)]


def test_a_team_leads_login_may_clear_a_reps_skip(
    two_reps: TwoReps, clock: FixedClock, tmp_path: Path
) -> None:
    team, other = two_reps.team, two_reps.other
    with open_desk(team.url_for(other), other, clock=clock) as colleague:
        colleague.intake.import_file(inquiries_file(tmp_path / "inquiries.csv", 3))
        colleague.queue.skip(colleague.queue.page(limit=1)[0].lead_id)
    lead_login = _engine(team.url_for(team.lead))
    try:
        with lead_login.begin() as connection:
            connection.execute(delete(QueueSkip))
    finally:
        lead_login.dispose()
    assert _skips(team.owner_url) == []


def test_taking_an_import_back_removes_a_colleagues_skips_of_its_leads(
    two_reps: TwoReps, clock: FixedClock, tmp_path: Path
) -> None:
    team, other = two_reps.team, two_reps.other
    with open_desk(team.url_for(team.rep), team.rep, clock=clock) as rep:
        # The policy shares the file's leads out: some come to the colleague's queue.
        run = rep.intake.import_file(inquiries_file(tmp_path / "inquiries.csv", 3), keep_mine=False)
    with open_desk(team.url_for(other), other, clock=clock) as colleague:
        skipped = colleague.queue.page(limit=1)[0].lead_id
    # The colleague's skip, written by their own login. (A skip made in the window also
    # leaves an audit event: a look, which stays in the trail when the import is undone.)
    colleague_login = _engine(team.url_for(other))
    try:
        with colleague_login.begin() as connection:
            connection.execute(
                insert(QueueSkip.__table__),
                {
                    "lead_id": skipped,
                    "user_id": two_reps.ids[other],
                    "skipped_at": clock(),
                    "behind": [],
                },
            )
    finally:
        colleague_login.dispose()
    assert _skips(team.owner_url) == [(two_reps.ids[other], skipped)]
    assert run.run_id is not None
    with open_desk(team.url_for(team.rep), team.rep, clock=clock) as rep:
        rep.intake.undo(run.run_id)  # the rep's own login takes the untouched import back
        assert rep.queue.page(limit=10) == []
    assert _skips(team.owner_url) == []


def test_a_team_store_made_before_the_guard_gets_it_when_opened(
    two_reps: TwoReps, clock: FixedClock, tmp_path: Path
) -> None:
    team, other = two_reps.team, two_reps.other
    # The store as 0031 left it: the skips' guard on INSERT and UPDATE only.
    call = "leaddesk_guard_own_rows('user_id', 'team_lead', 'admin')"
    old_guard = row_trigger("queue_skips", "leaddesk_guard", "BEFORE INSERT OR UPDATE", call)
    owner = _engine(team.owner_url)
    try:
        with owner.begin() as connection:
            for statement in old_guard:
                connection.execute(text(statement))
            connection.execute(text("UPDATE alembic_version SET version_num = '0031'"))
    finally:
        owner.dispose()
    open_store(team.owner_url).close()  # its owner opens it: upgraded
    with open_desk(team.url_for(other), other, clock=clock) as colleague:
        colleague.intake.import_file(inquiries_file(tmp_path / "inquiries.csv", 3))
        colleague.queue.skip(colleague.queue.page(limit=1)[0].lead_id)
    rep_login = _engine(team.url_for(team.rep))
    try:
        refused = pytest.raises(DBAPIError, match="this was written by a colleague")
        with refused, rep_login.begin() as connection:
            connection.execute(delete(QueueSkip))
    finally:
        rep_login.dispose()
    assert len(_skips(team.owner_url)) == 1

""" "Skip for now": a lead waits behind the next five of the rep's queue, no call logged,
audited, and back in its place once those are worked."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, insert, select
from sqlalchemy.exc import DBAPIError

from leaddesk.admin.backup_restore import restore_backup
from leaddesk.admin.demo import fill_demo
from leaddesk.audit.actions import AuditAction
from leaddesk.clock import FixedClock
from leaddesk.definition import versions as definition_versions
from leaddesk.desk import open_desk
from leaddesk.domain import CallOutcome
from leaddesk.files.resources import resource_path
from leaddesk.queue.skips import SKIP_LASTS
from leaddesk.store import open_store
from leaddesk.store.models import AuditEvent, CallAttempt, QueueSkip, User
from tests.cli_in_process import RunCli
from tests.factories import TeamLogins, inquiries_file


@pytest.fixture
def demo_location(demo_filled: Callable[[int, int, int], str]) -> str:
    return demo_filled(120, 2, 12)


def _ids(location: str, clock: FixedClock, limit: int = 12) -> list[int]:
    with open_desk(location, "rep1", clock=clock) as desk:
        return [row.lead_id for row in desk.queue.page(limit=limit)]


def test_a_skipped_lead_waits_behind_the_next_five_and_no_call_is_logged(
    demo_location: str, clock: FixedClock
) -> None:
    before = _ids(demo_location, clock)
    top = before[0]
    with open_desk(demo_location, "rep1", clock=clock) as desk:
        held = desk.queue.next()
        assert held is not None and held.lead_id == top
        skipped = desk.queue.skip(top)
        assert skipped.behind == tuple(before[1:6])
        assert skipped.message.endswith("for now: back after the next 5 leads.")
        # N now takes the one after it; the skipped lead's claim was let go.
        taken = desk.queue.next()
        assert taken is not None and taken.lead_id == before[1]
        desk.queue.release(taken.lead_id)
    after = _ids(demo_location, clock)
    assert after[:6] == [*before[1:6], top]
    with open_desk(demo_location, "rep1", clock=clock) as desk:
        why = {row.lead_id: row.reason for row in desk.queue.page(limit=12)}
    assert why[top].startswith("skipped for now; ")  # the Why column says so
    assert not any(why[other].startswith("skipped") for other in before[1:6])
    store = open_store(demo_location)
    try:
        with store.reading() as session:
            calls = session.scalars(
                select(CallAttempt).where(CallAttempt.lead_id == top, CallAttempt.at >= clock())
            ).all()
            events = session.scalars(
                select(AuditEvent).where(
                    AuditEvent.lead_id == top,
                    AuditEvent.action == AuditAction.QUEUE_SKIPPED.value,
                )
            ).all()
            details = [event.details for event in events]
    finally:
        store.close()
    assert calls == []
    assert details == [{"behind": before[1:6]}]


def test_once_the_leads_it_waited_behind_are_worked_the_skipped_lead_is_next(
    demo_location: str, clock: FixedClock
) -> None:
    before = _ids(demo_location, clock)
    with open_desk(demo_location, "rep1", clock=clock) as desk:
        desk.queue.skip(before[0])
        for expected in before[1:6]:
            row = desk.queue.next()
            assert row is not None and row.lead_id == expected
            desk.calls.log(row.lead_id, CallOutcome.NO_ANSWER)
        row = desk.queue.next()
        assert row is not None and row.lead_id == before[0]


def test_a_skip_is_the_reps_own_and_lapses_by_the_next_day(
    demo_location: str, clock: FixedClock
) -> None:
    before = _ids(demo_location, clock)
    with open_desk(demo_location, "rep1", clock=clock) as desk:
        desk.queue.skip(before[0])
    clock.advance(hours=13)
    with open_desk(demo_location, "rep1", clock=clock) as desk:
        skips = desk.queue.page(limit=50)
    # Not pushed back any more: wherever the clock put it, it is not held behind others.
    ids = [row.lead_id for row in skips]
    if before[0] in ids and all(other in ids for other in before[1:6]):
        assert ids.index(before[0]) < max(ids.index(other) for other in before[1:6])


def test_skip_from_the_cli_says_where_the_lead_went(
    demo_location: str, clock: FixedClock, run_cli: RunCli
) -> None:
    top = _ids(demo_location, clock)[0]
    done = run_cli(
        "queue", "skip", str(top), "--as", "rep1", "--at", clock().isoformat(), db=demo_location
    )
    assert done.returncode == 0, done.stderr
    assert "for now: back after the next 5 leads." in done.stdout
    missing = run_cli(
        "queue", "skip", "99999999", "--as", "rep1", "--at", clock().isoformat(), db=demo_location
    )
    assert missing.returncode == 2 and "No lead 99999999" in missing.stderr


def test_the_policy_says_how_many_leads_a_skip_waits_behind(
    demo_location: str, clock: FixedClock
) -> None:
    store = open_store(demo_location)
    try:
        with store.transaction() as session:
            text = resource_path("definitions", "bant.toml").read_text(encoding="utf-8")
            lead1 = session.scalar(select(User.id).where(User.name == "lead1"))
            definition_versions.publish(
                session,
                text + "\n[policy.queue]\nskip_behind = 2\n",
                source="skip-two.toml",
                at=clock(),
                actor_id=lead1,
            )
    finally:
        store.close()
    before = _ids(demo_location, clock)
    with open_desk(demo_location, "rep1", clock=clock) as desk:
        skipped = desk.queue.skip(before[0])
    assert skipped.behind == tuple(before[1:3])
    assert skipped.message.endswith("back after the next 2 leads.")


def _skips(location: str) -> list[tuple[int, int, list[int]]]:
    store = open_store(location)
    try:
        with store.reading() as session:
            rows = session.scalars(select(QueueSkip).order_by(QueueSkip.id)).all()
            return [(row.user_id, row.lead_id, row.behind) for row in rows]
    finally:
        store.close()


def test_a_skip_is_one_row_of_the_rep_the_latest_winning_and_lapsed_ones_cleared(
    demo_location: str, clock: FixedClock
) -> None:
    before = _ids(demo_location, clock)
    with open_desk(demo_location, "rep1", clock=clock) as desk:
        rep1 = desk.actor.id
        desk.queue.skip(before[0])
        second = desk.queue.skip(before[1])
        again = desk.queue.skip(before[0])  # skipped again: waits behind today's next five
    assert sorted(_skips(demo_location)) == sorted(
        [(rep1, before[1], list(second.behind)), (rep1, before[0], list(again.behind))]
    )
    later = FixedClock(clock() + SKIP_LASTS + timedelta(minutes=1))
    with open_desk(demo_location, "rep1", clock=later) as desk:
        top = _ids(demo_location, later)[0]
        desk.queue.skip(top)
    assert [(user, lead) for user, lead, _behind in _skips(demo_location)] == [(rep1, top)]


def test_skips_from_before_their_table_are_kept_when_the_store_is_upgraded(
    tmp_path: Path, clock: FixedClock
) -> None:
    path = tmp_path / "skipped.sqlite3"
    store = open_store(path)
    fill_demo(store, leads=60, reps=2, seed=12, now=clock())
    store.close()
    before = _ids(str(path), clock)
    with open_desk(path, "rep1", clock=clock) as desk:
        desk.queue.skip(before[0])
    after = _ids(str(path), clock)
    assert after[:6] == [*before[1:6], before[0]]
    with sqlite3.connect(path) as old:  # the store as 0030 left it: skips in the audit alone
        old.execute("DROP TABLE queue_skips")
        old.execute("UPDATE alembic_version SET version_num = '0030'")
    assert _ids(str(path), clock) == after  # upgraded on opening, the skip moved in
    assert [lead for _user, lead, _behind in _skips(str(path))] == [before[0]]


def test_a_backup_leaves_the_skips_out_and_the_restored_queue_has_every_lead_in_its_place(
    tmp_path: Path, clock: FixedClock
) -> None:
    path = tmp_path / "skipped.sqlite3"
    store = open_store(path)
    fill_demo(store, leads=60, reps=2, seed=12, now=clock())
    store.close()
    before = _ids(str(path), clock)
    with open_desk(path, "rep1", clock=clock) as desk:
        desk.queue.skip(before[0])
    with open_desk(path, "admin", clock=clock) as desk:
        backup = desk.admin.take_backup(tmp_path / "skipped.ldbackup.gz").path
    restored = tmp_path / "restored.sqlite3"
    summary = restore_backup(restored, backup, at=clock())
    assert "queue_skips" not in summary.rows and summary.rows["audit_events"] > 0
    assert _ids(str(restored), clock) == before  # the skip lapsed with the copy
    assert _skips(str(restored)) == []


def test_a_reps_own_team_login_skips_and_skips_again(
    team: TeamLogins, clock: FixedClock, tmp_path: Path
) -> None:
    """Real PostgreSQL, the rep's own login: the skip's row written, replaced, read back."""
    with open_desk(team.url_for(team.rep), team.rep, clock=clock) as rep:
        rep.intake.import_file(inquiries_file(tmp_path / "inquiries.csv", 3))
        before = [row.lead_id for row in rep.queue.page(limit=10)]
        assert len(before) == 3
        rep.queue.skip(before[0])
        assert [row.lead_id for row in rep.queue.page(limit=10)] == [*before[1:], before[0]]
        rep.queue.skip(before[0])  # again: its earlier skip replaced
        assert [lead for _user, lead, _behind in _skips(team.owner_url)] == [before[0]]


def test_a_reps_login_cannot_skip_a_lead_in_a_colleagues_name(
    team: TeamLogins, clock: FixedClock, tmp_path: Path
) -> None:
    """At the SQL door: a skip in another rep's name would sink a lead in their queue."""
    with open_desk(team.url_for(team.rep), team.rep, clock=clock) as rep:
        rep.intake.import_file(inquiries_file(tmp_path / "inquiries.csv", 3))
        lead = rep.queue.page(limit=1)[0].lead_id
    owner = create_engine(team.owner_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with owner.begin() as connection:
        ids = dict(connection.execute(select(User.name, User.id)).tuples().all())
    owner.dispose()
    rep_login = create_engine(
        team.url_for(team.rep).replace("postgresql://", "postgresql+psycopg://", 1)
    )
    row = {"lead_id": lead, "skipped_at": clock(), "behind": []}
    try:
        refused = pytest.raises(DBAPIError, match="a login writes in its own name only")
        with refused, rep_login.begin() as connection:
            connection.execute(insert(QueueSkip.__table__), {**row, "user_id": ids[team.lead]})
        with rep_login.begin() as connection:  # their own skip goes in
            connection.execute(insert(QueueSkip.__table__), {**row, "user_id": ids[team.rep]})
    finally:
        rep_login.dispose()
    assert [user for user, _lead, _behind in _skips(team.owner_url)] == [ids[team.rep]]

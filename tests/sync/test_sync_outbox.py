"""The outbox: a hand-off verdict queues its lead in the verdict's own transaction, an undo
takes the row back, other verdicts queue nothing, and two workers never hold one row."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fake_salesforce import FakeSalesforce
from sqlalchemy import select
from sync_scenarios import SALES_WORTHY, add_lead, hand_off

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import Verdict
from leaddesk.errors import Conflict, NotPermitted
from leaddesk.store import open_store
from leaddesk.store.models import SyncOutboxRow, VerdictRecord
from leaddesk.sync import outbox


def rows(location: str) -> list[SyncOutboxRow]:
    store = open_store(location)
    try:
        with store.reading() as session:
            return list(session.scalars(select(SyncOutboxRow).order_by(SyncOutboxRow.id)))
    finally:
        store.close()


def test_the_hand_off_verdict_queues_its_lead_with_the_verdict(
    synced_team: str, clock: FixedClock
) -> None:
    lead_id = hand_off(synced_team, clock)
    [row] = rows(synced_team)
    store = open_store(synced_team)
    with store.reading() as session:
        verdict = session.scalars(
            select(VerdictRecord).where(VerdictRecord.lead_id == lead_id)
        ).one()
    store.close()
    assert (row.lead_id, row.verdict_id, row.status) == (lead_id, verdict.id, outbox.WAITING)
    assert row.queued_at == verdict.decided_at


def test_a_team_without_a_sync_queues_nothing(team: str, clock: FixedClock) -> None:
    hand_off(team, clock)
    assert rows(team) == []


def test_other_verdicts_queue_nothing(synced_team: str, clock: FixedClock) -> None:
    lead_id = add_lead(synced_team, clock)
    with open_desk(synced_team, "rep1", clock=clock) as desk:
        desk.qualifying.answer(lead_id, {**SALES_WORTHY, "budget_status": "none"})
        desk.qualifying.give_verdict(lead_id, Verdict.NURTURE, "no budget this year")
    assert rows(synced_team) == []


def test_a_verdict_taken_back_before_it_was_sent_takes_its_row_back(
    synced_team: str, clock: FixedClock
) -> None:
    lead_id = hand_off(synced_team, clock)
    store = open_store(synced_team)
    with store.reading() as session:
        verdict_id = session.scalars(select(VerdictRecord.id)).one()
    store.close()
    with open_desk(synced_team, "rep1", clock=clock) as desk:
        desk.qualifying.undo_verdict(verdict_id)
    assert rows(synced_team) == []
    with open_desk(synced_team, "rep1", clock=clock) as desk:
        desk.qualifying.give_verdict(lead_id, Verdict.HAND_OFF)
    assert [row.lead_id for row in rows(synced_team)] == [lead_id]


def test_two_workers_never_hold_the_same_row_until_the_lease_runs_out(
    synced_team: str, clock: FixedClock
) -> None:
    first, second = hand_off(synced_team, clock), hand_off(synced_team, clock, email="g@a.example")
    store = open_store(synced_team)
    try:
        with store.transaction() as session:
            mine = outbox.claim(session, "host:1:a", clock(), 1)
        with store.transaction() as session:
            theirs = outbox.claim(session, "host:2:b", clock(), 10)
        with store.transaction() as session:
            nothing = outbox.claim(session, "host:3:c", clock(), 10)
        assert [c.lead_id for c in mine] == [first]
        assert [c.lead_id for c in theirs] == [second] and nothing == []
        later = clock() + outbox.LEASE + timedelta(seconds=1)  # the first worker died
        with store.transaction() as session:
            taken_over = outbox.claim(session, "host:3:c", later, 10)
            assert not outbox.settle(
                session,
                "host:1:a",
                mine[0].row_id,
                connector="salesforce",
                crm_id="00Q",
                error=None,
                at=later,
            )  # the dead worker's late answer changes nothing
        assert sorted(c.lead_id for c in taken_over) == [first, second]
    finally:
        store.close()


def test_a_qualifier_cannot_set_up_the_sync(
    synced_team: str, clock: FixedClock, salesforce: FakeSalesforce
) -> None:
    with open_desk(synced_team, "rep1", clock=clock) as desk, pytest.raises(NotPermitted):
        desk.sync.setup("files", folder="/tmp/x")


def test_a_verdict_already_in_salesforce_cannot_be_taken_back_here(
    synced_team: str, clock: FixedClock, salesforce: FakeSalesforce
) -> None:
    lead_id = hand_off(synced_team, clock)
    with open_desk(synced_team, "rep1", clock=clock) as desk:
        [sent] = desk.sync.run().sent
        verdict_id = desk.qualifying.verdict_history(lead_id)[-1].verdict.id
        with pytest.raises(Conflict, match=f"already in sales' CRM \\({sent.crm_id}\\)"):
            desk.qualifying.undo_verdict(verdict_id)
    assert [row.status for row in rows(synced_team)] == ["sent"]


def test_a_batch_of_answers_settles_only_the_rows_this_worker_still_holds(
    synced_team: str, clock: FixedClock
) -> None:
    first = hand_off(synced_team, clock)
    second = hand_off(synced_team, clock, email="g@a.example")
    third = hand_off(synced_team, clock, email="h@a.example")
    store = open_store(synced_team)
    try:
        with store.transaction() as session:
            claimed = outbox.claim(session, "host:1:a", clock(), 10)
        row_of = {c.lead_id: c.row_id for c in claimed}
        with store.transaction() as session:  # the third row's lease was taken over
            session.get(SyncOutboxRow, row_of[third]).claimed_by = "host:2:b"  # type: ignore[union-attr]
        with store.transaction() as session:
            mine = outbox.settle_all(
                session,
                "host:1:a",
                [
                    outbox.Answered(row_of[first], "00Q000000000001", None),
                    outbox.Answered(row_of[second], None, "REQUIRED_FIELD_MISSING: Company"),
                    outbox.Answered(row_of[third], "00Q000000000003", None),
                ],
                connector="salesforce",
                at=clock(),
            )
        assert mine == {row_of[first], row_of[second]}
        by_lead = {row.lead_id: row for row in rows(synced_team)}
        sent, held, theirs = by_lead[first], by_lead[second], by_lead[third]
        assert (sent.status, sent.crm_id, sent.sent_at, sent.claimed_by, sent.attempts) == (
            outbox.SENT,
            "00Q000000000001",
            clock(),
            None,
            1,
        )
        assert (held.status, held.error, held.sent_at, held.claimed_by) == (
            outbox.HELD,
            "REQUIRED_FIELD_MISSING: Company",
            None,
            None,
        )
        assert (theirs.status, theirs.crm_id, theirs.claimed_by, theirs.attempts) == (
            outbox.WAITING,
            None,
            "host:2:b",
            0,
        )
    finally:
        store.close()

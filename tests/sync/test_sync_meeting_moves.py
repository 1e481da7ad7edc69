"""A meeting moved or cancelled after its hand-off reached Salesforce goes there again: the
same Lead (upserted by the LeadDesk id) says the new time and where it was, or that it is
off; the call Task is not made twice; a move before the first send rides with it; the
salesperson's own calendar moving it counts as a move; the faults a hand-off survives (429,
500, a timeout after Salesforce committed) leave one Lead and one Task too."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fake_salesforce import FakeSalesforce
from sync_scenarios import hand_off
from test_sync_faults import connector, one_lead_each

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.errors import Conflict
from leaddesk.store import Store, open_store
from leaddesk.store.models import SyncOutboxRow
from leaddesk.sync import outbox
from leaddesk.sync.sending import send_waiting
from tests.cli_in_process import RunCli


@pytest.fixture
def store(synced_team: str) -> Iterator[Store]:
    opened = open_store(synced_team)
    yield opened
    opened.close()


def booked(team: str, clock: FixedClock, **lead: object) -> tuple[int, list[datetime]]:
    """A hand-off with a meeting booked with sales1 on the call; the free slots it had."""
    lead_id = hand_off(team, clock, **lead)  # type: ignore[arg-type]
    with open_desk(team, "rep1", clock=clock) as desk:
        slots = [slot.starts_at for slot in desk.meetings.slots(lead_id, with_="sales1").slots]
        desk.meetings.book(lead_id, slots[0], with_="sales1")
    return lead_id, slots


@pytest.fixture(autouse=True)
def _invitations_in_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # The invitations the desk writes (no file named) land in the test's folder.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def description_of(salesforce: FakeSalesforce, lead_id: int) -> str:
    [lead] = salesforce.leads_for(lead_id)
    return str(lead["Description"])


def outbox_row(store: Store, lead_id: int) -> tuple[str, str | None]:
    with store.reading() as session:
        row = session.query(SyncOutboxRow).filter_by(lead_id=lead_id).one()
        return row.status, row.crm_id


def test_a_meeting_moved_after_the_sync_updates_the_same_lead_without_a_second_task(
    synced_team: str, store: Store, clock: FixedClock, salesforce: FakeSalesforce
) -> None:
    lead_id, slots = booked(synced_team, clock)
    with open_desk(synced_team, "rep1", clock=clock) as desk:
        first = desk.sync.run()
        was = desk.meetings.of_lead(lead_id)
    assert was is not None and f"Meeting booked on the call: {was.when}" in description_of(
        salesforce, lead_id
    )
    clock.advance(minutes=10)
    with open_desk(synced_team, "rep1", clock=clock) as desk:
        moved = desk.meetings.move(lead_id, slots[3]).meeting
        # Written with the move: the CRM has the lead, so its row waits again, record kept.
        assert outbox_row(store, lead_id) == ("waiting", first.sent[0].crm_id)
        timeline = [e.text for e in desk.queue.lead_file(lead_id).timeline if e.kind == "sync"]
        assert timeline == [
            "Meeting change waiting to sync",
            f"Synced to Salesforce (Lead {first.sent[0].crm_id})",
        ]
        again = desk.sync.run()
    assert [s.crm_id for s in again.sent] == [first.sent[0].crm_id]
    said = description_of(salesforce, lead_id)
    assert f"Meeting booked on the call: {moved.when} with sales1, moved from {was.when[:16]}" in (
        said
    )
    assert outbox_row(store, lead_id) == ("sent", first.sent[0].crm_id)
    one_lead_each(salesforce, [lead_id])


def test_a_cancelled_meeting_reaches_salesforce_as_cancelled(
    synced_team: str, clock: FixedClock, salesforce: FakeSalesforce
) -> None:
    lead_id, _slots = booked(synced_team, clock)
    with open_desk(synced_team, "rep1", clock=clock) as desk:
        desk.sync.run()
        clock.advance(minutes=10)
        gone = desk.meetings.cancel(lead_id).meeting
        assert desk.sync.status().waiting == 1
        desk.sync.run()
    said = description_of(salesforce, lead_id)
    assert f"Meeting cancelled: it was {gone.when} with sales1" in said
    assert "Meeting booked on the call" not in said
    one_lead_each(salesforce, [lead_id])


def test_a_move_before_the_first_send_rides_with_it(
    synced_team: str, clock: FixedClock, salesforce: FakeSalesforce
) -> None:
    lead_id, slots = booked(synced_team, clock)
    clock.advance(minutes=5)
    with open_desk(synced_team, "rep1", clock=clock) as desk:
        moved = desk.meetings.move(lead_id, slots[2]).meeting
        assert desk.sync.status().waiting == 1
        run = desk.sync.run()
    assert [s.lead_id for s in run.sent] == [lead_id]
    assert f"Meeting booked on the call: {moved.when}" in description_of(salesforce, lead_id)
    upserts = [s for s in salesforce.seen if "composite/sobjects/Lead" in s.path]
    assert len(upserts) == 1
    one_lead_each(salesforce, [lead_id])


def test_the_salespersons_calendar_moving_it_sends_it_again(
    synced_team: str, clock: FixedClock, salesforce: FakeSalesforce, tmp_path: Path
) -> None:
    lead_id, slots = booked(synced_team, clock)
    with open_desk(synced_team, "rep1", clock=clock) as desk:
        desk.sync.run()
        meeting = desk.meetings.of_lead(lead_id)
    assert meeting is not None
    later = slots[4]
    ics = tmp_path / "theirs.ics"
    ics.write_text(
        "\r\n".join(
            [
                "BEGIN:VCALENDAR",
                "VERSION:2.0",
                "PRODID:-//Test//Calendar//EN",
                "BEGIN:VEVENT",
                f"UID:{meeting.uid}",
                "DTSTAMP:20261101T000000Z",
                f"DTSTART:{later:%Y%m%dT%H%M%SZ}",
                "DURATION:PT30M",
                "END:VEVENT",
                "END:VCALENDAR",
                "",
            ]
        ),
        encoding="utf-8",
    )
    clock.advance(minutes=10)
    with open_desk(synced_team, "sales1", clock=clock) as desk:
        followed = desk.meetings.set_calendar("sales1", ics=str(ics)).followed
    assert any(f"lead {lead_id}: moved in the calendar" in line for line in followed)
    with open_desk(synced_team, "rep1", clock=clock) as desk:
        assert desk.sync.status().waiting == 1
        desk.sync.run()
        moved = desk.meetings.of_lead(lead_id)
    assert moved is not None and moved.starts_at == later
    assert f"Meeting booked on the call: {moved.when}" in description_of(salesforce, lead_id)
    one_lead_each(salesforce, [lead_id])


@pytest.mark.parametrize("fault", ["429", "500", "slow"])
# The CRM's faults, not the store's: once, on SQLite (the same sends without a fault run on both).
@pytest.mark.parametrize("store_location", ["sqlite"], indirect=True)
def test_a_move_sent_through_a_fault_still_leaves_one_lead_and_one_task(
    synced_team: str,
    store: Store,
    clock: FixedClock,
    salesforce: FakeSalesforce,
    certificate: tuple[Path, Path],
    fault: str,
) -> None:
    lead_id, slots = booked(synced_team, clock)
    sending = connector(salesforce, certificate, [], timeout=1.0)
    send_waiting(store, sending, clock=clock, actor_id=None)
    clock.advance(minutes=10)
    with open_desk(synced_team, "rep1", clock=clock) as desk:
        moved = desk.meetings.move(lead_id, slots[5]).meeting
    # "slow": the update lands in Salesforce, its answer comes after LeadDesk stopped waiting.
    salesforce.fail_next(fault, delay=2.0 if fault == "slow" else 0.0)
    waits: list[float] = []
    resending = connector(salesforce, certificate, waits, timeout=1.0)
    run = send_waiting(store, resending, clock=clock, actor_id=None)
    assert waits and [s.lead_id for s in run.sent] == [lead_id]
    assert f"Meeting booked on the call: {moved.when}" in description_of(salesforce, lead_id)
    one_lead_each(salesforce, [lead_id])


def test_a_move_while_its_send_is_under_way_is_sent_again_after_it(
    synced_team: str, store: Store, clock: FixedClock, salesforce: FakeSalesforce
) -> None:
    lead_id, slots = booked(synced_team, clock)
    with open_desk(synced_team, "rep1", clock=clock) as desk:
        desk.sync.run()
        clock.advance(minutes=5)
        desk.meetings.move(lead_id, slots[1])
    with store.transaction() as session:  # a worker takes the row and sends the first move
        [claimed] = outbox.claim(session, "worker-a", clock(), 10)
    clock.advance(minutes=1)
    with open_desk(synced_team, "rep1", clock=clock) as desk:
        desk.meetings.move(lead_id, slots[2])  # moved again while that send is out
    with store.transaction() as session:
        answer = outbox.Answered(claimed.row_id, "00QXX", None, claimed.queued_at)
        recorded = outbox.settle_all(
            session, "worker-a", [answer], connector="salesforce", at=clock()
        )
    assert recorded == set()  # what went carried the first move: the row waits to go again
    status, crm_id = outbox_row(store, lead_id)
    assert status == "waiting" and crm_id is not None
    with store.transaction() as session, pytest.raises(Conflict, match="already in sales' CRM"):
        outbox.drop_unsent(session, lead_id, clock() + timedelta(minutes=5))


def test_meeting_move_and_cancel_on_the_command_line_queue_the_lead_again(
    synced_team: str, store: Store, clock: FixedClock, salesforce: FakeSalesforce, run_cli: RunCli
) -> None:
    lead_id, _slots = booked(synced_team, clock)
    with open_desk(synced_team, "rep1", clock=clock) as desk:
        desk.sync.run()
    # The command line runs on this computer's clock: a slot free from now on.
    code, out, err = run_cli("meeting", "slots", str(lead_id), "--as", "rep1", "--json",
                             db=synced_team)  # fmt: skip
    assert code == 0, err
    at = json.loads(out)["slots"][1]["start"]
    code, _out, err = run_cli("meeting", "move", str(lead_id), "--at", at, "--as", "rep1",
                              db=synced_team)  # fmt: skip
    assert code == 0, err
    assert outbox_row(store, lead_id)[0] == "waiting"
    code, _out, err = run_cli("sync", "run", "--as", "rep1", db=synced_team)
    assert code == 0, err
    assert outbox_row(store, lead_id)[0] == "sent"
    code, _out, err = run_cli("meeting", "cancel", str(lead_id), "--as", "rep1", db=synced_team)
    assert code == 0, err
    assert outbox_row(store, lead_id)[0] == "waiting"
    one_lead_each(salesforce, [lead_id])

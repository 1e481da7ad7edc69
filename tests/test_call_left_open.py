"""A call the window left open (closed or killed mid-call) comes back to the rep when the
window opens again: the lead held, the call on the line or ended by the talk-time rule."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import CallOutcome
from leaddesk.errors import Conflict
from leaddesk.store import open_store
from leaddesk.store.models import CallAttempt, Lead


@pytest.fixture
def demo_location(demo_filled: Callable[[int, int, int], str]) -> str:
    return demo_filled(120, 2, 11)


def _stored(location: str, call_id: int) -> tuple[CallAttempt, Lead]:
    store = open_store(location)
    try:
        with store.reading() as session:
            call = session.scalars(select(CallAttempt).where(CallAttempt.id == call_id)).one()
            lead = session.get(Lead, call.lead_id)
            assert lead is not None
            return call, lead
    finally:
        store.close()


def test_a_lead_left_mid_call_comes_back_held_with_its_call_still_on_the_line(
    demo_location: str, clock: FixedClock
) -> None:
    with open_desk(demo_location, "rep1", clock=clock) as desk:
        desk.calls.take_back_left_open()  # whatever the demo left open is settled first
        row = desk.queue.next()
        assert row is not None
        connected = desk.calls.log(row.lead_id, CallOutcome.CONNECTED, duration_seconds=30)
        desk.qualifying.answer(row.lead_id, {"contact_check": "yes"})
        clock.advance(minutes=2)  # the window closed; it opens again two minutes later
        left, ended = desk.calls.take_back_left_open()
    assert ended == []
    assert left is not None
    assert (left.call_id, left.row.lead_id, left.on_line) == (connected.call_id, row.lead_id, True)
    assert left.seconds == 30 + 120
    assert left.message == (f"Back to {row.person}: the call was still open when LeadDesk closed.")
    call, lead = _stored(demo_location, connected.call_id)
    assert call.ended_at is None  # the window ends it, with its length, when the rep hangs up
    assert lead.claimed_by_id is not None
    with open_desk(demo_location, "rep2", clock=clock) as other, pytest.raises(Conflict):
        other.queue.renew_claim(row.lead_id)


def test_once_its_claim_ran_out_the_call_ends_when_last_seen_and_the_lead_still_comes_back(
    demo_location: str, clock: FixedClock
) -> None:
    with open_desk(demo_location, "rep1", clock=clock) as desk:
        desk.calls.take_back_left_open()
        row = desk.queue.next()
        assert row is not None
        connected = desk.calls.log(row.lead_id, CallOutcome.CONNECTED, duration_seconds=30)
        clock.advance(minutes=4)
        desk.queue.renew_claim(row.lead_id)  # the window, four minutes into the call
        clock.advance(minutes=40)  # killed; opened again long after its claim ran out
        left, ended = desk.calls.take_back_left_open()
        assert desk.calls.take_back_left_open() == (None, [])  # brought back once
        # The lead is the rep's again: renewing it is theirs to do, not a colleague's.
        desk.queue.renew_claim(row.lead_id)
    assert [(e.call_id, e.duration_seconds) for e in ended] == [(connected.call_id, 30 + 240)]
    assert left is not None
    assert (left.row.lead_id, left.on_line, left.seconds) == (row.lead_id, False, 30 + 240)
    call, _lead = _stored(demo_location, connected.call_id)
    assert call.ended_at is not None


def test_a_call_hung_up_and_put_back_does_not_come_back(
    demo_location: str, clock: FixedClock
) -> None:
    with open_desk(demo_location, "rep1", clock=clock) as desk:
        desk.calls.take_back_left_open()
        row = desk.queue.next()
        assert row is not None
        connected = desk.calls.log(row.lead_id, CallOutcome.CONNECTED, duration_seconds=30)
        clock.advance(minutes=3)
        desk.calls.end(connected.call_id, 30 + 180)
        desk.queue.release(row.lead_id)
        clock.advance(minutes=30)
        assert desk.calls.take_back_left_open() == (None, [])

"""A meeting moved or cancelled after its hand-off reached HubSpot updates the same lead
object and the same note (no second note, no second lead), also through a server error and
a timeout after HubSpot committed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from fake_hubspot import FakeHubSpot
from sync_scenarios import hand_off
from test_sync_hubspot_faults import connector, one_of_each

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.store import Store, open_store
from leaddesk.sync.sending import send_waiting


@pytest.fixture
def store(hubspot_team: str) -> Iterator[Store]:
    opened = open_store(hubspot_team)
    yield opened
    opened.close()


@pytest.fixture(autouse=True)
def _invitations_in_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # The invitations the desk writes (no file named) land in the test's folder.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def booked(team: str, clock: FixedClock) -> tuple[int, list[datetime]]:
    lead_id = hand_off(team, clock)
    with open_desk(team, "rep1", clock=clock) as desk:
        slots = [slot.starts_at for slot in desk.meetings.slots(lead_id, with_="sales1").slots]
        desk.meetings.book(lead_id, slots[0], with_="sales1")
    return lead_id, slots


def note_of(hubspot: FakeHubSpot, lead_id: int) -> str:
    [note] = hubspot.notes_for(lead_id)
    return str(hubspot.notes[note]["hs_note_body"])


def test_a_moved_meeting_updates_the_same_lead_and_note(
    hubspot_team: str, clock: FixedClock, hubspot: FakeHubSpot
) -> None:
    lead_id, slots = booked(hubspot_team, clock)
    with open_desk(hubspot_team, "rep1", clock=clock) as desk:
        first = desk.sync.run()
        clock.advance(minutes=10)
        moved = desk.meetings.move(lead_id, slots[3]).meeting
        assert desk.sync.status().waiting == 1
        again = desk.sync.run()
    assert [s.crm_id for s in again.sent] == [s.crm_id for s in first.sent]
    assert f"Meeting booked on the call: {moved.when} with sales1, moved from" in note_of(
        hubspot, lead_id
    )
    creates = [s for s in hubspot.seen if s.path.endswith("/notes/batch/create")]
    assert len(creates) == 1  # the first send made it; the move updated it
    one_of_each(hubspot, [lead_id])


def test_a_cancelled_meeting_says_so_in_the_note(
    hubspot_team: str, clock: FixedClock, hubspot: FakeHubSpot
) -> None:
    lead_id, _slots = booked(hubspot_team, clock)
    with open_desk(hubspot_team, "rep1", clock=clock) as desk:
        desk.sync.run()
        clock.advance(minutes=10)
        gone = desk.meetings.cancel(lead_id).meeting
        desk.sync.run()
    body = note_of(hubspot, lead_id)
    assert f"Meeting cancelled: it was {gone.when}" in body
    assert "Meeting booked on the call" not in body
    one_of_each(hubspot, [lead_id])


@pytest.mark.parametrize("fault", ["500", "slow"])
# The CRM's faults, not the store's: once, on SQLite (the same sends without a fault run on both).
@pytest.mark.parametrize("store_location", ["sqlite"], indirect=True)
def test_a_move_through_a_fault_leaves_one_lead_and_one_note(
    hubspot_team: str,
    store: Store,
    clock: FixedClock,
    hubspot: FakeHubSpot,
    certificate: tuple[Path, Path],
    fault: str,
) -> None:
    lead_id, slots = booked(hubspot_team, clock)
    send_waiting(store, connector(hubspot, certificate, []), clock=clock, actor_id=None)
    clock.advance(minutes=10)
    with open_desk(hubspot_team, "rep1", clock=clock) as desk:
        moved = desk.meetings.move(lead_id, slots[2]).meeting
    # "slow": the note's update lands in HubSpot, its answer comes after LeadDesk stopped
    # waiting, and the whole chunk goes again.
    hubspot.fail_next(fault, "notes/batch/update", delay=2.0 if fault == "slow" else 0.0)
    waits: list[float] = []
    run = send_waiting(
        store, connector(hubspot, certificate, waits, timeout=1.0), clock=clock, actor_id=None
    )
    assert waits and [s.lead_id for s in run.sent] == [lead_id]
    assert f"Meeting booked on the call: {moved.when}" in note_of(hubspot, lead_id)
    one_of_each(hubspot, [lead_id])

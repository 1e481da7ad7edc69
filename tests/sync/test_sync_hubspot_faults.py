"""What goes wrong between LeadDesk and HubSpot, and that each case still ends with exactly
one contact and one lead object per hand-off and nothing lost: 429 (after its Retry-After),
500, a timeout after HubSpot committed, a refused private-app token, one bad record in a
batch (HubSpot's 207 multi-status), more hand-offs than one batch call takes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from fake_hubspot import TOKEN, FakeHubSpot
from sync_scenarios import hand_off

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.store import Store, open_store
from leaddesk.store.models import Person
from leaddesk.sync import outbox
from leaddesk.sync.connector import Outgoing
from leaddesk.sync.hubspot import HubSpotConnector
from leaddesk.sync.outgoing import outgoing
from leaddesk.sync.sending import send_waiting
from leaddesk.sync.team_settings import default_settings


@pytest.fixture
def store_location(sqlite_store_path: Path) -> str:
    """The CRM's faults are the connector's to survive: one kind of store is enough here (the
    outbox on PostgreSQL, killed or raced, is test_sync_killed's and test_sync_outbox's)."""
    return str(sqlite_store_path)


@pytest.fixture
def store(hubspot_team: str) -> Iterator[Store]:
    opened = open_store(hubspot_team)
    yield opened
    opened.close()


def connector(
    hubspot: FakeHubSpot,
    certificate: tuple[Path, Path],
    waits: list[float],
    *,
    timeout: float = 5.0,
    token: str = TOKEN,
) -> HubSpotConnector:
    settings = replace(
        default_settings("hubspot"), api_url=hubspot.base, ca_bundle=str(certificate[0])
    )
    return HubSpotConnector(settings, token, sleep=waits.append, timeout=timeout)


def one_of_each(hubspot: FakeHubSpot, lead_ids: list[int]) -> None:
    """Exactly one lead object and one note per hand-off, one contact per person."""
    assert all(len(hubspot.leads_for(lead_id)) == 1 for lead_id in lead_ids)
    assert all(len(hubspot.notes_for(lead_id)) == 1 for lead_id in lead_ids)
    assert len(hubspot.leads) == len(hubspot.notes) == len(lead_ids)
    emails = [c["email"] for c in hubspot.contacts.values()]
    assert len(emails) == len(set(emails)) == len(lead_ids)


def test_a_429_waits_as_long_as_hubspot_asks_then_sends(
    hubspot_team: str,
    store: Store,
    clock: FixedClock,
    hubspot: FakeHubSpot,
    certificate: tuple[Path, Path],
) -> None:
    lead_id = hand_off(hubspot_team, clock)
    hubspot.fail_next("429")
    waits: list[float] = []
    run = send_waiting(store, connector(hubspot, certificate, waits), clock=clock, actor_id=None)
    assert waits == [2.0], run  # the Retry-After of errors.json
    assert [s.lead_id for s in run.sent] == [lead_id]
    one_of_each(hubspot, [lead_id])


def test_server_errors_are_retried_with_back_off(
    hubspot_team: str,
    store: Store,
    clock: FixedClock,
    hubspot: FakeHubSpot,
    certificate: tuple[Path, Path],
) -> None:
    lead_id = hand_off(hubspot_team, clock)
    hubspot.fail_next("500", "leads/batch/create")
    hubspot.fail_next("500", "notes/batch/create")
    waits: list[float] = []
    run = send_waiting(store, connector(hubspot, certificate, waits), clock=clock, actor_id=None)
    assert waits == [1.0, 2.0]
    assert run.sent and run.unreachable is None
    one_of_each(hubspot, [lead_id])


@pytest.mark.parametrize(
    "step", ["contacts/batch/upsert", "leads/batch/create", "notes/batch/create"]
)
def test_a_timeout_after_hubspot_committed_still_leaves_one_of_each(
    hubspot_team: str,
    store: Store,
    clock: FixedClock,
    hubspot: FakeHubSpot,
    certificate: tuple[Path, Path],
    step: str,
) -> None:
    lead_id = hand_off(hubspot_team, clock)
    hubspot.fail_next("slow", step, delay=2.0)  # HubSpot keeps it; its answer comes too late
    waits: list[float] = []
    sending = connector(hubspot, certificate, waits, timeout=1.0)
    run = send_waiting(store, sending, clock=clock, actor_id=None)
    assert [s.lead_id for s in run.sent] == [lead_id] and waits == [1.0]
    assert len([s for s in hubspot.seen if step in s.path]) in (1, 2)
    one_of_each(hubspot, [lead_id])


def test_a_refused_token_stops_the_run_saying_what_to_do_and_nothing_is_lost(
    hubspot_team: str,
    store: Store,
    clock: FixedClock,
    hubspot: FakeHubSpot,
    certificate: tuple[Path, Path],
) -> None:
    leads = [hand_off(hubspot_team, clock, email=f"p{n}@acme.example") for n in range(2)]
    waits: list[float] = []
    run = send_waiting(
        store, connector(hubspot, certificate, waits, token="pat-revoked"), clock=clock,
        actor_id=None,
    )  # fmt: skip
    assert not run.sent and run.waiting == 2 and not waits  # no retry: it never refreshes
    assert "refused the private app's token" in (run.unreachable or "")
    assert "leaddesk sync setup hubspot" in (run.unreachable or "")
    with open_desk(hubspot_team, "rep1", clock=clock) as desk:
        assert desk.sync.status().line == "2 hand-offs waiting to sync"
    back = send_waiting(store, connector(hubspot, certificate, []), clock=clock, actor_id=None)
    assert sorted(s.lead_id for s in back.sent) == leads
    one_of_each(hubspot, leads)


def test_one_bad_record_is_held_with_hubspots_words_and_the_others_land(
    hubspot_team: str,
    store: Store,
    clock: FixedClock,
    hubspot: FakeHubSpot,
    certificate: tuple[Path, Path],
) -> None:
    good = hand_off(hubspot_team, clock)
    bad = hand_off(hubspot_team, clock, first="Ada", email="ada@@acme")
    other = hand_off(hubspot_team, clock, first="Grace", email="grace@acme.example")
    sending = connector(hubspot, certificate, [])
    run = send_waiting(store, sending, clock=clock, actor_id=None)
    assert sorted(s.lead_id for s in run.sent) == [good, other]
    [held] = run.held
    assert held.lead_id == bad and "ada@@acme is not a valid email address" in (held.error or "")
    assert len([s for s in hubspot.seen if "contacts/batch/upsert" in s.path]) == 1  # a 207
    with open_desk(hubspot_team, "rep1", clock=clock) as desk:
        assert desk.sync.status().line == "1 held by HubSpot"
    with store.transaction() as session:  # the rep corrects the address; it goes again
        person = session.query(Person).filter_by(email="ada@@acme").one()
        person.email = "ada@acme.example"
        outbox.send_held_again(session)
    again = send_waiting(store, sending, clock=clock, actor_id=None)
    assert [s.lead_id for s in again.sent] == [bad]
    one_of_each(hubspot, [good, bad, other])


def test_more_hand_offs_than_one_batch_call_takes_go_in_calls_of_100(
    hubspot_team: str,
    store: Store,
    clock: FixedClock,
    hubspot: FakeHubSpot,
    certificate: tuple[Path, Path],
) -> None:
    lead_id = hand_off(hubspot_team, clock)
    with store.reading() as session:
        [one] = outgoing(session, [lead_id], clock(), connector="hubspot")
    batch = [  # 101 hand-offs, each its own person (built here: the point is the batching)
        Outgoing(n, replace(one.record, lead_id=n, email=f"buyer{n}@acme.example"))
        for n in range(1, 102)
    ]
    sent = connector(hubspot, certificate, []).send(batch)
    assert [s.lead_id for s in sent if s.ok] == list(range(1, 102))
    upserts = [s for s in hubspot.seen if "contacts/batch/upsert" in s.path]
    assert len(upserts) == 2  # 100 and 1; the fake refuses more than 100 inputs
    one_of_each(hubspot, list(range(1, 102)))


def test_offline_or_untrusted_the_hand_offs_wait_with_words_saying_why(
    hubspot_team: str,
    store: Store,
    clock: FixedClock,
    hubspot: FakeHubSpot,
    certificate: tuple[Path, Path],
) -> None:
    lead_id = hand_off(hubspot_team, clock)
    offline = replace(default_settings("hubspot"), api_url="https://127.0.0.1:9")
    run = send_waiting(
        store, HubSpotConnector(offline, TOKEN, sleep=[].append), clock=clock, actor_id=None
    )
    assert run.unreachable == "HubSpot cannot be reached (offline?)." and run.waiting == 1
    untrusted = replace(default_settings("hubspot"), api_url=hubspot.base)  # no ca_bundle
    run = send_waiting(
        store, HubSpotConnector(untrusted, TOKEN, sleep=[].append), clock=clock, actor_id=None
    )
    assert "--ca-bundle FILE" in (run.unreachable or "") and run.waiting == 1
    back = send_waiting(store, connector(hubspot, certificate, []), clock=clock, actor_id=None)
    assert [s.lead_id for s in back.sent] == [lead_id]
    one_of_each(hubspot, [lead_id])


def test_hubspot_failing_on_its_side_is_not_said_to_be_busy(
    hubspot_team: str,
    store: Store,
    clock: FixedClock,
    hubspot: FakeHubSpot,
    certificate: tuple[Path, Path],
) -> None:
    hand_off(hubspot_team, clock)
    for _ in range(5):
        hubspot.fail_next("500", "contacts/batch/upsert")
    waits: list[float] = []
    run = send_waiting(store, connector(hubspot, certificate, waits), clock=clock, actor_id=None)
    assert not run.sent and run.waiting == 1
    assert run.unreachable is not None
    assert run.unreachable.startswith("HubSpot failed on its side (500): ")

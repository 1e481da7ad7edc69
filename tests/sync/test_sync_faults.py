"""What goes wrong between LeadDesk and Salesforce, and that each case still ends with exactly
one Lead and one call Task per hand-off and nothing lost: 429 (after its Retry-After), 500, a
timeout after Salesforce committed, an expired token, one bad record in a batch, no network."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_salesforce import CLIENT_ID, CLIENT_SECRET, EXTERNAL_ID, FakeSalesforce
from sync_scenarios import hand_off

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.store import Store, open_store
from leaddesk.store.models import Person
from leaddesk.sync import outbox
from leaddesk.sync.salesforce import SalesforceConnector
from leaddesk.sync.salesforce_login import TimedSession
from leaddesk.sync.sending import send_waiting
from leaddesk.sync.team_settings import SyncSettings


@pytest.fixture
def store_location(sqlite_store_path: Path) -> str:
    """The CRM's faults are the connector's to survive: one kind of store is enough here (the
    outbox on PostgreSQL, killed or raced, is test_sync_killed's and test_sync_outbox's)."""
    return str(sqlite_store_path)


@pytest.fixture
def store(synced_team: str) -> Iterator[Store]:
    opened = open_store(synced_team)
    yield opened
    opened.close()


def connector(
    salesforce: FakeSalesforce,
    certificate: tuple[Path, Path],
    waits: list[float],
    *,
    timeout: float = 5.0,
    login_url: str | None = None,
) -> SalesforceConnector:
    cert = str(certificate[0])
    settings = SyncSettings(
        "salesforce", login_url=login_url or salesforce.base, client_id=CLIENT_ID, ca_bundle=cert
    )
    return SalesforceConnector(
        settings,
        CLIENT_SECRET,
        http=TimedSession(timeout, ca_bundle=cert),
        sleep=waits.append,  # the back-off is recorded, not slept
    )


def one_lead_each(salesforce: FakeSalesforce, lead_ids: list[int]) -> None:
    """Exactly one Lead per hand-off, and on each exactly one call Task."""
    assert all(len(salesforce.leads_for(lead_id)) == 1 for lead_id in lead_ids)
    assert len(salesforce.leads) == len(lead_ids)
    assert sorted(len(salesforce.tasks_for(sf_id)) for sf_id in salesforce.leads) == [1] * len(
        lead_ids
    )
    assert len(salesforce.tasks) == len(lead_ids)


def test_a_429_waits_as_long_as_salesforce_asks_then_sends(
    team: str,
    store: Store,
    clock: FixedClock,
    salesforce: FakeSalesforce,
    certificate: tuple[Path, Path],
) -> None:
    lead_id = hand_off(team, clock)
    salesforce.fail_next("429")
    waits: list[float] = []
    run = send_waiting(store, connector(salesforce, certificate, waits), clock=clock, actor_id=None)
    assert waits == [2.0]  # the Retry-After of errors.json
    assert [s.lead_id for s in run.sent] == [lead_id]
    one_lead_each(salesforce, [lead_id])


def test_a_server_error_is_retried_with_back_off(
    team: str,
    store: Store,
    clock: FixedClock,
    salesforce: FakeSalesforce,
    certificate: tuple[Path, Path],
) -> None:
    lead_id = hand_off(team, clock)
    salesforce.fail_next("500")
    salesforce.fail_next("500")
    waits: list[float] = []
    run = send_waiting(store, connector(salesforce, certificate, waits), clock=clock, actor_id=None)
    assert waits == [1.0, 2.0]
    assert run.sent and run.unreachable is None
    one_lead_each(salesforce, [lead_id])


def test_a_timeout_after_salesforce_committed_still_leaves_one_lead(
    team: str,
    store: Store,
    clock: FixedClock,
    salesforce: FakeSalesforce,
    certificate: tuple[Path, Path],
) -> None:
    lead_id = hand_off(team, clock)
    salesforce.fail_next("slow", delay=2.0)  # the upsert lands, its answer comes too late
    waits: list[float] = []
    sending = connector(salesforce, certificate, waits, timeout=1.0)
    run = send_waiting(store, sending, clock=clock, actor_id=None)
    upserts = [s for s in salesforce.seen if "composite/sobjects/Lead" in s.path]
    assert len(upserts) == 2 and waits == [1.0]
    assert [s.lead_id for s in run.sent] == [lead_id]
    one_lead_each(salesforce, [lead_id])


def test_an_expired_token_means_one_fresh_sign_in(
    team: str,
    store: Store,
    clock: FixedClock,
    salesforce: FakeSalesforce,
    certificate: tuple[Path, Path],
) -> None:
    first = hand_off(team, clock)
    sending = connector(salesforce, certificate, [])
    send_waiting(store, sending, clock=clock, actor_id=None)
    second = hand_off(team, clock, first="Grace", email="grace@acme.example")
    salesforce.fail_next("expire")  # the session ends under the next upsert: 401
    run = send_waiting(store, sending, clock=clock, actor_id=None)
    assert [s.lead_id for s in run.sent] == [second]
    assert len(salesforce.issued) == 2
    refused = [s for s in salesforce.seen if "composite/sobjects/Lead" in s.path]
    assert len(refused) == 3  # first run, the 401, the same batch again
    one_lead_each(salesforce, [first, second])


def test_one_bad_record_is_held_with_salesforces_words_and_the_others_land(
    team: str,
    store: Store,
    clock: FixedClock,
    salesforce: FakeSalesforce,
    certificate: tuple[Path, Path],
) -> None:
    good = hand_off(team, clock)
    bad = hand_off(team, clock, first="Ada", email="ada@@acme")
    other = hand_off(team, clock, first="Grace", email="grace@acme.example")
    sending = connector(salesforce, certificate, [])
    run = send_waiting(store, sending, clock=clock, actor_id=None)
    assert sorted(s.lead_id for s in run.sent) == [good, other]
    [held] = run.held
    assert held.lead_id == bad and "invalid email address: ada@@acme" in (held.error or "")
    with open_desk(team, "rep1", clock=clock) as desk:
        status = desk.sync.status()
        assert status.line == "1 held by Salesforce"
        assert status.held[0].error == held.error
        timeline = [e.text for e in desk.queue.lead_file(bad).timeline if e.kind == "sync"]
        assert timeline == [f"Not synced to Salesforce: {held.error}"]
    with store.transaction() as session:  # the rep corrects the address; it goes again
        person = session.query(Person).filter_by(email="ada@@acme").one()
        person.email = "ada@acme.example"
        outbox.send_held_again(session)
    again = send_waiting(store, sending, clock=clock, actor_id=None)
    assert [s.lead_id for s in again.sent] == [bad]
    one_lead_each(salesforce, [good, bad, other])


def test_offline_the_hand_offs_wait_and_the_status_bar_says_how_many(
    team: str,
    store: Store,
    clock: FixedClock,
    salesforce: FakeSalesforce,
    certificate: tuple[Path, Path],
) -> None:
    leads = [hand_off(team, clock, email=f"p{n}@acme.example") for n in range(3)]
    offline = connector(salesforce, certificate, [], login_url="https://127.0.0.1:9")
    run = send_waiting(store, offline, clock=clock, actor_id=None)
    assert run.unreachable and not run.sent and run.waiting == 3
    with open_desk(team, "rep1", clock=clock) as desk:
        assert desk.sync.status().line == "3 hand-offs waiting to sync"
    back = send_waiting(store, connector(salesforce, certificate, []), clock=clock, actor_id=None)
    assert sorted(s.lead_id for s in back.sent) == leads
    one_lead_each(salesforce, leads)


def test_a_lead_from_a_salesforce_export_updates_its_own_lead(
    team: str,
    store: Store,
    clock: FixedClock,
    salesforce: FakeSalesforce,
    certificate: tuple[Path, Path],
) -> None:
    known = salesforce.add_lead({"LastName": "Ito", "Company": "Acme", "Status": "Open"})
    lead_id = hand_off(team, clock, extra={"columns": {"Lead ID": known}})
    run = send_waiting(store, connector(salesforce, certificate, []), clock=clock, actor_id=None)
    assert [s.crm_id for s in run.sent] == [known]
    assert list(salesforce.leads) == [known]
    assert salesforce.leads[known][EXTERNAL_ID] == str(lead_id)
    assert salesforce.leads[known]["Status"] == "Open"  # sales' own fields are left alone
    one_lead_each(salesforce, [lead_id])


def test_a_lead_whose_salesforce_lead_was_deleted_there_gets_a_new_one(
    team: str,
    store: Store,
    clock: FixedClock,
    salesforce: FakeSalesforce,
    certificate: tuple[Path, Path],
) -> None:
    lead_id = hand_off(team, clock, extra={"columns": {"Lead ID": "00Q5g00000ZZZZZAAA"}})
    run = send_waiting(store, connector(salesforce, certificate, []), clock=clock, actor_id=None)
    [sent] = run.sent
    assert sent.crm_id != "00Q5g00000ZZZZZAAA"
    one_lead_each(salesforce, [lead_id])


def test_a_crm_failing_on_its_side_is_not_said_to_be_busy_and_a_busy_one_is(
    team: str,
    store: Store,
    clock: FixedClock,
    salesforce: FakeSalesforce,
    certificate: tuple[Path, Path],
) -> None:
    """A 500 each try is Salesforce failing, not Salesforce being busy (a 429): the words the
    rep reads say which, and the hand-off waits for the next run either way."""
    lead_id = hand_off(team, clock)
    for _ in range(5):
        salesforce.fail_next("500")
    waits: list[float] = []
    run = send_waiting(store, connector(salesforce, certificate, waits), clock=clock, actor_id=None)
    assert not run.sent and run.waiting == 1
    assert run.unreachable is not None
    assert run.unreachable.startswith("Salesforce failed on its side (500): ")
    assert "busy" not in run.unreachable
    salesforce.faults.clear()
    for _ in range(5):
        salesforce.fail_next("429")
    run = send_waiting(store, connector(salesforce, certificate, waits), clock=clock, actor_id=None)
    assert run.unreachable is not None
    assert run.unreachable.startswith("Salesforce is busy (429): ")
    salesforce.faults.clear()
    run = send_waiting(store, connector(salesforce, certificate, waits), clock=clock, actor_id=None)
    assert [s.lead_id for s in run.sent] == [lead_id]
    one_lead_each(salesforce, [lead_id])

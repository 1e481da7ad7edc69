"""Hand-offs go a batch at a time: a batch costs one Lead upsert (and one update of the Leads
that came from a Salesforce export), one Task query and one Task create, whatever its size
up to 200; and each fault on the Task step (a timeout after
Salesforce made them, 429, 500, an expired token, one Task refused) still ends with exactly one
Lead and one Task per hand-off."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from fake_salesforce import CLIENT_ID, CLIENT_SECRET, FakeSalesforce
from sync_scenarios import hand_off

from leaddesk.clock import FixedClock
from leaddesk.store import Store, open_store
from leaddesk.store.models import SyncOutboxRow
from leaddesk.sync import outbox
from leaddesk.sync.outgoing import outgoing
from leaddesk.sync.salesforce import SalesforceConnector
from leaddesk.sync.salesforce_login import TimedSession
from leaddesk.sync.sending import send_waiting
from leaddesk.sync.team_settings import SyncSettings


@pytest.fixture
def store(synced_team: str) -> Iterator[Store]:
    opened = open_store(synced_team)
    yield opened
    opened.close()


def connector(
    salesforce: FakeSalesforce,
    certificate: tuple[Path, Path],
    waits: list[float] | None = None,
    *,
    timeout: float = 5.0,
) -> SalesforceConnector:
    cert = str(certificate[0])
    settings = SyncSettings(
        "salesforce", login_url=salesforce.base, client_id=CLIENT_ID, ca_bundle=cert
    )
    recorded = waits if waits is not None else []
    return SalesforceConnector(
        settings,
        CLIENT_SECRET,
        http=TimedSession(timeout, ca_bundle=cert),
        sleep=recorded.append,  # the back-off is recorded, not slept
    )


def requests_to_data(salesforce: FakeSalesforce) -> list[str]:
    """Each request past the sign-in, as "METHOD what": upsert, query, create."""
    names = []
    for seen in salesforce.seen:
        if "oauth2" in seen.path:
            continue
        what = seen.path.rsplit("/services/data/", 1)[-1].split("/", 1)[-1]
        names.append(f"{seen.method} {what}")
    return names


def one_lead_and_one_task_each(salesforce: FakeSalesforce, lead_ids: list[int]) -> None:
    assert all(len(salesforce.leads_for(lead_id)) == 1 for lead_id in lead_ids)
    assert len(salesforce.leads) == len(lead_ids)
    assert [len(salesforce.tasks_for(sf_id)) for sf_id in salesforce.leads] == [1] * len(lead_ids)
    assert len(salesforce.tasks) == len(lead_ids)


UPSERT = "PATCH composite/sobjects/Lead/LeadDesk_Lead_Id__c"
QUERY = "GET query/"
CREATE = "POST composite/sobjects"


def test_a_batch_of_hand_offs_costs_three_requests_and_a_repeat_send_makes_no_task(
    team: str,
    store: Store,
    clock: FixedClock,
    salesforce: FakeSalesforce,
    certificate: tuple[Path, Path],
) -> None:
    leads = [hand_off(team, clock, email=f"buyer{n}@acme.example") for n in range(3)]
    sending = connector(salesforce, certificate)
    run = send_waiting(store, sending, clock=clock, actor_id=None)
    assert sorted(s.lead_id for s in run.sent) == leads
    assert requests_to_data(salesforce) == [UPSERT, QUERY, CREATE]
    one_lead_and_one_task_each(salesforce, leads)
    [task] = salesforce.tasks_for(run.sent[0].crm_id or "")
    assert task["Subject"].startswith(f"LeadDesk qualification call (lead {leads[0]}, handed off ")

    salesforce.seen.clear()
    with store.transaction() as session:  # as if the run had died before recording
        session.query(SyncOutboxRow).update({"status": "waiting"})
    again = send_waiting(store, sending, clock=clock, actor_id=None)
    assert sorted(s.lead_id for s in again.sent) == leads
    assert requests_to_data(salesforce) == [UPSERT, QUERY]  # every Task found: none made
    one_lead_and_one_task_each(salesforce, leads)


def test_a_timeout_after_salesforce_made_the_tasks_finds_them_instead_of_making_them_twice(
    team: str,
    store: Store,
    clock: FixedClock,
    salesforce: FakeSalesforce,
    certificate: tuple[Path, Path],
) -> None:
    leads = [hand_off(team, clock, email=f"buyer{n}@acme.example") for n in range(2)]
    salesforce.fail_next("slow", "composite/sobjects", delay=2.0, method="POST")
    waits: list[float] = []
    run = send_waiting(
        store, connector(salesforce, certificate, waits, timeout=1.0), clock=clock, actor_id=None
    )
    assert sorted(s.lead_id for s in run.sent) == leads and waits == [1.0]
    assert requests_to_data(salesforce) == [UPSERT, QUERY, CREATE, QUERY]
    one_lead_and_one_task_each(salesforce, leads)


@pytest.mark.parametrize("fault", ["429", "500", "expire"])
# The CRM's faults, not the store's: once, on SQLite (the same sends without a fault run on both).
@pytest.mark.parametrize("store_location", ["sqlite"], indirect=True)
def test_a_refusal_to_wait_or_sign_in_again_on_the_tasks_still_makes_one_task_each(
    fault: str,
    team: str,
    store: Store,
    clock: FixedClock,
    salesforce: FakeSalesforce,
    certificate: tuple[Path, Path],
) -> None:
    leads = [hand_off(team, clock, email=f"buyer{n}@acme.example") for n in range(2)]
    salesforce.fail_next(fault, "composite/sobjects", method="POST")
    run = send_waiting(store, connector(salesforce, certificate), clock=clock, actor_id=None)
    assert sorted(s.lead_id for s in run.sent) == leads and not run.held
    assert requests_to_data(salesforce) == [UPSERT, QUERY, CREATE, QUERY, CREATE]
    one_lead_and_one_task_each(salesforce, leads)


def test_one_refused_task_holds_its_hand_off_with_salesforces_words_and_the_others_land(
    team: str,
    store: Store,
    clock: FixedClock,
    salesforce: FakeSalesforce,
    certificate: tuple[Path, Path],
) -> None:
    good = hand_off(team, clock)
    bad = hand_off(team, clock, first="Ada", email="ada@acme.example")
    other = hand_off(team, clock, first="Grace", email="grace@acme.example")
    marker = f"(lead {bad}, "
    salesforce.refuse_tasks(
        lambda task: "Log the call's result" if marker in task["Subject"] else None
    )
    sending = connector(salesforce, certificate)
    run = send_waiting(store, sending, clock=clock, actor_id=None)
    assert sorted(s.lead_id for s in run.sent) == [good, other]
    [held] = run.held
    [lead] = [sf for sf, fields in salesforce.leads.items() if fields["FirstName"] == "Ada"]
    assert held.lead_id == bad
    assert held.error == (
        f"Lead {lead} is in Salesforce, but its call Task was refused: "
        "Log the call's result [FIELD_CUSTOM_VALIDATION_EXCEPTION]"
    )
    assert salesforce.tasks_for(lead) == []

    salesforce.refuse_tasks(lambda _task: None)  # the org's admin eases the rule
    with store.transaction() as session:
        outbox.send_held_again(session)
    again = send_waiting(store, sending, clock=clock, actor_id=None)
    assert [s.lead_id for s in again.sent] == [bad]
    one_lead_and_one_task_each(salesforce, [good, bad, other])


def test_a_lead_handed_off_again_gets_a_second_task_on_the_same_lead(
    team: str,
    store: Store,
    clock: FixedClock,
    salesforce: FakeSalesforce,
    certificate: tuple[Path, Path],
) -> None:
    lead_id = hand_off(team, clock)
    with store.reading() as session:
        [first] = outgoing(session, [lead_id], clock(), connector="salesforce")
    later = first.record.qualified_at + timedelta(days=3)  # sent back, qualified again
    second = replace(first, record=replace(first.record, qualified_at=later))
    sending = connector(salesforce, certificate)
    [one] = sending.send([first])
    [two] = sending.send([second])
    [again] = sending.send([second])
    assert one.crm_id == two.crm_id == again.crm_id and not two.error
    assert len(salesforce.leads) == 1
    assert len(salesforce.tasks_for(one.crm_id or "")) == 2


def test_leads_from_a_salesforce_export_are_updated_a_batch_at_a_time_and_a_deleted_one_remade(
    team: str,
    store: Store,
    clock: FixedClock,
    salesforce: FakeSalesforce,
    certificate: tuple[Path, Path],
) -> None:
    known = [
        salesforce.add_lead({"LastName": "Ito", "Company": "Acme", "Status": "Open"})
        for _ in range(2)
    ]
    exported = [
        hand_off(team, clock, email=f"buyer{n}@acme.example", extra={"columns": {"Lead ID": sf}})
        for n, sf in enumerate([*known, "00Q5g00000ZZZZZAAA"])  # the last deleted since
    ]
    run = send_waiting(store, connector(salesforce, certificate), clock=clock, actor_id=None)
    by_lead = {s.lead_id: s.crm_id for s in run.sent}
    assert [by_lead[lead_id] for lead_id in exported[:2]] == known
    assert by_lead[exported[2]] not in (None, "00Q5g00000ZZZZZAAA")
    assert requests_to_data(salesforce) == ["PATCH composite/sobjects", UPSERT, QUERY, CREATE]
    assert all(salesforce.leads[sf]["Status"] == "Open" for sf in known)  # sales' own field
    one_lead_and_one_task_each(salesforce, exported)

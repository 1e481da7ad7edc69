"""A rep's hand-off reaches HubSpot as one contact with one lead object and one note carrying
everything the qualifier learnt; sending again updates them; a contact from a HubSpot export
is the one updated; a portal without the leads object gets a note and a call task."""

from __future__ import annotations

from fake_hubspot import LEAD_ID, FakeHubSpot
from sync_scenarios import hand_off

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.store.models import SyncOutboxRow


def test_a_hand_off_becomes_one_contact_with_one_lead_and_the_qualification_note(
    hubspot_team: str, clock: FixedClock, hubspot: FakeHubSpot
) -> None:
    lead_id = hand_off(hubspot_team, clock)
    with open_desk(hubspot_team, "rep1", clock=clock) as desk:
        run = desk.sync.run()
        status = desk.sync.status()
    assert [s.lead_id for s in run.sent] == [lead_id] and not run.held, run
    assert status.line == "All hand-offs synced to HubSpot"
    [contact] = hubspot.contacts.values()
    assert (contact["email"], contact["firstname"], contact["lastname"]) == (
        "dana.ito@acme.example",
        "Dana",
        "Ito",
    )
    [hubspot_lead] = hubspot.leads_for(lead_id)
    assert run.sent[0].crm_id == hubspot_lead
    assert hubspot.leads[hubspot_lead][LEAD_ID] == str(lead_id)
    assert hubspot.contact_of_lead(hubspot_lead) == list(hubspot.contacts)
    [note] = hubspot.notes_for(lead_id)
    body = hubspot.notes[note]["hs_note_body"]
    assert "Decision maker:" in body and "Next step:" in body and "Budget" in body
    assert hubspot.linked("notes", note, "leads") == [hubspot_lead]
    assert not hubspot.tasks
    with open_desk(hubspot_team, "rep1", clock=clock) as desk:
        [entry] = [e for e in desk.queue.lead_file(lead_id).timeline if e.kind == "sync"]
    assert entry.text == f"Synced to HubSpot (record {hubspot_lead})"


def test_sending_again_updates_the_same_contact_lead_and_note(
    hubspot_team: str, clock: FixedClock, hubspot: FakeHubSpot
) -> None:
    lead_id = hand_off(hubspot_team, clock)
    with open_desk(hubspot_team, "rep1", clock=clock) as desk:
        first = desk.sync.run()
        with desk.store.transaction() as session:  # as if the run had died before recording
            session.query(SyncOutboxRow).one().status = "waiting"
        again = desk.sync.run()
    assert first.sent[0].crm_id == again.sent[0].crm_id
    assert len(hubspot.contacts) == 1 and len(hubspot.leads_for(lead_id)) == 1
    assert len(hubspot.notes_for(lead_id)) == 1


def test_a_lead_from_a_hubspot_export_updates_its_own_contact(
    hubspot_team: str, clock: FixedClock, hubspot: FakeHubSpot
) -> None:
    known = hubspot.add_contact({"email": "dana@old-address.example", "lifecyclestage": "lead"})
    lead_id = hand_off(hubspot_team, clock, extra={"columns": {"Record ID": known}})
    with open_desk(hubspot_team, "rep1", clock=clock) as desk:
        run = desk.sync.run()
    assert run.sent and not run.held, run
    assert list(hubspot.contacts) == [known]
    assert hubspot.contacts[known]["lifecyclestage"] == "lead"  # sales' own values stay
    [hubspot_lead] = hubspot.leads_for(lead_id)
    assert hubspot.contact_of_lead(hubspot_lead) == [known]


def test_a_portal_without_the_leads_object_gets_a_note_and_a_call_task(
    hubspot_team: str, clock: FixedClock, hubspot: FakeHubSpot
) -> None:
    hubspot.has_leads_object = False
    with open_desk(hubspot_team, "admin1", clock=clock) as admin:
        admin.sync.setup("hubspot", leads_object=False)
        assert admin.sync.check().ok
    lead_id = hand_off(hubspot_team, clock)
    with open_desk(hubspot_team, "rep1", clock=clock) as desk:
        desk.sync.run()
        with desk.store.transaction() as session:
            session.query(SyncOutboxRow).one().status = "waiting"
        run = desk.sync.run()
    [contact] = hubspot.contacts
    assert run.sent[0].crm_id == contact
    assert len(hubspot.notes_for(lead_id)) == 1 and len(hubspot.tasks_for(lead_id)) == 1
    [task] = hubspot.tasks.values()
    assert task["hs_task_status"] == "COMPLETED"


def test_sync_test_says_which_lead_property_to_create(
    hubspot_team: str, clock: FixedClock, hubspot: FakeHubSpot
) -> None:
    with open_desk(hubspot_team, "admin1", clock=clock) as admin:
        assert admin.sync.check().ok
        hubspot.lead_id_property = None
        admin.sync.setup("hubspot", mapping={"nickname": "title"})
        check = admin.sync.check()
    assert not check.ok
    assert any("create the lead property leaddesk_lead_id" in p for p in check.problems)
    assert any(
        "contacts have no property nickname (mapped from title)" in p for p in check.problems
    )

"""A rep's hand-off reaches Salesforce as one Lead, with everything the qualifier learnt and a
Task for the call; sending again updates that Lead; no hand-off is ever sent twice over."""

from __future__ import annotations

from fake_salesforce import EXTERNAL_ID, FakeSalesforce
from sync_scenarios import hand_off

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.store.models import SyncOutboxRow


def test_a_hand_off_becomes_one_lead_with_the_qualification_and_a_task(
    synced_team: str, clock: FixedClock, salesforce: FakeSalesforce
) -> None:
    lead_id = hand_off(synced_team, clock)
    with open_desk(synced_team, "rep1", clock=clock) as desk:
        assert desk.sync.status().waiting == 1
        run = desk.sync.run()
        status = desk.sync.status()
    assert [s.lead_id for s in run.sent] == [lead_id] and not run.held, run
    assert (status.waiting, status.sent, status.line) == (
        0,
        1,
        "All hand-offs synced to Salesforce",
    )
    [lead] = salesforce.leads_for(lead_id)
    assert (lead["FirstName"], lead["LastName"], lead["Company"]) == (
        "Dana",
        "Ito",
        "Acme Logistics",
    )
    assert lead[EXTERNAL_ID] == str(lead_id)
    assert "Decision maker:" in lead["Description"] and "Next step:" in lead["Description"]
    assert "Budget" in lead["Description"]
    [task] = salesforce.tasks_for(run.sent[0].crm_id or "")
    assert task["Status"] == "Completed"
    with open_desk(synced_team, "rep1", clock=clock) as desk:
        [entry] = [e for e in desk.queue.lead_file(lead_id).timeline if e.kind == "sync"]
    assert entry.text == f"Synced to Salesforce (Lead {run.sent[0].crm_id})"
    assert entry.at == clock()


def test_sending_again_updates_the_same_lead(
    synced_team: str, clock: FixedClock, salesforce: FakeSalesforce
) -> None:
    lead_id = hand_off(synced_team, clock)
    with open_desk(synced_team, "rep1", clock=clock) as desk:
        first = desk.sync.run()
        with desk.store.transaction() as session:  # as if the run had died before recording
            row = session.query(SyncOutboxRow).one()
            row.status = "waiting"
        again = desk.sync.run()
    assert first.sent[0].crm_id == again.sent[0].crm_id
    assert len(salesforce.leads_for(lead_id)) == 1
    assert len(salesforce.tasks_for(first.sent[0].crm_id or "")) == 1

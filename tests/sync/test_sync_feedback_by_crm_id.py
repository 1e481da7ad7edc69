"""A feedback file as sales download it from their CRM, with the CRM's own record id but no
"LeadDesk Lead ID" column, is matched to the lead that carries that id: the one the sync sent
(its Salesforce id, which reports shorten to 15 characters) or the one imported with it."""

from __future__ import annotations

from pathlib import Path

from fake_salesforce import FakeSalesforce
from sync_scenarios import hand_off

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk

REPORT_HEADER = (
    '"Lead ID","First Name","Last Name","Lead Status","Converted","Converted Date",'
    '"Converted Opportunity ID","Opportunity Owner","Unqualified Reason"\n'
)


def test_a_salesforce_report_without_leaddesk_ids_is_matched_by_the_lead_id_the_sync_got(
    synced_team: str, clock: FixedClock, salesforce: FakeSalesforce, tmp_path: Path
) -> None:
    lead_id = hand_off(synced_team, clock)
    with open_desk(synced_team, "rep1", clock=clock) as desk:
        [sent] = desk.sync.run().sent
    salesforce_id = str(sent.crm_id)
    assert len(salesforce_id) == 18
    report = tmp_path / "converted.csv"
    report.write_text(
        REPORT_HEADER
        + f'"{salesforce_id[:15]}","Dana","Ito","Closed - Converted","1","11/18/2026",'
        '"0065g00000Xy12AAAB","Dana Reyes",""\n'
        '"00Q5g00000ZZZZZEAF","Nobody","Here","Closed - Converted","1","11/18/2026",'
        '"0065g00000Xy13AAAB","Dana Reyes",""\n',
        encoding="utf-8",
    )

    with open_desk(synced_team, "sales1", clock=clock) as desk:
        answered = desk.handoff.import_feedback(report)

    assert answered.accepted == [lead_id]
    [unmatched] = answered.problems
    assert unmatched.row == 3 and "00Q5g00000ZZZZZEAF: no lead here carries this id" in str(
        unmatched
    )
    with open_desk(synced_team, "rep1", clock=clock) as desk:
        card = desk.queue.lead_file(lead_id)
    assert card.sales_answer == "Sales accepted: opportunity 0065g00000Xy12AAAB (owner Dana Reyes)"


def test_a_hubspot_leads_export_is_matched_by_the_record_id_the_lead_came_in_with(
    team: str, clock: FixedClock, tmp_path: Path
) -> None:
    lead_id = hand_off(team, clock, extra={"columns": {"Record ID": "29300112201"}})
    with open_desk(team, "rep1", clock=clock) as desk:
        desk.handoff.export(tmp_path / "out")
    export = tmp_path / "leads.csv"
    export.write_text(
        "Record ID,Lead name,Lead stage,Lead owner,Disqualification reason,Disqualification note\n"
        "29300112201,Dana Ito,Disqualified,Dana Reyes,wrong_person,Dana moved on\n",
        encoding="utf-8",
    )

    with open_desk(team, "sales1", clock=clock) as desk:
        answered = desk.handoff.import_feedback(export)

    assert (answered.rejected, answered.problems) == ([lead_id], [])

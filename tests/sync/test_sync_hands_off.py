"""A hand-off is with sales the moment the sync puts it in sales' CRM: handed off then, in one
batch per send naming the CRM (no folder), so no end-of-day export sends it again, and every
view of hand-offs and sales' answers treats it as any other."""

from __future__ import annotations

from pathlib import Path

from fake_salesforce import FakeSalesforce
from sqlalchemy import select
from sync_scenarios import hand_off

from leaddesk.audit.actions import AuditAction
from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import Stage
from leaddesk.store import open_store
from leaddesk.store.models import AuditEvent, HandoffBatch, Lead, User
from tests.cli_in_process import RunCli


def _batches_and_leads(location: str, ids: list[int]) -> tuple[list[HandoffBatch], list[Lead]]:
    store = open_store(location)
    try:
        with store.reading() as session:
            batches = list(session.scalars(select(HandoffBatch).order_by(HandoffBatch.id)))
            leads = [session.get(Lead, lead_id) for lead_id in ids]
        return batches, [lead for lead in leads if lead is not None]
    finally:
        store.close()


def _handed_off_events(location: str) -> list[AuditEvent]:
    store = open_store(location)
    try:
        with store.reading() as session:
            return list(
                session.scalars(
                    select(AuditEvent)
                    .where(AuditEvent.action == AuditAction.HANDED_OFF_AT_ONCE)
                    .order_by(AuditEvent.id)
                )
            )
    finally:
        store.close()


def test_what_the_crm_got_is_handed_off_in_one_batch_naming_the_crm(
    synced_team: str, clock: FixedClock, salesforce: FakeSalesforce, tmp_path: Path
) -> None:
    ids = [hand_off(synced_team, clock), hand_off(synced_team, clock, email="g@acme.example")]
    with open_desk(synced_team, "rep1", clock=clock) as desk:
        run = desk.sync.run()
        rep_id = desk.actor.id
    records = {str(sent.lead_id): sent.crm_id for sent in run.sent}
    assert sorted(int(lead_id) for lead_id in records) == ids
    [batch], leads = _batches_and_leads(synced_team, ids)
    assert batch.code.startswith("salesforce-20261118-") and batch.code.endswith(f"-{batch.id}")
    assert (batch.folder, batch.lead_count, batch.created_by_id) == (None, 2, rep_id)
    assert batch.files == {
        "status": "complete",
        "kind": "crm",
        "crm": "salesforce",
        "label": "Salesforce",
        "records": records,
    }
    assert [(lead.stage, lead.handoff_batch_id) for lead in leads] == [
        (Stage.HANDED_OFF, batch.id)
    ] * 2
    events = _handed_off_events(synced_team)
    assert [(e.lead_id, e.from_state, e.to_state, e.subject) for e in events] == [
        (lead_id, "qualified", "handed_off", batch.code) for lead_id in ids
    ]
    assert events[0].details is not None and events[0].details["record"] == records[str(ids[0])]
    with open_desk(synced_team, "rep1", clock=clock) as desk:
        again = desk.sync.run()
        mine = desk.handoff.mine()
    assert not again.sent and len(_batches_and_leads(synced_team, ids)[0]) == 1
    assert [(h.lead_id, h.status, h.batch) for h in mine.leads] == [
        (ids[1], "waiting", batch.code),
        (ids[0], "waiting", batch.code),
    ]
    with open_desk(synced_team, "lead1", clock=clock) as desk:
        assert desk.handoff.export(tmp_path / "eod", team=True).nothing_to_hand_off
        pending = desk.handoff.pending(everything=True)
    assert {p.lead_id: p.batch for p in pending.leads} == dict.fromkeys(ids, batch.code)


def test_a_lead_waiting_for_the_crm_is_not_taken_by_an_end_of_day_export(
    synced_team: str, clock: FixedClock, salesforce: FakeSalesforce, tmp_path: Path
) -> None:
    lead_id = hand_off(synced_team, clock)
    with open_desk(synced_team, "lead1", clock=clock) as desk:
        assert desk.handoff.preview(team=True).count == 0
        assert desk.handoff.export(tmp_path / "eod", team=True).nothing_to_hand_off
        desk.sync.run()
    [batch], [lead] = _batches_and_leads(synced_team, [lead_id])
    assert batch.code.startswith("salesforce-") and lead.stage is Stage.HANDED_OFF
    assert len(salesforce.leads_for(lead_id)) == 1


def test_sales_answers_a_sent_hand_off_from_their_crm_report(
    synced_team: str,
    clock: FixedClock,
    salesforce: FakeSalesforce,
    tmp_path: Path,
    run_cli: RunCli,
) -> None:
    lead_id = hand_off(synced_team, clock)
    with open_desk(synced_team, "rep1", clock=clock) as desk:
        desk.sync.run()
    clock.advance(hours=2)
    report = tmp_path / "converted.csv"
    report.write_text(
        "LeadDesk Lead ID,Lead Status,Converted Opportunity ID,Converted Date\n"
        f"{lead_id},Qualified,006SENT000000001,11/18/2026\n",
        encoding="utf-8",
    )
    code, out, err = run_cli("feedback", str(report), "--as", "sales1", db=synced_team)
    assert (code, err) == (0, ""), out
    assert "1 decision recorded (1 accepted, 0 rejected)" in out
    with open_desk(synced_team, "rep1", clock=clock) as desk:
        [mine] = desk.handoff.mine().leads
    assert (mine.status, mine.opportunity_id) == ("accepted", "006SENT000000001")
    assert mine.batch.startswith("salesforce-")


def test_rewrite_and_verify_say_a_batch_sent_to_the_crm_has_no_folder(
    synced_team: str,
    clock: FixedClock,
    salesforce: FakeSalesforce,
    tmp_path: Path,
    run_cli: RunCli,
) -> None:
    hand_off(synced_team, clock)
    with open_desk(synced_team, "rep1", clock=clock) as desk:
        desk.sync.run()
    [batch], _ = _batches_and_leads(synced_team, [])
    code, _out, err = run_cli("handoff", "rewrite", batch.code, "--as", "lead1", db=synced_team)
    assert code == 2
    assert f"Batch {batch.code} has no folder: its leads were sent to Salesforce" in err
    code, _out, err = run_cli("verify-handoff", str(tmp_path / batch.code))
    assert code == 2 and "has no folder: its leads were sent to Salesforce" in err


def test_the_files_connector_still_hands_off_through_its_batch_folder(
    team: str, clock: FixedClock, tmp_path: Path
) -> None:
    with open_desk(team, "admin1", clock=clock) as admin:
        admin.sync.setup("files", folder=str(tmp_path / "handoffs"))
    lead_id = hand_off(team, clock)
    with open_desk(team, "lead1", clock=clock) as desk:
        [sent] = desk.sync.run().sent
    [batch], [lead] = _batches_and_leads(team, [lead_id])
    assert (sent.crm_id, batch.folder is not None) == (batch.code, True)
    assert batch.code.startswith("handoff-") and "kind" not in (batch.files or {})
    assert lead.stage is Stage.HANDED_OFF and not _handed_off_events(team)
    store = open_store(team)
    try:
        with store.reading() as session:
            assert session.scalar(select(User.name).where(User.id == batch.created_by_id)) == (
                "lead1"
            )
    finally:
        store.close()

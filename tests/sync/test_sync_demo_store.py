"""The issue's own check: on a fresh demo store, an admin sets the sync up against (a local)
Salesforce or HubSpot, a rep hands a lead off, and ``sync run`` puts it there once."""

from __future__ import annotations

from pathlib import Path

from fake_hubspot import TOKEN, FakeHubSpot
from fake_salesforce import CLIENT_ID, CLIENT_SECRET, FakeSalesforce
from sync_scenarios import SALES_WORTHY

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import Verdict
from tests.cli_in_process import RunCli


def test_on_a_fresh_demo_store_a_reps_hand_off_lands_as_one_lead(
    run_cli: RunCli,
    tmp_path: Path,
    clock: FixedClock,
    salesforce: FakeSalesforce,
    certificate: tuple[Path, Path],
) -> None:
    store = tmp_path / "demo.sqlite3"
    code, _out, err = run_cli(
        "demo", "--leads", "80", "--reps", "2", "--now", clock().isoformat(), db=store
    )
    assert code == 0, err
    code, out, err = run_cli(
        "sync", "setup", "salesforce", "--as", "admin", "--login-url", salesforce.base,
        "--client-id", CLIENT_ID, "--ca-bundle", str(certificate[0]), db=store,
        input=f"{CLIENT_SECRET}\n",
    )  # fmt: skip
    assert code == 0, err
    assert "LastName" in out  # the mapping, shown before the first send
    with open_desk(store, "rep1", clock=clock) as desk:
        row = desk.queue.next()
        assert row is not None
        desk.qualifying.answer(row.lead_id, SALES_WORTHY)
        desk.qualifying.give_verdict(row.lead_id, Verdict.HAND_OFF, "Ready for a demo with sales")
    code, out, err = run_cli("sync", "run", "--as", "rep1", db=store)
    assert code == 0, err
    assert "Sent 1 hand-off to Salesforce." in out
    assert len(salesforce.leads_for(row.lead_id)) == 1 and len(salesforce.leads) == 1


def test_on_a_fresh_demo_store_a_reps_hand_off_lands_in_hubspot_once(
    run_cli: RunCli,
    tmp_path: Path,
    clock: FixedClock,
    hubspot: FakeHubSpot,
    certificate: tuple[Path, Path],
) -> None:
    store = tmp_path / "demo.sqlite3"
    code, _out, err = run_cli(
        "demo", "--leads", "80", "--reps", "2", "--now", clock().isoformat(), db=store
    )
    assert code == 0, err
    code, out, err = run_cli(
        "sync", "setup", "hubspot", "--as", "admin", "--api-url", hubspot.base,
        "--ca-bundle", str(certificate[0]), db=store, input=f"{TOKEN}\n",
    )  # fmt: skip
    assert code == 0, err
    assert "lastname" in out  # the mapping, shown before the first send
    with open_desk(store, "rep1", clock=clock) as desk:
        row = desk.queue.next()
        assert row is not None
        desk.qualifying.answer(row.lead_id, SALES_WORTHY)
        desk.qualifying.give_verdict(row.lead_id, Verdict.HAND_OFF, "Ready for a demo with sales")
    for _ in range(2):  # a second run finds nothing waiting and sends nothing again
        code, out, err = run_cli("sync", "run", "--as", "rep1", db=store)
        assert code == 0, err
    assert len(hubspot.leads_for(row.lead_id)) == 1 and len(hubspot.contacts) == 1
    assert len(hubspot.notes_for(row.lead_id)) == 1

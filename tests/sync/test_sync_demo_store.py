"""The issue's own check: on a fresh demo store, an admin sets the sync up against (a local)
Salesforce, a rep hands a lead off, and ``sync run`` puts it there as one Lead."""

from __future__ import annotations

from pathlib import Path

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

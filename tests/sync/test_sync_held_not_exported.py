"""A hand-off Salesforce held stays the sync's: the end-of-day export does not take it (sales
would get it twice once it is sent again), and once corrected it reaches Salesforce once."""

from __future__ import annotations

from pathlib import Path

from fake_salesforce import FakeSalesforce
from sync_scenarios import hand_off

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.store import open_store
from leaddesk.store.models import Lead, Person


def test_a_held_hand_off_is_not_exported_by_hand_and_reaches_sales_once(
    synced_team: str, clock: FixedClock, salesforce: FakeSalesforce, tmp_path: Path
) -> None:
    bad = hand_off(synced_team, clock, first="Ada", email="ada@@acme")
    with open_desk(synced_team, "rep1", clock=clock) as desk:
        [held] = desk.sync.run().held
        assert held.lead_id == bad
        assert desk.handoff.export(tmp_path / "end-of-day").nothing_to_hand_off
    store = open_store(synced_team)
    try:
        with store.transaction() as session:  # the rep corrects the address
            lead = session.get(Lead, bad)
            assert lead is not None and lead.handoff_batch_id is None
            session.query(Person).filter_by(email="ada@@acme").one().email = "ada@acme.example"
    finally:
        store.close()
    with open_desk(synced_team, "rep1", clock=clock) as desk:
        assert [s.lead_id for s in desk.sync.run(send_held_again=True).sent] == [bad]
    assert len(salesforce.leads_for(bad)) == 1
    assert not list((tmp_path / "end-of-day").glob("**/*.csv"))

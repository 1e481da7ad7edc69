"""The files connector: today's batch folder behind the same interface, for a team without a
CRM connection; each hand-off lands in exactly one batch, and its timeline names it."""

from __future__ import annotations

from pathlib import Path

from sync_scenarios import hand_off

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk


def test_hand_offs_sync_into_one_batch_folder(team: str, clock: FixedClock, tmp_path: Path) -> None:
    folder = tmp_path / "handoffs"
    with open_desk(team, "admin1", clock=clock) as admin:
        admin.sync.setup("files", folder=str(folder))
        assert admin.sync.check().ok
    leads = [hand_off(team, clock), hand_off(team, clock, email="g@acme.example")]
    with open_desk(team, "lead1", clock=clock) as desk:
        run = desk.sync.run()
        again = desk.sync.run()
        timeline = [e.text for e in desk.queue.lead_file(leads[0]).timeline if e.kind == "sync"]
    codes = {sent.crm_id for sent in run.sent}
    assert sorted(s.lead_id for s in run.sent) == leads and len(codes) == 1
    [code] = codes
    assert (folder / str(code) / f"{code}.csv").is_file()
    assert not again.sent and not again.held  # nothing twice
    assert timeline == [f"Synced to a hand-off batch ({code})"]

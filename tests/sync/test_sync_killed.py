"""The sync killed (SIGKILL) in the middle of a batch, after the CRM took it, and started
again: exactly one record per hand-off, nothing lost (Salesforce: one Lead and one Task;
HubSpot: one contact, one lead object and one note). A real process, as only a real kill
proves that nothing in the process gets to clean up."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fake_hubspot import TOKEN, FakeHubSpot
from fake_salesforce import CLIENT_ID, CLIENT_SECRET, FakeSalesforce
from memory_keyring import SEED, MemoryKeyring
from sqlalchemy import select
from sync_scenarios import hand_off, set_up_team

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.store import open_store
from leaddesk.store.models import SyncOutboxRow

pytestmark = [
    pytest.mark.end2end,
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is a POSIX signal"),
]
ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def sync_run(store: Path, keyring_seed: str) -> subprocess.Popen[str]:
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)]),
        "PYTHON_KEYRING_BACKEND": "memory_keyring.MemoryKeyring",
        SEED: keyring_seed,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "leaddesk", "--db", str(store), "sync", "run", "--as", "rep1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=environment,
    )


def outbox_rows(store_path: Path) -> list[SyncOutboxRow]:
    store = open_store(store_path)
    try:
        with store.reading() as session:
            return list(session.scalars(select(SyncOutboxRow).order_by(SyncOutboxRow.id)))
    finally:
        store.close()


def kill_mid_batch(store_path: Path, memory_keyring: MemoryKeyring, hanging: Any) -> None:
    """A ``sync run`` killed while the CRM holds its batch (taken, not yet answered)."""
    first = sync_run(store_path, memory_keyring.as_seed())
    try:
        assert hanging.wait(60), first.stderr.read() if first.stderr else ""
    finally:
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=30)  # and its pipes closed
    assert first.returncode == -signal.SIGKILL
    assert all(row.status == "waiting" and row.claimed_by for row in outbox_rows(store_path))


def test_a_sync_killed_mid_batch_and_run_again_leaves_one_lead_per_hand_off(
    sqlite_store_path: Path,
    salesforce: FakeSalesforce,
    certificate: tuple[Path, Path],
    memory_keyring: MemoryKeyring,
) -> None:
    clock = FixedClock(datetime.now(UTC))  # the child process runs on the real clock
    location = str(sqlite_store_path)
    set_up_team(location, clock)
    with open_desk(location, "admin1", clock=clock) as admin:
        admin.sync.setup(
            "salesforce",
            login_url=salesforce.base,
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            ca_bundle=str(certificate[0]),
        )
    leads = [hand_off(location, clock, email=f"buyer{n}@acme.example") for n in range(3)]

    salesforce.fail_next("hang")  # Salesforce takes the batch; its answer never comes back
    kill_mid_batch(sqlite_store_path, memory_keyring, salesforce.hanging)
    salesforce.let_go.set()
    assert sorted(int(f["LeadDesk_Lead_Id__c"]) for f in salesforce.leads.values()) == leads

    again = sync_run(sqlite_store_path, memory_keyring.as_seed())
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    assert "Sent 3 hand-offs to Salesforce." in out
    assert all(len(salesforce.leads_for(lead_id)) == 1 for lead_id in leads)
    assert len(salesforce.leads) == 3
    assert sorted(len(salesforce.tasks_for(sf_id)) for sf_id in salesforce.leads) == [1, 1, 1]
    assert [row.status for row in outbox_rows(sqlite_store_path)] == ["sent"] * 3


def test_a_hubspot_sync_killed_mid_batch_and_run_again_leaves_one_of_each_per_hand_off(
    sqlite_store_path: Path,
    hubspot: FakeHubSpot,
    certificate: tuple[Path, Path],
    memory_keyring: MemoryKeyring,
) -> None:
    clock = FixedClock(datetime.now(UTC))
    location = str(sqlite_store_path)
    set_up_team(location, clock)
    with open_desk(location, "admin1", clock=clock) as admin:
        admin.sync.setup(
            "hubspot", api_url=hubspot.base, client_secret=TOKEN, ca_bundle=str(certificate[0])
        )
    leads = [hand_off(location, clock, email=f"buyer{n}@acme.example") for n in range(3)]

    hubspot.fail_next("hang", "leads/batch/create")  # contacts and leads kept, then silence
    kill_mid_batch(sqlite_store_path, memory_keyring, hubspot.hanging)
    hubspot.let_go.set()
    assert sorted(len(hubspot.leads_for(lead_id)) for lead_id in leads) == [1, 1, 1]
    assert not hubspot.notes

    again = sync_run(sqlite_store_path, memory_keyring.as_seed())
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    assert "Sent 3 hand-offs to HubSpot." in out
    assert len(hubspot.contacts) == len(hubspot.leads) == len(hubspot.notes) == 3
    for lead_id in leads:
        assert len(hubspot.leads_for(lead_id)) == 1 and len(hubspot.notes_for(lead_id)) == 1
    assert [row.status for row in outbox_rows(sqlite_store_path)] == ["sent"] * 3

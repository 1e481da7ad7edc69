"""The window sends a rep's hand-off to Salesforce within seconds, says so in the status bar,
says how many wait when Salesforce is out of reach, and gives admins File ▸ Sync settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_salesforce import CLIENT_ID, CLIENT_SECRET, FakeSalesforce
from pytestqt.qtbot import QtBot
from sync_scenarios import SALES_WORTHY, add_lead, hand_off, set_up_team

from leaddesk.clock import FixedClock
from leaddesk.desk import Desk, open_desk
from leaddesk.domain import Verdict
from leaddesk.settings import Settings
from ui.common.operations import Operations
from ui.sales.window import SalesWindow
from ui.sync.settings_dialog import SyncSettingsDialog
from ui.workspace.window import MainWindow


@pytest.fixture
def store(
    sqlite_store_path: Path,
    clock: FixedClock,
    salesforce: FakeSalesforce,
    certificate: tuple[Path, Path],
) -> str:
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
    return location


@pytest.fixture
def window(qtbot: QtBot, store: str, clock: FixedClock, tmp_path: Path) -> Iterator[MainWindow]:
    desk = open_desk(store, "rep1", clock=clock)
    shown = MainWindow(
        desk,
        Operations(inline=True),
        Settings(tmp_path / "settings.json"),
        rep_zone="Europe/London",
        dial=lambda _number: True,
        drafts_dir=tmp_path / "drafts",
    )
    qtbot.addWidget(shown)
    with qtbot.waitExposed(shown):
        shown.show()
    yield shown
    shown.close()
    desk.close()


def give_hand_off(desk: Desk, ops: Operations, lead_id: int) -> None:
    """The verdict as the questionnaire panel gives it: through the window's operations."""

    def verdict() -> None:
        desk.qualifying.answer(lead_id, SALES_WORTHY)
        desk.qualifying.give_verdict(lead_id, Verdict.HAND_OFF)

    ops.run(verdict, changes=("lead", "queue", "status"))


def test_a_hand_off_reaches_salesforce_within_seconds_of_the_verdict(
    qtbot: QtBot,
    window: MainWindow,
    store: str,
    clock: FixedClock,
    salesforce: FakeSalesforce,
    tmp_path: Path,
) -> None:
    lead_id = add_lead(store, clock)
    give_hand_off(window.desk, window.ops, lead_id)
    qtbot.waitUntil(lambda: bool(salesforce.leads_for(lead_id)), timeout=10_000)
    line = window.sync.line
    qtbot.waitUntil(lambda: line.text() == "All hand-offs synced to Salesforce", timeout=10_000)
    assert len(salesforce.leads_for(lead_id)) == 1
    window.statusBar().grab().save(str(tmp_path / "sync-status-synced.png"))


def test_offline_the_status_bar_says_how_many_wait(
    qtbot: QtBot, store: str, clock: FixedClock, salesforce: FakeSalesforce, tmp_path: Path
) -> None:
    for n in range(3):
        hand_off(store, clock, email=f"p{n}@acme.example")
    with open_desk(store, "admin1", clock=clock) as admin:
        admin.sync.setup("salesforce", login_url="https://127.0.0.1:9")  # nothing listens
    desk = open_desk(store, "rep1", clock=clock)
    shown = MainWindow(
        desk, Operations(inline=True), Settings(tmp_path / "s.json"), rep_zone="UTC",
        dial=lambda _n: True, drafts_dir=tmp_path / "drafts",
    )  # fmt: skip
    qtbot.addWidget(shown)
    try:
        line = shown.sync.line
        qtbot.waitUntil(lambda: line.text().startswith("3 hand-offs waiting to sync"))
        qtbot.waitUntil(lambda: shown.sync.worker is not None and not shown.sync.worker.running)
        shown.statusBar().grab().save(str(tmp_path / "sync-status-offline.png"))
    finally:
        shown.close()
        desk.close()


def test_only_an_admin_gets_sync_settings_and_sees_the_mapping(
    qtbot: QtBot, window: MainWindow, store: str, clock: FixedClock, tmp_path: Path
) -> None:
    assert window.sync.settings_action is None  # a rep's window has no such menu entry
    with open_desk(store, "admin1", clock=clock) as admin:
        dialog = SyncSettingsDialog(admin, Operations(inline=True), admin.sync.settings(), None)
        qtbot.addWidget(dialog)
        rows = {
            dialog.mapping.item(r, 0).text(): dialog.mapping.item(r, 1).text()  # type: ignore[union-attr]
            for r in range(dialog.mapping.rowCount())
        }
        assert rows["LastName"] == "last_name" and rows["Description"] == "description"
        dialog.test()
        qtbot.waitUntil(lambda: "field mapping fits" in dialog.check_words.text(), timeout=10_000)
        dialog.resize(560, 600)
        dialog.grab().save(str(tmp_path / "sync-settings.png"))


def test_a_salespersons_window_reads_sales_answers_back_and_a_reps_never_pulls(
    qtbot: QtBot,
    window: MainWindow,
    store: str,
    clock: FixedClock,
    salesforce: FakeSalesforce,
    tmp_path: Path,
) -> None:
    salesforce.now = clock
    lead_id = hand_off(store, clock)
    qtbot.waitUntil(lambda: bool(salesforce.leads_for(lead_id)), timeout=10_000)
    qtbot.waitUntil(lambda: window.sync.worker is not None and not window.sync.worker.running)
    [salesforce_id] = [
        sf for sf, f in salesforce.leads.items() if f in salesforce.leads_for(lead_id)
    ]
    opportunity = salesforce.convert(salesforce_id)
    assert window.sync.worker is not None and not window.sync.worker.pulls
    desk = open_desk(store, "sales1", clock=clock)
    shown = SalesWindow(desk, Operations(inline=True), Settings(tmp_path / "sales.json"))
    qtbot.addWidget(shown)
    try:
        line = shown.sync.line
        qtbot.waitUntil(lambda: line.text() == "Read from Salesforce: 1 accepted, 0 rejected")
        answer = desk.queue.lead_file(lead_id).sales_answer
        assert answer is not None and opportunity in answer
    finally:
        shown.close()
        desk.close()

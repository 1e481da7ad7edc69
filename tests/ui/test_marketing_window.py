"""Marketing's window: the dashboards alone, opened on acceptance by campaign, with no call
queue, team tab, moves or import built; and the cut picker re-reads the figures."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QTabWidget
from pytestqt.qtbot import QtBot

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import Role
from leaddesk.settings import Settings
from ui.common.operations import Operations
from ui.console.console import TeamConsole
from ui.intake.wizard import ImportWizard
from ui.launch import open_window
from ui.marketing.window import MarketingWindow
from ui.sales.home import SalesHome
from ui.workspace.queue_panel import QueuePanel


def test_marketing_opens_on_acceptance_by_campaign_with_no_queue_or_moves(
    qtbot: QtBot, demo_store: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with open_desk(demo_store, "admin", clock=clock) as desk:
        desk.people.add("mkt1", Role.MARKETING, display_name="Mia Marketing")
    desk = open_desk(demo_store, "mkt1", clock=clock)
    window = open_window(desk, Operations(inline=True), Settings(tmp_path / "s.json"), "UTC")
    qtbot.addWidget(window)
    try:
        assert isinstance(window, MarketingWindow)
        window.resize(1366, 768)
        window.show()
        qtbot.waitUntil(window.is_ready)
        panel = window.dashboards
        page = panel.page["acceptance"]
        assert panel.pages.currentWidget() is page
        assert page.report is not None and page.report.headers[0] == "campaign"
        assert "no campaign" in [row[0] for row in page.report.rows()]
        for absent in (QueuePanel, TeamConsole, ImportWizard, SalesHome, QTabWidget):
            assert window.findChildren(absent) == [], absent.__name__
        panel.cut.choose("source")
        panel.refresh()
        qtbot.waitUntil(window.is_ready)
        by_source = panel.page["acceptance"].report
        assert by_source is not None and by_source.headers[0] == "source"
        assert panel.page["sources"].report.headers[0] == "source"  # type: ignore[union-attr]
        if os.environ.get("LEADDESK_SAVE_SCREENS"):
            panel.cut.choose("campaign")
            panel.refresh()
            qtbot.waitUntil(window.is_ready)
            qtbot.wait(300)  # the chart view paints after the figures arrive
            window.grab().save("/tmp/market-marketing.png")
    finally:
        window.close()
        desk.close()

"""The team lead's window carries out the sales follow-up policy as it does the untouched-lead
policy: a routed hand-off sales left unanswered past 24 h is flagged, and the status bar says so,
without anyone running `leaddesk handoff chase`."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from test_sales_routing import BERLIN_NINE, _hand_off, _routing, _team, add_lead

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from ui.common.operations import Operations
from ui.console.sweep import PolicySweep


def test_the_team_leads_window_flags_a_late_hand_off_and_says_so(
    qtbot: QtBot, sqlite_store_path: Path
) -> None:
    sqlite_location = str(sqlite_store_path)
    clock = FixedClock(BERLIN_NINE)
    _team(sqlite_location, clock, _routing(route_by='"round_robin"'), {"name": "anna"})
    lead_id = add_lead(sqlite_location, clock)
    _hand_off(sqlite_location, clock, lead_id)
    parent = QWidget()
    qtbot.addWidget(parent)
    with open_desk(sqlite_location, "lead1", clock=clock) as desk:
        sweep = PolicySweep(desk, Operations(inline=True), 5, parent)
        sweep.run()  # within the follow-up window: nothing to say about sales
        assert sweep.last_chase is not None and sweep.last_chase.flagged == ()
        assert "Sales follow-up" not in sweep.last_text
        clock.now = BERLIN_NINE + timedelta(hours=24)
        sweep.run()
        assert sweep.last_chase is not None and sweep.last_chase.flagged == (lead_id,)
        assert "Sales follow-up" in sweep.last_text and "1 hand-off flagged late" in sweep.last_text
        assert sweep.last_text.startswith("Untouched-lead check")

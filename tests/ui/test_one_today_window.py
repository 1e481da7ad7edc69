"""The rep's window (on a computer in London) and the team console count the same "today":
the team's day, in the team's zone, named on screen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from tests.ui.conftest import open_workspace
from ui.common.operations import Operations
from ui.console.console import TeamConsole
from ui.console.overview import NOW


def test_the_status_bar_and_the_team_console_agree_on_calls_today(
    qtbot: QtBot, demo_store: Path, clock: FixedClock, tmp_path: Path
) -> None:
    # 15:00 in London, 10:00 in New York: the demo's calls of the early UTC hours were
    # yesterday evening for the team, so a London "today" would count more.
    workspace = open_workspace(qtbot, demo_store, clock, tmp_path)
    status = workspace.window.status
    assert status.summary is not None
    zone = status.summary.timezone
    assert zone != "Europe/London"
    assert status.calls.text().startswith(f"Today ({zone}): {status.summary.calls} calls")

    lead = open_desk(demo_store, "lead1", clock=clock)
    console = TeamConsole(lead, Operations(inline=True))
    qtbot.addWidget(console)
    with qtbot.waitExposed(console):
        console.show()
    qtbot.waitUntil(console.is_ready)
    overview = console.team_tab
    shown = {rep.name: rep.calls_today for rep in overview.model.items}
    with open_desk(demo_store, "rep2", clock=clock) as rep2:
        theirs = rep2.calls.my_day()
    assert shown["rep1"] == status.summary.calls > 0
    assert shown["rep2"] == theirs.calls
    assert overview.model.headerData(NOW, Qt.Orientation.Horizontal) == f"Now ({zone})"
    assert overview.as_of.text().endswith(f"{zone}; today from midnight there")
    workspace.window.grab().save(str(tmp_path / "rep_window.png"))
    console.grab().save(str(tmp_path / "team_console.png"))
    console.close()
    lead.close()
    workspace.window.close()
    workspace.desk.close()

"""A new team's first day, before any lead is imported: every list says what comes next
instead of showing a blank pane."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from tests.ui.conftest import open_sales, open_workspace
from ui.common.operations import Operations
from ui.console.console import TeamConsole


def test_recent_imports_with_no_runs_says_how_to_import(
    qtbot: QtBot, empty_store: Path, clock: FixedClock, tmp_path: Path
) -> None:
    ws = open_workspace(qtbot, empty_store, clock, tmp_path, user="anna")
    dialog = ws.window.show_import_runs()
    qtbot.waitUntil(dialog.note.isVisible)
    assert dialog.said.text() == "No file has been imported into this store yet."
    assert "File ▸ Import leads (Ctrl+I)" in dialog.note.text()
    dialog.close()
    ws.window.close()
    ws.desk.close()


def test_the_end_of_day_export_with_nothing_waiting_says_what_will_show(
    qtbot: QtBot, empty_store: Path, clock: FixedClock, tmp_path: Path
) -> None:
    ws = open_workspace(qtbot, empty_store, clock, tmp_path, user="anna")
    dialog = ws.window.show_handoff_export()
    qtbot.waitUntil(lambda: "Nothing to hand off" in dialog.headline.text())
    assert dialog.note.isVisible()
    assert dialog.note.text().startswith("Leads you qualify with a hand-off verdict wait here")
    dialog.close()
    ws.window.close()
    ws.desk.close()


def test_sales_before_any_hand_off_is_told_none_was_made_yet(
    qtbot: QtBot, empty_store: Path, clock: FixedClock, tmp_path: Path
) -> None:
    ws = open_sales(qtbot, empty_store, clock, tmp_path, user="sam")
    home = ws.window.sales_home
    assert home is not None and home.report is not None
    # Not "every hand-off has its answer": there has not been one.
    assert home.headline.text() == "Nothing has been handed off to sales yet."
    assert home.note.isVisible()
    assert "as soon as a rep's verdict names you" in home.note.text()
    ws.window.close()
    ws.desk.close()


def test_the_team_tab_counts_one_rep_as_one_rep(
    qtbot: QtBot, empty_store: Path, clock: FixedClock
) -> None:
    with open_desk(empty_store, "lena", clock=clock) as desk:
        console = TeamConsole(desk, Operations(inline=True))
        qtbot.addWidget(console)
        console.show()
        qtbot.waitUntil(console.is_ready)
        assert console.team_tab.team_detail.text() == "1 rep, capacity 40; nobody over capacity"
        assert not console.team_tab.no_reps.isVisible()
        console.close()


def test_a_team_with_no_reps_yet_is_told_to_add_them(
    qtbot: QtBot, empty_store: Path, clock: FixedClock
) -> None:
    with open_desk(empty_store, "admin", clock=clock) as desk:
        desk.people.deactivate("anna")
        console = TeamConsole(desk, Operations(inline=True))
        qtbot.addWidget(console)
        console.show()
        qtbot.waitUntil(console.is_ready)
        assert console.team_tab.team_detail.text() == "No reps yet"
        assert console.team_tab.no_reps.isVisible()
        assert "Add your team on the Users tab" in console.team_tab.no_reps.text()
        console.close()

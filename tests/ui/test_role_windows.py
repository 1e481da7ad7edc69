"""One window per role, built by the launcher with only what the role can use: a salesperson's
window has no queue, questionnaire or import; a rep's has no team console."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.settings import Settings
from tests.csv_sheets import write_csv
from tests.ui.conftest import open_sales
from tests.ui.import_steps import PLAIN, drop
from ui.common.operations import Operations
from ui.console.console import TeamConsole
from ui.console.sweep import PolicySweep
from ui.intake.wizard import ImportWizard
from ui.launch import open_window
from ui.sales.home import SalesHome
from ui.sales.window import SalesWindow
from ui.workspace.call_panel import CallPanel
from ui.workspace.questionnaire_panel import QuestionnairePanel
from ui.workspace.queue_panel import QueuePanel
from ui.workspace.window import MainWindow

REP_PANELS: tuple[type[QWidget], ...] = (QueuePanel, QuestionnairePanel, CallPanel)


def menu_words(window: MainWindow | SalesWindow) -> list[str]:
    """Every menu title and entry, as the user reads them."""
    words = []
    for title in window.menuBar().actions():
        words.append(title.text().replace("&", ""))
        menu = title.menu()
        words += [action.text() for action in menu.actions()] if menu is not None else []
    return words


def test_a_salesperson_gets_their_hand_offs_and_no_queue_questionnaire_or_import(
    qtbot: QtBot, demo_store: Path, clock: FixedClock, tmp_path: Path, warnings_shown: list[str]
) -> None:
    sales = open_sales(qtbot, demo_store, clock, tmp_path)
    window = sales.window
    assert window.centralWidget() is window.sales_home
    assert window.sales_home.table.rowCount() > 0  # the demo leaves hand-offs waiting
    for panel in (*REP_PANELS, TeamConsole, ImportWizard):
        assert window.findChildren(panel) == [], panel.__name__
    words = menu_words(window)
    assert "Record sales' decisions…" in words and "Lead definition and glossary" in words
    assert "New lead…" in words  # a referral, credited to them
    for absent in ("Call", "Import leads…", "End of day: hand off to sales…"):
        assert absent not in words
    # A dropped export is not theirs to import.
    export = write_csv(tmp_path / "leads.csv", PLAIN, [["Ada", "ada@x.example", "", ""]])
    assert drop(window, export) == (False, False)
    glossary = window.show_glossary()
    assert glossary is not None and "Lead definition" in glossary.windowTitle()
    assert warnings_shown == []
    window.close()
    sales.desk.close()


def test_a_rep_gets_the_workspace_with_no_console_and_no_sweep(
    qtbot: QtBot, demo_store: Path, clock: FixedClock, tmp_path: Path
) -> None:
    desk = open_desk(demo_store, "rep1", clock=clock)
    window = open_window(desk, Operations(inline=True), Settings(tmp_path / "s.json"), "UTC")
    qtbot.addWidget(window)
    try:
        assert isinstance(window, MainWindow)
        for panel in REP_PANELS:
            assert len(window.findChildren(panel)) == 1, panel.__name__
        assert not window.team_console_action.isVisible()
        window.team_console_action.trigger()  # nothing is wired to it
        assert window.findChildren(TeamConsole) == []
        assert window.findChildren(PolicySweep) == []
        assert window.findChildren(SalesHome) == []
        assert "Record sales' decisions…" not in menu_words(window)
    finally:
        window.close()
        desk.close()


@pytest.mark.parametrize("user", ["sales1", "admin"])
def test_the_workspace_is_not_built_for_a_role_without_a_call_queue(
    demo_store: Path, clock: FixedClock, tmp_path: Path, user: str
) -> None:
    with (
        open_desk(demo_store, user, clock=clock) as desk,
        pytest.raises(ValueError, match="work a call queue"),
    ):
        MainWindow(desk, Operations(inline=True), Settings(tmp_path / "s.json"))


def test_the_screenshot_of_a_salesperson_shows_their_hand_offs(
    tmp_path: Path, demo_store: Path
) -> None:
    target = tmp_path / "sales.png"
    command = [sys.executable, "-m", "ui.app", "--db", str(demo_store), "gui", "--as", "sales1"]
    result = subprocess.run(
        [*command, "--screenshot", str(target)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    image = QImage(str(target))
    assert image.width() >= 1366 and image.height() >= 768

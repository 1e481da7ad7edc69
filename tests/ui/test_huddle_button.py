"""The Dashboards tab's Huddle pack button, on the huddle pack tests' hand-built store: it makes
the pack for the days the dashboards show, in the folder the lead picks, opens its page, and is
not there for a rep."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

# The pack tests' store and its team live in tests/team (imported, not copied).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "team"))
from test_huddle_pack import SINCE, HandBuilt, read_csv, store  # noqa: F401 - the fixture

from leaddesk.desk import Desk
from tests.one_store import sqlite_only
from tests.team.conftest import team  # noqa: F401 - the team fixture
from ui.common.operations import Operations
from ui.console import huddle_button
from ui.console.dashboards import DashboardsPanel

UNTIL = date(2026, 11, 18)


class Opened:
    def __init__(self, panel: DashboardsPanel, desk: Desk, ops: Operations) -> None:
        self.panel, self.desk, self.ops = panel, desk, ops


def open_panel(qtbot: QtBot, built: HandBuilt, user: str) -> Iterator[Opened]:
    desk = built.team.desk(user)
    ops = Operations()  # a real worker thread: the pack is made off the GUI thread
    panel = DashboardsPanel(desk, ops)
    qtbot.addWidget(panel)
    panel.resize(1366, 720)
    panel.show()
    qtbot.waitUntil(panel.is_ready)
    yield Opened(panel, desk, ops)
    ops.wait_idle()
    desk.close()


@pytest.fixture
def lead_panel(qtbot: QtBot, store: HandBuilt) -> Iterator[Opened]:  # noqa: F811
    yield from open_panel(qtbot, store, "lead1")


# The button's work (the pack is made on both stores in tests/team): SQLite is enough.
@sqlite_only
def test_the_button_makes_the_pack_for_the_days_shown_and_opens_its_page(
    qtbot: QtBot, lead_panel: Opened, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = lead_panel.panel
    panel.set_period(SINCE, UNTIL)
    qtbot.waitUntil(panel.is_ready)
    opened: list[Path] = []
    monkeypatch.setattr(huddle_button, "choose_folder", lambda _parent, _dir: tmp_path)
    monkeypatch.setattr(huddle_button, "show_page", lambda page: opened.append(page) or True)
    button = panel.huddle
    assert button.isVisible() and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not button.working, timeout=30_000)
    folder = tmp_path / "huddle-2026-11-16-to-2026-11-18"
    assert opened == [folder / "huddle.html"]
    assert panel.state.text() == f"Huddle pack saved in {folder}"
    rejected = read_csv(folder / "rejections.csv")
    assert len(rejected) == 4  # the hand-built store's four rejections in these days
    assert button.isEnabled()


# The button's work, not the store: SQLite is enough.
@sqlite_only
def test_cancelling_the_folder_makes_nothing(
    qtbot: QtBot, lead_panel: Opened, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(huddle_button, "choose_folder", lambda _parent, _dir: None)
    qtbot.mouseClick(lead_panel.panel.huddle, Qt.MouseButton.LeftButton)
    assert not lead_panel.panel.huddle.working
    assert lead_panel.panel.huddle.pack is None


# What the panel shows a rep: SQLite is enough.
@sqlite_only
def test_a_rep_has_no_huddle_button(qtbot: QtBot, store: HandBuilt) -> None:  # noqa: F811
    for opened in open_panel(qtbot, store, "rep1"):
        assert not opened.panel.huddle.isVisible()

"""The queue's table repaints only what changes when the keyboard leaves it or comes back
(its border and the chosen row, issue #24): what is on screen must then be exactly what a
full repaint draws, in either look."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.conftest import Workspace
from ui.common.look_menu import set_look
from ui.workspace.queue_model import PERSON


def _on_screen_as_drawn_afresh(workspace: Workspace) -> bool:
    """The table as the screen shows it (what partial repaints left) against the table
    painted whole just now."""
    window, table = workspace.window, workspace.window.queue.table
    QApplication.processEvents()
    screen = QApplication.primaryScreen().grabWindow(window.winId()).toImage()
    fresh = window.grab().toImage().convertToFormat(screen.format())
    corner = table.mapTo(window, table.rect().topLeft())
    box = (corner.x(), corner.y(), table.width(), table.height())
    return screen.copy(*box) == fresh.copy(*box)


@pytest.mark.parametrize("look", ["light", "dark"])
@pytest.mark.usefixtures("restore_look")
def test_the_table_looks_as_if_repainted_whole_as_the_keyboard_leaves_and_returns(
    qtbot: QtBot, workspace: Workspace, look: str
) -> None:
    if QApplication.platformName() != "offscreen":
        pytest.skip("reads the window's pixels as the offscreen platform keeps them")
    set_look(workspace.window.settings, look)
    queue = workspace.window.queue
    workspace.window.resize(1200, 480)  # rows to scroll: the scroll bar shows the border's corner
    qtbot.waitUntil(queue.table.verticalScrollBar().isVisible)
    queue.table.selectRow(1)
    qtbot.waitUntil(queue.table.hasFocus)

    queue.search.setFocus()  # the keyboard leaves the table
    qtbot.waitUntil(lambda: not queue.table.hasFocus())
    assert _on_screen_as_drawn_afresh(workspace)

    queue.focus_table()  # and comes back
    qtbot.waitUntil(queue.table.hasFocus)
    assert _on_screen_as_drawn_afresh(workspace)


def test_a_row_s_look_is_worked_out_once_until_the_clock_moves(workspace: Workspace) -> None:
    model = workspace.window.queue.model
    shown = model.index(0, PERSON).data()
    looks = model._looks
    assert looks[0] is not None  # worked out by the paint or the call above
    assert model.index(0, PERSON).data() == shown and model._looks[0] is looks[0]

    model.tick()

    assert all(look is None for look in model._looks)
    assert model.index(0, PERSON).data() == shown

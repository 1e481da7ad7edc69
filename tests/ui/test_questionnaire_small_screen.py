"""The rep's window on a small laptop screen (1366 px at 125 %: 1093 logical px, and 1024):
the questions' words wrap instead of scrolling sideways, and nothing in the window is cut."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QWidget
from pytestqt.qtbot import QtBot

from leaddesk.domain import CallOutcome
from tests.ui.conftest import Workspace

LONG_OPTION = "Wrong person, made-up details or never heard of us"


def connected(qtbot: QtBot, workspace: Workspace, width: int) -> None:
    window = workspace.window
    window.resize(width, 700)
    window.cycle.next_lead()
    window.cycle.call()
    window.call.log(CallOutcome.CONNECTED)
    qtbot.waitUntil(lambda: window.questionnaire.qualification is not None)
    qtbot.waitUntil(lambda: window.width() == width)


def inside(widget: QWidget, area: QWidget) -> QRect:
    return QRect(widget.mapTo(area, QPoint(0, 0)), widget.size())


@pytest.mark.parametrize("width", [1093, 1024])
def test_the_questions_wrap_and_nothing_is_cut_on_a_small_laptop_screen(
    qtbot: QtBot, workspace: Workspace, width: int
) -> None:
    window = workspace.window
    assert window.minimumSizeHint().width() <= 1024
    connected(qtbot, workspace, width)
    panel = window.questionnaire
    viewport = panel.scroller.viewport()
    assert panel.scroller.horizontalScrollBar().maximum() == 0  # no sideways scrolling
    options = [
        button
        for field in panel.fields.values()
        if not field.isHidden()
        for button in field.findChildren(QAbstractButton)
    ]
    assert options
    for button in options:
        shown = inside(button, viewport)
        assert shown.left() >= 0 and shown.right() < viewport.width(), button.text()
        assert button.height() >= button.heightForWidth(button.width()), button.text()
    long_one = next(button for button in options if button.text() == LONG_OPTION)
    if long_one.width() < long_one.sizeHint().width():  # too narrow for one line: two, whole
        assert long_one.height() > 1.5 * long_one.fontMetrics().height()
    # The right column is at least as wide as the call panel at its narrowest (once the
    # buttons of the call are laid out): the timer and "Put back" are whole.
    content = window.right.widget()
    qtbot.waitUntil(lambda: content.width() >= content.minimumSizeHint().width())
    column = window.right.viewport()
    for part in (window.call.timer, window.call.release_button, window.call.hang_up_button):
        assert inside(part, column).right() < column.width()


def test_a_wrapped_option_is_picked_by_its_second_line_and_by_the_keyboard(
    qtbot: QtBot, workspace: Workspace
) -> None:
    connected(qtbot, workspace, 1024)
    field = workspace.window.questionnaire.fields["contact_check"]
    values = [option.value for option in field.question.options]
    wrong = field.option(values[-1])
    assert isinstance(wrong, QAbstractButton) and wrong.text() == LONG_OPTION
    assert wrong.heightForWidth(150) > wrong.heightForWidth(1000)  # its words wrap when narrow
    bottom_left = QPoint(wrong.width() // 2, wrong.height() - 3)
    qtbot.mouseClick(wrong, Qt.MouseButton.LeftButton, pos=bottom_left)
    assert wrong.isChecked() and field.value() == values[-1]
    assert wrong.accessibleDescription().startswith(field.question.text)
    wrong.setFocus()
    qtbot.keyClick(wrong, Qt.Key.Key_Up)  # the arrows move between the options and pick
    above = field.option(values[-2])
    assert above.hasFocus() and above.isChecked() and field.value() == values[-2]
    # One Tab stop for the question: the picked option.
    stops = [
        b for b in field.findChildren(QAbstractButton) if b.focusPolicy() & Qt.FocusPolicy.TabFocus
    ]
    assert stops == [above]

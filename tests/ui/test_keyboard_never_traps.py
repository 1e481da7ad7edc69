"""The keyboard never traps the rep: Esc leaves the search for the queue, the cycle's keys
work after a search, and a multiple-choice question is one Tab stop with arrows inside."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox
from pytestqt.qtbot import QtBot

from leaddesk.domain import CallOutcome
from tests.ui.conftest import Workspace
from tests.ui.test_call_cycle import calls_on, key
from ui.workspace.call_cycle import Phase

SHOTS = os.environ.get("LEADDESK_SHOTS")  # a folder: the test also saves what it shows


def _search(qtbot: QtBot, workspace: Workspace, text: str) -> None:
    panel = workspace.window.queue
    qtbot.keyClick(workspace.window, "/")
    assert panel.search.hasFocus()
    qtbot.keyClicks(panel.search, text)
    panel.apply()  # as the pause after typing does
    assert panel.title.text() == "SEARCH RESULTS"


def _no_answer_on_the_next_lead(qtbot: QtBot, workspace: Workspace) -> None:
    cycle = workspace.window.cycle
    key(qtbot, workspace, "n")
    assert cycle.phase is Phase.READY and cycle.lead is not None
    lead = cycle.lead
    key(qtbot, workspace, "c")
    assert cycle.phase is Phase.CALLING
    key(qtbot, workspace, "2")
    assert cycle.phase is Phase.IDLE
    assert calls_on(workspace, lead.lead_id) == [CallOutcome.NO_ANSWER]


def test_esc_in_the_search_box_clears_it_and_gives_the_queue_the_keyboard(
    qtbot: QtBot, workspace: Workspace
) -> None:
    panel = workspace.window.queue
    top = panel.model.row_at(0)
    assert top is not None
    _search(qtbot, workspace, "zzzz-nobody")
    qtbot.keyClick(panel.search, Qt.Key.Key_Escape)
    assert panel.search.text() == ""
    assert panel.table.hasFocus()
    assert panel.title.text() == "MY QUEUE"
    qtbot.waitUntil(lambda: panel.model.row_at(0) is not None)
    assert panel.current_row() is not None and panel.current_row() == panel.model.row_at(0)
    _no_answer_on_the_next_lead(qtbot, workspace)
    assert workspace.warnings == []


def test_esc_in_the_search_box_does_not_put_back_the_lead_held(
    qtbot: QtBot, workspace: Workspace
) -> None:
    key(qtbot, workspace, "n")
    held = workspace.window.cycle.lead
    assert held is not None
    _search(qtbot, workspace, held.person)
    qtbot.keyClick(workspace.window.queue.search, Qt.Key.Key_Escape)
    assert workspace.window.cycle.lead == held  # Esc belonged to the search box
    assert workspace.window.queue.table.hasFocus()


def test_after_a_search_next_call_and_outcome_keys_act_as_before(
    qtbot: QtBot, workspace: Workspace
) -> None:
    panel = workspace.window.queue
    somebody = panel.model.row_at(2)
    assert somebody is not None
    _search(qtbot, workspace, somebody.person)
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert panel.table.hasFocus()
    _no_answer_on_the_next_lead(qtbot, workspace)
    _no_answer_on_the_next_lead(qtbot, workspace)


def test_a_multiple_choice_question_is_one_tab_stop_with_arrows_inside(
    qtbot: QtBot, workspace: Workspace
) -> None:
    window = workspace.window
    for text in ("n", "c", "1"):
        key(qtbot, workspace, text)
    assert window.cycle.phase is Phase.QUALIFYING
    field = window.questionnaire.fields["others_involved"]
    boxes = [box for box in field.findChildren(QCheckBox)]
    assert len(boxes) > 2
    tab_stops = [box for box in boxes if box.focusPolicy() & Qt.FocusPolicy.TabFocus]
    assert tab_stops == [boxes[0]]
    boxes[0].setFocus()
    qtbot.keyClick(boxes[0], Qt.Key.Key_Down)
    assert boxes[1].hasFocus()
    qtbot.keyClick(boxes[1], Qt.Key.Key_Space)
    assert field.value() == [field.question.options[1].value]
    qtbot.keyClick(boxes[1], Qt.Key.Key_Down)
    assert boxes[2].hasFocus()
    qtbot.keyClick(boxes[2], Qt.Key.Key_Up)
    assert boxes[1].hasFocus()
    if SHOTS:
        window.questionnaire.scroller.ensureWidgetVisible(field)
        window.grab().save(str(Path(SHOTS) / "otp-multiple-choice.png"))
    qtbot.keyClick(boxes[1], Qt.Key.Key_Tab)  # one Tab leaves the whole question
    assert window.focusWidget() not in boxes
    after = window.focusWidget()
    assert after is not None
    qtbot.keyClick(after, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert boxes[1].hasFocus()  # and Shift+Tab comes back to where the rep was in it

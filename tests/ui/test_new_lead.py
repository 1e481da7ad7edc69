"""File ▸ New lead…: a rep types in someone who called and works them at once."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from leaddesk.clock import FixedClock
from tests.ui.conftest import Workspace, open_workspace
from ui.workspace.call_cycle import Phase
from ui.workspace.new_lead_dialog import NewLeadDialog


def _open(qtbot: QtBot, workspace: Workspace) -> NewLeadDialog:
    qtbot.keyClick(workspace.window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = workspace.window.findChild(NewLeadDialog)
    assert dialog is not None and dialog.isVisible()
    return dialog


def _add(qtbot: QtBot, dialog: NewLeadDialog) -> None:
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )


def test_a_caller_typed_in_opens_at_once_ready_for_connected(
    qtbot: QtBot, workspace: Workspace
) -> None:
    dialog = _open(qtbot, workspace)
    assert dialog.work_now.isChecked() and not dialog.owner.isVisible()
    qtbot.keyClicks(dialog.first_name, "Ada")
    qtbot.keyClicks(dialog.last_name, "Quill")
    qtbot.keyClicks(dialog.phone, "(212) 555-0142")
    qtbot.keyClicks(dialog.company, "Quill Labs")
    qtbot.keyClicks(dialog.inquiry, "Pricing for 40 seats")
    _add(qtbot, dialog)
    window = workspace.window
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(
        lambda: window.cycle.lead is not None and window.cycle.lead.person == "Ada Quill"
    )
    assert window.cycle.phase is Phase.READY
    message = window.status.currentMessage()
    assert message.startswith("New lead #"), message
    assert message.endswith("for Ada Quill, in your queue. On the line: press 1 (connected).")
    with qtbot.waitSignal(window.cycle.seconds):  # the talk time runs from the pick-up
        qtbot.keyClick(window, Qt.Key.Key_1)  # connected: the questionnaire opens
    qtbot.waitUntil(lambda: window.cycle.phase is Phase.QUALIFYING)
    assert window.cycle.on_call


def test_what_cannot_be_a_lead_is_said_in_the_dialog_and_nothing_typed_is_lost(
    qtbot: QtBot, workspace: Workspace
) -> None:
    dialog = _open(qtbot, workspace)
    qtbot.keyClicks(dialog.first_name, "Bo")
    qtbot.keyClicks(dialog.email, "bo at example")
    _add(qtbot, dialog)
    assert dialog.isVisible() and dialog.error.isVisible()
    assert dialog.error.text().startswith("Give an email or a phone, at least one that works")
    assert dialog.first_name.text() == "Bo"
    assert dialog.focusWidget() is dialog.email
    dialog.email.clear()
    qtbot.keyClicks(dialog.email, "bo@example.com")
    dialog.work_now.setChecked(False)
    _add(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert workspace.window.cycle.phase is Phase.IDLE  # not worked now: it waits in the queue


def test_a_team_lead_may_give_it_to_a_rep_or_the_pool(
    qtbot: QtBot, demo_store: Path, clock: FixedClock, tmp_path: Path
) -> None:
    workspace = open_workspace(qtbot, demo_store, clock, tmp_path, user="lead1")
    dialog = _open(qtbot, workspace)
    owners = [dialog.owner.itemText(n) for n in range(dialog.owner.count())]
    assert owners[:3] == ["Me", "Whoever the lead definition's assignment picks", "The open pool"]
    assert any(name.startswith("Rep") for name in owners[3:]), owners
    dialog.source.setCurrentIndex(dialog.source.findData("sales_referral"))
    assert not dialog.work_now.isChecked()  # a referral is called later
    dialog.owner.setCurrentIndex(2)
    qtbot.keyClicks(dialog.first_name, "Cy")
    qtbot.keyClicks(dialog.email, "cy@example.com")
    _add(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert workspace.window.status.currentMessage().endswith("for Cy, in the open pool")
    workspace.window.close()
    workspace.desk.close()

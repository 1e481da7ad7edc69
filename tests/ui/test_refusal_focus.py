"""A refusal puts the focus on the box of the field the core names (``InputError.field``),
not on a box guessed from the message's words: the callback picker, the new-lead dialog and
the contact dialog."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from leaddesk.clock import FixedClock
from leaddesk.definition import Policy
from leaddesk.errors import InputError, NotPermitted
from tests.ui.conftest import Workspace
from ui.workspace.call_cycle import Phase
from ui.workspace.callback_picker import CallbackPicker, CallbackRequest
from ui.workspace.contact_dialog import ContactDialog
from ui.workspace.new_lead_dialog import NewLeadDialog


def _picker(qtbot: QtBot, clock: FixedClock) -> CallbackPicker:
    request = CallbackRequest(
        person="Thibault Ferrand",
        zones=("Europe/Paris",),
        policy=Policy(timezone="Europe/Paris"),
        rep_zone="Europe/London",
        now=clock(),
    )
    picker = CallbackPicker(request)
    qtbot.addWidget(picker)
    with qtbot.waitExposed(picker):
        picker.show()
    return picker


def test_the_callback_picker_comes_back_on_the_refused_time_with_its_time_box_focused(
    qtbot: QtBot, clock: FixedClock
) -> None:
    picker = _picker(qtbot, clock)
    ok = picker.buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setFocus()
    assert picker.focusWidget() is ok
    tomorrow = (clock() + timedelta(days=1)).astimezone(ZoneInfo("Europe/Paris"))
    asked = tomorrow.replace(hour=11, minute=0, second=0, microsecond=0)
    refused = InputError("the agreed time has already passed", field="callback")
    picker.say_refused(asked, refused)
    assert picker.focusWidget() is picker.when
    assert picker.chosen() == asked
    assert picker.problem.isVisible()
    assert picker.problem.text() == "The agreed time has already passed"


def test_a_refusal_naming_no_field_of_the_form_leaves_the_focus_where_it_was(
    qtbot: QtBot, clock: FixedClock
) -> None:
    picker = _picker(qtbot, clock)
    cancel = picker.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    for error in (
        InputError("callback: not a field, only words", field=None),  # words are not read
        InputError("a note is too long", field="note"),  # not a box of this form
        NotPermitted("rep1 is a qualifier and cannot do this."),
    ):
        cancel.setFocus()
        picker.say_refused(picker.chosen(), error)
        assert picker.focusWidget() is cancel, error
        assert picker.problem.text() == error.message[0].upper() + error.message[1:]


def _new_lead(qtbot: QtBot, workspace: Workspace) -> NewLeadDialog:
    qtbot.keyClick(workspace.window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = workspace.window.findChild(NewLeadDialog)
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_the_new_lead_dialog_focuses_the_box_the_core_refused(
    qtbot: QtBot, workspace: Workspace
) -> None:
    dialog = _new_lead(qtbot, workspace)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.keyClicks(dialog.email, "bo@example.com")
    dialog.company.setFocus()
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)  # no name: the first-name box
    qtbot.waitUntil(dialog.error.isVisible)
    assert dialog.error.text().startswith("Give the person's name")
    assert dialog.focusWidget() is dialog.first_name

    qtbot.keyClicks(dialog.first_name, "Bo")
    dialog.email.clear()
    dialog.error.hide()
    dialog.first_name.setFocus()
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)  # neither email nor phone: the email box
    qtbot.waitUntil(dialog.error.isVisible)
    assert dialog.focusWidget() is dialog.email
    assert dialog.first_name.text() == "Bo"  # nothing typed is lost
    dialog.reject()


def test_the_contact_dialog_focuses_the_box_the_core_refused(
    qtbot: QtBot, workspace: Workspace
) -> None:
    window, cycle = workspace.window, workspace.window.cycle
    qtbot.keyClick(window.focusWidget() or window, "n")
    assert cycle.phase is Phase.READY and cycle.lead is not None
    qtbot.waitUntil(lambda: window.lead.lead_file is not None)
    qtbot.keyClick(window, Qt.Key.Key_F2)
    dialog = window.findChild(ContactDialog)
    assert isinstance(dialog, ContactDialog) and dialog.isVisible()
    assert dialog.focusWidget() is dialog.phone

    dialog.email.setText("ada@")
    dialog.save()
    qtbot.waitUntil(dialog.error.isVisible)
    assert dialog.error.text().startswith("'ada@' is ")
    assert dialog.focusWidget() is dialog.email

    dialog.email.setText("ada@quill.example")
    dialog.direct_line.setText("12")
    dialog.error.hide()
    dialog.first_name.setFocus()
    dialog.save()
    qtbot.waitUntil(dialog.error.isVisible)
    assert dialog.error.text().startswith("'12': ")
    assert dialog.focusWidget() is dialog.direct_line
    dialog.reject()

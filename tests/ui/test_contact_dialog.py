"""Call ▸ Correct contact details… (F2): the number the person gives on the call replaces the
one on file, the call panel dials the new one, and a refusal is said in the dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from leaddesk.store.models import Lead, Person
from tests.ui.conftest import Workspace
from tests.ui.test_accessibility import shown, tab_walk, unnamed
from ui.workspace.call_cycle import Phase
from ui.workspace.contact_dialog import ContactDialog


def test_f2_corrects_the_number_and_the_call_panel_dials_it(
    qtbot: QtBot, workspace: Workspace
) -> None:
    window, cycle = workspace.window, workspace.window.cycle
    qtbot.keyClick(window.focusWidget() or window, "n")
    assert cycle.phase is Phase.READY and cycle.lead is not None
    lead_id = cycle.lead.lead_id
    qtbot.waitUntil(lambda: window.lead.lead_file is not None)
    assert window.lead.edit_button.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_F2)
    dialog = window.findChild(ContactDialog)
    assert isinstance(dialog, ContactDialog) and dialog.isVisible()
    assert dialog.focusWidget() is dialog.phone  # the usual correction

    dialog.phone.setText("12")  # no phone number anywhere
    dialog.save()
    qtbot.waitUntil(dialog.error.isVisible)
    assert dialog.error.text().startswith("'12': ")
    assert dialog.isVisible() and dialog.focusWidget() is dialog.phone

    dialog.phone.setText("+1 (415) 555-2671")
    dialog.title.setText("Head of Operations")
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: window.call.phone.text() == "+14155552671")
    assert cycle.lead is not None and cycle.lead.lead_id == lead_id
    assert "Saved: job title, phone." in window.status.currentMessage()
    qtbot.waitUntil(
        lambda: window.lead.lead_file is not None and window.lead.lead_file.phone == "+14155552671"
    )
    timeline = [entry.text for entry in window.lead.lead_file.timeline if entry.kind == "contact"]
    assert len(timeline) == 1 and "→ +14155552671" in timeline[0]
    qtbot.keyClick(window.focusWidget() or window, "c")
    assert workspace.dialed[-1] == "+14155552671"
    assert workspace.warnings == []


def test_with_no_lead_open_f2_says_so(qtbot: QtBot, workspace: Workspace) -> None:
    window = workspace.window
    window.lead.show_lead(None)
    assert window.show_contact() is None
    assert "Open a lead first" in window.status.currentMessage()


def test_the_form_is_named_for_a_screen_reader_and_tabs_in_reading_order(
    qtbot: QtBot, workspace: Workspace
) -> None:
    window = workspace.window
    qtbot.keyClick(window.focusWidget() or window, "n")
    qtbot.waitUntil(lambda: window.lead.lead_file is not None)
    dialog = window.show_contact()
    assert dialog is not None
    shown(qtbot, dialog)
    assert unnamed(dialog) == []
    dialog.first_name.setFocus()
    walked = tab_walk(qtbot, dialog, 5)
    assert walked == [dialog.first_name, dialog.last_name, dialog.title, dialog.email, dialog.phone]


def test_a_number_the_import_could_not_read_is_shown_and_fixed_with_f2(
    qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    window, desk = workspace.window, workspace.desk
    sheet = tmp_path / "fair.csv"
    sheet.write_text(
        "name,email,phone,company\nAda Quill,ada@quill.example,0415 555,Quillworks\n",
        encoding="utf-8",
    )
    summary = desk.intake.import_file(sheet, source="fair")
    assert summary.counts.created == 1
    with desk.store.reading() as session:
        lead_id = session.scalar(
            select(Lead.id).join(Person).where(Person.email == "ada@quill.example")
        )
    assert lead_id is not None
    with desk.store.transaction() as session:  # hers to work, whoever intake gave it to
        stored = session.get(Lead, lead_id)
        assert stored is not None
        stored.assigned_to_id = desk.actor.id
    window.lead.show_lead(lead_id)
    qtbot.waitUntil(lambda: window.lead.lead_file is not None)
    assert "phone as typed: 0415 555 (not a number to dial; F2 corrects it)" in (
        window.lead.contact.text()
    )
    dialog = window.show_contact()
    assert dialog is not None and dialog.phone.text() == "0415 555"
    dialog.phone.setText("+1 415 555 2671")
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    fixed = desk.queue.lead_file(lead_id)
    assert fixed.phone == "+14155552671" and fixed.phone_as_typed is None


def test_a_mobile_added_with_f2_can_be_chosen_and_dialled(
    qtbot: QtBot, workspace: Workspace
) -> None:
    window, cycle = workspace.window, workspace.window.cycle
    qtbot.keyClick(window.focusWidget() or window, "n")
    assert cycle.phase is Phase.READY and cycle.lead is not None
    phone = cycle.lead.phone
    qtbot.waitUntil(lambda: window.lead.lead_file is not None)
    assert not window.call.numbers.isVisibleTo(window)  # one number: nothing to choose
    dialog = window.show_contact()
    assert dialog is not None
    dialog.mobile.setText("+1 (415) 555-2671")
    dialog.direct_line.setText("+1 212 555 0188")
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: window.call.numbers.count() == 3)
    assert window.call.numbers.isVisibleTo(window)
    assert [window.call.numbers.itemText(i) for i in range(3)] == [
        f"{phone}  (phone)",
        "+14155552671  (mobile)",
        "+12125550188  (direct line)",
    ]
    assert "+14155552671 (mobile)" in window.lead.contact.text()
    window.call.numbers.setCurrentIndex(1)
    assert window.call.phone.text() == "+14155552671"
    qtbot.keyClick(window.focusWidget() or window, "c")
    assert workspace.dialed[-1] == "+14155552671"
    assert workspace.warnings == []

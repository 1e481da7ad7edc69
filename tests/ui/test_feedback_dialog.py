"""Sales records its decisions from the window: applied rows, listed problems, the template."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from leaddesk.clock import FixedClock
from leaddesk.domain import Stage
from leaddesk.files.resources import resource_path
from leaddesk.store.models import Lead
from tests.ui.conftest import open_sales, open_workspace
from ui.common.theme import DARK, LIGHT, apply_theme
from ui.handoff.feedback import SalesFeedbackDialog
from ui.sales.answer import AnswerDialog


def test_sales_records_decisions_and_sees_what_was_not_applied(
    qtbot: QtBot, demo_store: Path, clock: FixedClock, tmp_path: Path, warnings_shown: list[str]
) -> None:
    workspace = open_sales(qtbot, demo_store, clock, tmp_path, user="sales1")
    window = workspace.window
    assert window.feedback_action in window._menus["File"].actions()
    home = window.sales_home
    assert home is not None and window.centralWidget() is home
    waiting = workspace.desk.handoff.pending(everything=True).leads
    assert waiting, "the demo leaves handed-off leads waiting for sales"
    assert any(lead.level == "waiting" for lead in waiting), "some still within the window"
    assert home.table.rowCount() == len(waiting)
    assert home.table.item(0, 0).text() == str(waiting[0].lead_id)
    # Waits over two days read in days, as a salesperson counts them.
    oldest = waiting[0].hours_waiting
    assert oldest >= 48, "the demo has hand-offs escalated long ago"
    days, hours = divmod(int(oldest), 24)
    assert home.table.item(0, 5).text() in (f"{days} d {hours} h", f"{days} d")
    accepted = waiting[0].lead_id
    file = tmp_path / "decisions.csv"
    file.write_text(
        "lead_id,decision,opportunity_id,owner,date,reason,comment\n"
        f"{accepted},accepted,006XYZ,Dana Reyes,2026-11-18,,Demo booked\n"
        "999999,rejected,,,,no_budget,\n",
        encoding="utf-8",
    )

    home.record_button.click()
    dialog = window.findChild(SalesFeedbackDialog)
    assert dialog is not None
    dialog._pick_file = lambda _parent: file
    dialog.choose()
    qtbot.waitUntil(lambda: dialog.report is not None)
    assert dialog.report is not None and dialog.report.accepted == [accepted]
    assert "1 accepted" in dialog.said.text() and "1 not applied" in dialog.said.text()
    assert dialog.problems.count() == 1 and "999999" in dialog.problems.item(0).text()
    with workspace.desk.store.reading() as session:
        lead = session.get(Lead, accepted)
        assert lead is not None and lead.stage is Stage.ACCEPTED

    # The same file again changes nothing and says so.
    dialog.record(file)
    qtbot.waitUntil(lambda: "already recorded" in dialog.said.text())
    assert dialog.report.accepted == []
    # The page of waiting hand-offs no longer lists the accepted lead.
    qtbot.waitUntil(lambda: home.table.rowCount() == len(waiting) - 1)
    assert warnings_shown == []


def test_the_template_is_saved_whole_and_a_rep_has_no_such_entry(
    qtbot: QtBot, demo_store: Path, clock: FixedClock, tmp_path: Path
) -> None:
    sales = open_sales(qtbot, demo_store, clock, tmp_path, user="sales1")
    dialog = SalesFeedbackDialog(sales.desk, sales.window.ops)
    qtbot.addWidget(dialog)
    target = tmp_path / "template.csv"
    dialog._pick_target = lambda _parent: target
    dialog.save_template()
    assert target.read_bytes() == resource_path("feedback_template.csv").read_bytes()
    assert not list(tmp_path.glob("*.part"))
    dialog._pick_target = lambda _parent: tmp_path / "missing-folder" / "t.csv"
    dialog.save_template()
    assert "cannot write the template" in dialog.said.text()
    sales.window.close()

    rep = open_workspace(qtbot, demo_store, clock, tmp_path, user="rep1")
    file_menu = [action.text() for action in rep.window._menus["File"].actions()]
    assert "Record sales' decisions…" not in file_menu


def test_a_binary_file_is_refused_in_words_and_the_dialog_keeps_its_size(
    qtbot: QtBot, demo_store: Path, clock: FixedClock, tmp_path: Path
) -> None:
    sales = open_sales(qtbot, demo_store, clock, tmp_path, user="sales1")
    dialog = sales.window.show_sales_feedback()
    width = dialog.width()
    waiting = len(sales.desk.handoff.pending().leads)
    binary = tmp_path / "decisions.csv"
    binary.write_bytes(b"\x00\x01\x02garbled\xff\xfe" * 500)
    dialog.record(binary)
    qtbot.waitUntil(lambda: dialog.choose_button.isEnabled())
    assert "Nothing was recorded" in dialog.said.text()
    assert "not a text file; save the decisions as CSV" in dialog.said.text()
    assert "garbled" not in dialog.said.text()  # none of the file's bytes in the message
    assert dialog.width() == width and dialog.said.sizeHint().width() < width
    assert len(sales.desk.handoff.pending().leads) == waiting


def test_return_in_the_decisions_dialog_chooses_the_file_not_the_template(
    qtbot: QtBot, demo_store: Path, clock: FixedClock, tmp_path: Path
) -> None:
    sales = open_sales(qtbot, demo_store, clock, tmp_path, user="sales1")
    dialog = sales.window.show_sales_feedback()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    assert dialog.focusWidget() is dialog.choose_button
    assert dialog.choose_button.objectName() == "primary"
    picked: list[str] = []
    templates: list[str] = []
    dialog._pick_file = lambda _parent: picked.append("file") and None
    dialog._pick_target = lambda _parent: templates.append("template") and None
    dialog.template_button.setFocus()  # even with the focus on another button
    qtbot.keyClick(dialog.template_button, Qt.Key.Key_Return)
    assert picked == ["file"] and templates == []


def test_the_sales_page_names_qualifiers_and_marks_escalations_in_the_looks_colour(
    qtbot: QtBot,
    qapp: QApplication,
    demo_store: Path,
    clock: FixedClock,
    tmp_path: Path,
    restore_look: None,
) -> None:
    sales = open_sales(qtbot, demo_store, clock, tmp_path, user="sales1")
    home = sales.window.sales_home
    assert home is not None
    first = sales.desk.handoff.pending().leads[0]
    assert first.level == "escalated" and first.qualified_by_name
    assert first.qualified_by_name != first.qualified_by
    assert home.table.item(0, 4).text() == first.qualified_by_name
    lead_heading = home.table.horizontalHeaderItem(0)
    person_heading = home.table.horizontalHeaderItem(1)
    assert lead_heading is not None and person_heading is not None
    assert Qt.AlignmentFlag(lead_heading.textAlignment()) & Qt.AlignmentFlag.AlignRight
    assert Qt.AlignmentFlag(person_heading.textAlignment()) & Qt.AlignmentFlag.AlignLeft
    for look, colours in (("dark", DARK), ("light", LIGHT)):
        apply_theme(qapp, look)
        ink = colours.qcolor("breach")
        qtbot.waitUntil(lambda ink=ink: home.table.item(0, 6).foreground().color() == ink)


def test_sales_accepts_and_rejects_one_lead_at_a_time_with_a_and_r(
    qtbot: QtBot, demo_store: Path, clock: FixedClock, tmp_path: Path, warnings_shown: list[str]
) -> None:
    workspace = open_sales(qtbot, demo_store, clock, tmp_path, user="sales1")
    home = workspace.window.sales_home
    assert home is not None
    # The longest waiting is picked on arrival, with what the qualifier found beside it.
    first = home.table.item(0, 0).text()
    assert home.accept_button.isEnabled() and home.selected() is not None
    qtbot.waitUntil(lambda: home.shown_record is not None)
    assert home.shown_record is not None and str(home.shown_record.lead_id) == first
    shown = home.record.toPlainText()
    assert home.shown_record.first_name in shown and "qualified this lead on" in shown
    home.table.setFocus()
    qtbot.keyClick(home.table, Qt.Key.Key_A)
    dialog = home.findChild(AnswerDialog)
    assert dialog is not None and dialog.accepting
    assert dialog.owner.text() == workspace.desk.actor.display_name
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()  # no opportunity id yet
    assert dialog.isVisible()
    assert dialog.error.text().startswith("An accepted lead needs")
    qtbot.keyClicks(dialog.opportunity, "006Q000001")
    with qtbot.waitSignal(dialog.answered):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    with workspace.desk.store.reading() as session:
        lead = session.get(Lead, int(first))
        assert lead is not None and lead.stage is Stage.ACCEPTED
    qtbot.waitUntil(lambda: home.table.item(0, 0).text() != first)
    assert home.selected() is not None  # the next one is ready to answer

    second = home.selected()
    assert second is not None
    home.table.setFocus()
    qtbot.keyClick(home.table, Qt.Key.Key_R)
    dialog = next(d for d in home.findChildren(AnswerDialog) if d.isVisible())
    assert not dialog.accepting
    dialog.reason.setCurrentIndex(dialog.reason.findData("bad_timing"))
    qtbot.keyClicks(dialog.comment, "Budget frozen until Q2")
    with qtbot.waitSignal(dialog.answered):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    with workspace.desk.store.reading() as session:
        lead = session.get(Lead, second.lead_id)
        # The definition sends a lead rejected for bad timing back to nurture.
        assert lead is not None and lead.stage is Stage.NURTURE
    assert not warnings_shown

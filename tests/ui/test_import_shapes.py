"""The import window on the exports people really have (#21): it says where the source comes
from before anything is imported, and asks which sheet of a workbook holds the leads."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from tests.ui.conftest import Workspace
from tests.ui.import_steps import open_dialog
from ui.intake.wizard import PREVIEW

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"


def shot(widget: QWidget, name: str) -> None:
    """Keep a picture of the page for a person to look at, when asked (LEADDESK_SHOTS=dir)."""
    folder = os.environ.get("LEADDESK_SHOTS")
    if folder:
        widget.grab().save(str(Path(folder) / f"shapes-{name}.png"))


def test_the_preview_says_the_source_is_the_file_name_when_the_tool_cannot_be_told(
    workspace: Workspace, qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "Trade fair 2026-11-30.csv"
    path.write_text(
        "Full Name,E-mail,Tel,Organisation\n"
        "Ada Lovelace,ada@engines.example,+44 20 7946 0001,Analytical Engines\n",
        encoding="utf-8",
    )
    dialog = open_dialog(workspace, qtbot, path)
    assert dialog.choose_page.source_box.currentText() == "Trade fair"
    qtbot.mouseClick(dialog.forward_button(), Qt.MouseButton.LeftButton)  # Columns
    qtbot.mouseClick(dialog.forward_button(), Qt.MouseButton.LeftButton)  # Preview
    qtbot.waitUntil(lambda: dialog.preview_page.summary is not None)
    assert dialog.currentId() == PREVIEW
    said = dialog.preview_page.status.text()
    assert "as “Trade fair” would do" in said
    assert "(named after the file: which tool made it could not be told)" in said
    shot(dialog, "preview-file-name")
    dialog.reject()


def test_the_preview_names_the_tool_a_recognised_export_came_from(
    workspace: Workspace, qtbot: QtBot
) -> None:
    dialog = open_dialog(workspace, qtbot, SAMPLES / "apollo_people.csv")
    assert dialog.choose_page.source_box.currentText() == "apollo"
    qtbot.mouseClick(dialog.forward_button(), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.forward_button(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.preview_page.summary is not None)
    assert "(recognised as an export from Apollo)" in dialog.preview_page.status.text()
    dialog.reject()


def test_a_workbook_of_several_sheets_asks_which_and_reads_the_one_chosen(
    workspace: Workspace, qtbot: QtBot
) -> None:
    dialog = open_dialog(workspace, qtbot, SAMPLES / "fair_workbook.xlsx")
    page = dialog.choose_page
    assert page.sheet_box.isVisibleTo(dialog)
    assert [page.sheet_box.itemText(i) for i in range(page.sheet_box.count())] == [
        "Booth visitors",
        "Talk attendees",
        "Summary",
    ]
    assert page.file_info.text().endswith("· 3 sheets: choose the one with the leads")
    shot(dialog, "choose-sheet")
    page.sheet_box.setCurrentIndex(1)
    page.sheet_box.activated.emit(1)
    qtbot.waitUntil(lambda: dialog.job.running is None and dialog.job.look is not None)
    qtbot.waitUntil(
        lambda: dialog.job.look is not None and dialog.job.look.sheet == "Talk attendees"
    )
    assert dialog.job.look.header == ["Full Name", "Company", "Email", "Talk"]
    dialog.reject()

"""View ▸ Text size: larger or smaller text for a rep who reads the screen all day, remembered,
with the queue's rows and columns growing with it."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from leaddesk.settings import TEXT_SIZE, Settings
from tests.ui.conftest import Workspace
from ui.common.look_menu import set_text_size, step_text_size
from ui.common.theme import TEXT_SIZES, apply_theme, nearest_text_size, scaled_sheet, text_size_of
from ui.workspace.queue_model import PERSON, WIDTHS

pytestmark = pytest.mark.usefixtures("restore_look")


def test_a_style_sheet_scales_every_font_size_and_nothing_else() -> None:
    sheet = "QWidget { font-size: 10pt; color: #1f2933; }\n#help { font-size: 9pt; padding: 6px; }"
    assert scaled_sheet(sheet, 150) == (
        "QWidget { font-size: 15pt; color: #1f2933; }\n#help { font-size: 13.5pt; padding: 6px; }"
    )
    assert scaled_sheet(sheet, 100) == sheet


def test_a_size_edited_by_hand_into_the_settings_becomes_an_offered_one() -> None:
    assert nearest_text_size(100) == 100
    assert nearest_text_size(1000) == TEXT_SIZES[-1]
    assert nearest_text_size(-5) == TEXT_SIZES[0]
    assert nearest_text_size(120) == 115


def test_larger_text_is_kept_and_the_queue_grows_with_it(
    qtbot: QtBot, qapp: QApplication, workspace: Workspace
) -> None:
    window = workspace.window
    table = window.queue.table
    apply_theme(qapp, "light", text_size=100)
    qtbot.waitUntil(lambda: table.font().pointSizeF() == 10)
    normal_row = table.verticalHeader().defaultSectionSize()
    normal_height = QFontMetrics(table.font()).height()
    assert text_size_of(qapp) == 100

    # Ctrl+= (the + key without Shift) one size up, twice.
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert text_size_of(qapp) == 130
    qtbot.waitUntil(lambda: QFontMetrics(table.font()).height() > normal_height)
    assert table.verticalHeader().defaultSectionSize() > normal_row
    assert table.columnWidth(PERSON) == round(WIDTHS[PERSON] * 1.3)
    saved = json.loads(window.settings.path.read_text(encoding="utf-8"))
    assert saved["values"]["text_size"] == 130

    # The next start shows it at the size chosen.
    assert Settings(window.settings.path)[TEXT_SIZE] == 130

    qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert text_size_of(qapp) == 100
    qtbot.waitUntil(lambda: QFontMetrics(table.font()).height() == normal_height)
    assert table.columnWidth(PERSON) == WIDTHS[PERSON]
    # 0 without Ctrl still logs an outcome, not the text size: nothing here changed it.
    assert window.settings[TEXT_SIZE] == 100


def test_the_steps_stop_at_the_smallest_and_largest_sizes(
    qapp: QApplication, tmp_path: pytest.TempPathFactory
) -> None:
    settings = Settings(tmp_path / "settings.json")  # type: ignore[operator]
    apply_theme(qapp, "light", text_size=100)
    for _ in range(len(TEXT_SIZES) + 2):
        step_text_size(settings, -1)
    assert settings[TEXT_SIZE] == TEXT_SIZES[0] == text_size_of(qapp)
    assert "font-size: 9pt" in qapp.styleSheet()  # 10 pt at 90 %
    for _ in range(len(TEXT_SIZES) + 2):
        step_text_size(settings, 1)
    assert settings[TEXT_SIZE] == TEXT_SIZES[-1] == text_size_of(qapp)
    assert "font-size: 15pt" in qapp.styleSheet()
    # Changing the look keeps the size.
    apply_theme(qapp, "dark")
    assert text_size_of(qapp) == TEXT_SIZES[-1] and "font-size: 15pt" in qapp.styleSheet()
    assert set_text_size(settings, 100) == 100


def test_queue_columns_hidden_stay_hidden_across_text_sizes_and_restarts(
    qtbot: QtBot, qapp: QApplication, workspace: Workspace
) -> None:
    from leaddesk.settings import QUEUE_HIDDEN
    from ui.workspace.queue_model import COLUMNS, SOURCE, TRIES

    window = workspace.window
    menu = next(m for m in window.findChildren(QMenu) if m.title() == "Queue columns")
    headings = [action.text() for action in menu.actions()]
    assert headings == list(COLUMNS[1:])  # every column but the person's
    for action in menu.actions():
        if action.text() in ("Source", "Tries"):
            action.setChecked(False)
    table = window.queue.table
    assert table.isColumnHidden(SOURCE) and table.isColumnHidden(TRIES)
    assert window.settings[QUEUE_HIDDEN] == "Tries,Source"
    apply_theme(qapp, "light", text_size=130)
    qtbot.waitUntil(lambda: table.columnWidth(0) == round(WIDTHS[0] * 1.3))
    assert table.isColumnHidden(SOURCE) and table.isColumnHidden(TRIES)
    # The next window starts with them hidden.
    again = window.queue.columns_menu(Settings(window.settings.path))
    assert [a.text() for a in again.actions() if not a.isChecked()] == ["Tries", "Source"]

"""The read-only text tables (the sales page, the do-not-call list, the import runs): filled in
one go, their columns still fit what they show."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView
from pytestqt.qtbot import QtBot

from ui.common.text_tables import filling, set_row, text_table


def test_a_filled_table_fits_its_longest_cell_and_keeps_fitting_later_changes(
    qtbot: QtBot,
) -> None:
    table = text_table(("Lead", "Name", "Waiting"), stretch=(1,), numbers=(0,))
    qtbot.addWidget(table)
    table.resize(900, 400)
    table.show()
    long_waiting = "waiting 3 days 4 hours, past the follow-up time"
    rows = [(str(number), f"Person {number}", "2 h") for number in range(1, 1501)]
    rows[10] = ("11", "Person 11", long_waiting)
    with filling(table, len(rows)):
        for row, cells in enumerate(rows):
            set_row(table, row, cells, numbers=(0,))

    header = table.horizontalHeader()
    assert table.rowCount() == 1500 and table.item(10, 2).text() == long_waiting
    assert header.sectionResizeMode(2) == QHeaderView.ResizeMode.ResizeToContents
    assert header.sectionResizeMode(1) == QHeaderView.ResizeMode.Stretch
    needed = table.fontMetrics().horizontalAdvance(long_waiting)
    qtbot.waitUntil(lambda: header.sectionSize(2) >= needed)
    assert table.updatesEnabled()

    # A cell set afterwards, outside a fill, still widens its column.
    longer = long_waiting + ", escalated to the team lead"
    set_row(table, 0, ("1", "Person 1", longer), numbers=(0,))
    wider = table.fontMetrics().horizontalAdvance(longer)
    qtbot.waitUntil(lambda: header.sectionSize(2) >= wider)

"""Read-only tables of text rows (a few dozen at most), as the small lists in dialogs show them."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def text_table(
    columns: Sequence[str],
    *,
    stretch: Collection[int],
    single: bool = False,
    numbers: Collection[int] = (),
) -> QTableWidget:
    """Whole-row selection, no editing; ``stretch`` columns take the spare width. Headings
    stand over their cells as the console's tables have them: left, ``numbers`` right."""
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    for column in range(len(columns)):
        heading = table.horizontalHeaderItem(column)
        if heading is not None:
            heading.setTextAlignment(RIGHT if column in numbers else LEFT)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if single:
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    for column in stretch:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    return table


def set_row(
    table: QTableWidget,
    row: int,
    cells: Sequence[str],
    *,
    numbers: Collection[int] = (),
    ink: dict[int, QColor] | None = None,
) -> None:
    """Fill ``row``; ``numbers`` columns align right, ``ink`` colours a column's text."""
    for column, text in enumerate(cells):
        item = QTableWidgetItem(text)
        if column in numbers:
            item.setTextAlignment(RIGHT)
        if ink and column in ink and text:
            item.setForeground(QBrush(ink[column]))
        table.setItem(row, column, item)

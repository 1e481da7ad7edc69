"""Read-only tables of text rows, as the lists in dialogs and the sales page show them.

Their columns fit their contents. Filled cell by cell, a column sized to its contents is
measured again after every cell (over up to 1,000 rows each time): a sales page of 400 waiting
hand-offs took seconds to fill, and again at each change of look. :func:`filling` measures the
columns once, when the rows are in."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager

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


@contextmanager
def filling(table: QTableWidget, rows: int) -> Iterator[None]:
    """Give ``table`` ``rows`` rows to fill with :func:`set_row`; its columns are sized to
    their contents once, when the block ends."""
    header = table.horizontalHeader()
    fitted = [
        column
        for column in range(table.columnCount())
        if header.sectionResizeMode(column) == QHeaderView.ResizeMode.ResizeToContents
    ]
    for column in fitted:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
    table.setUpdatesEnabled(False)
    try:
        table.setRowCount(rows)
        yield
    finally:
        for column in fitted:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        table.setUpdatesEnabled(True)


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

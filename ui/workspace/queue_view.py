"""The queue's table: column widths for the text size in effect, Return to work a lead, and
repaints kept to the rows that change (the table is the costliest thing the window paints)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, Qt, Signal
from PySide6.QtGui import QFocusEvent, QFont, QFontMetrics, QKeyEvent, QRegion
from PySide6.QtWidgets import QTableView, QWidget

from leaddesk.desk import QueueRow
from leaddesk.domain import Source
from ui.common.theme import NORMAL_TEXT, text_size_of
from ui.workspace.queue_model import ROW_ROLE, SLA, SOURCE, WIDTHS, QueueModel, source_text

# The countdown's widest forms; an overdue one is bold. Cell padding and the focus frame
# take the rest of the column.
SLA_SAMPLES = ("−59 min", "−9 h 59", "−23 h", "−99 d")
SLA_PADDING = 22  # px
# Every source as the Source column writes it, so "purchased list" is never "purchased…".
SOURCE_SAMPLES = tuple(source_text(source.value) for source in Source)

ROW_HEIGHT = 28  # at the normal text size
CORNER = 6  # px: more than the border's radius in the style sheets


class QueueView(QTableView):
    """The table; Return works the selected lead."""

    take = Signal(object)  # QueueRow

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._widths_for = 0  # the text size the column widths were set for

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.fit_columns()
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.PaletteChange):
            model = self.model()
            if isinstance(model, QueueModel):
                model.restyle()  # its rows' colours come from the look in effect

    # Qt repaints every visible row when the table gets or loses the keyboard (about 10 ms
    # of painting, on each N and each logged call); only its border and the chosen row
    # look different, so only they are repainted.

    def focusInEvent(self, event: QFocusEvent) -> None:
        if not self.currentIndex().isValid():
            super().focusInEvent(event)  # Qt makes the first row current
            return
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)  # nothing is typed
        self._repaint_focus_look()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        # Neither the view's nor QWidget's (an update of the whole view, rows and all).
        self._repaint_focus_look()

    def _repaint_focus_look(self) -> None:
        border = QRegion(self.rect()).subtracted(QRegion(self.contentsRect()))
        # Its rounded corners reach inside, where the scroll bar and the header let them show.
        inner = self.rect().adjusted(0, 0, -CORNER, -CORNER)
        for x, y in (
            (0, 0),
            (inner.right(), 0),
            (0, inner.bottom()),
            inner.bottomRight().toTuple(),
        ):
            border = border.united(QRect(x, y, CORNER + 1, CORNER + 1))
        QWidget.update(self, border)  # only the border; the rows under it are left alone
        viewport = self.viewport()
        chosen = {index.row() for index in self.selectionModel().selectedIndexes()}
        chosen.add(self.currentIndex().row())
        for row in chosen - {-1}:
            viewport.update(
                QRect(0, self.rowViewportPosition(row), viewport.width(), self.rowHeight(row))
            )

    def fit_columns(self) -> None:
        """Widen the SLA and Source columns to their widest text in the font in effect, so an
        overdue lead never reads "−12 …" and a source is never cut short; rows as high as the
        text needs at the text size in effect."""
        rows = self.verticalHeader()
        rows.setDefaultSectionSize(max(ROW_HEIGHT, QFontMetrics(self.font()).height() + 10))
        size = text_size_of()
        if size != self._widths_for:
            # Larger text needs wider columns, or every name ends in "…".
            self._widths_for = size
            for column, width in enumerate(WIDTHS):
                self.setColumnWidth(column, round(width * size / NORMAL_TEXT))
        bold = QFont(self.font())
        bold.setBold(True)
        for column, font, samples in (
            (SLA, bold, SLA_SAMPLES),
            (SOURCE, self.font(), SOURCE_SAMPLES),
        ):
            metrics = QFontMetrics(font)
            needed = max(metrics.horizontalAdvance(text) for text in samples) + SLA_PADDING
            if self.columnWidth(column) < needed:
                self.setColumnWidth(column, needed)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            row = self.currentIndex().data(ROW_ROLE)
            if isinstance(row, QueueRow):
                self.take.emit(row)
                return
        super().keyPressEvent(event)

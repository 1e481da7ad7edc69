"""A dialog whose long work the user may stop: closing it, or Esc, asks the work to stop
first, and the dialog stays to say how it ended, instead of vanishing with the work still
running unseen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QDialog


class StoppableDialog(QDialog):
    """Keeps its running work in ``_run`` (None when idle); its ``reject`` asks that work to
    stop (and closes the dialog when nothing runs)."""

    _run: object | None = None

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._run is not None:
            self.reject()
            event.ignore()
            return
        super().closeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self._run is not None:
            self.reject()
            return
        super().keyPressEvent(event)

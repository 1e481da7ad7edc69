"""A note in the middle of an empty list saying what to do next ("Import leads (Ctrl+I)"),
so a new user never faces a blank pane. It hides itself as soon as the list has a row."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel

MARGIN = 24  # px from the list's edges


class EmptyNote(QLabel):
    def __init__(self, view: QAbstractItemView, text: str = "") -> None:
        super().__init__(text, view.viewport())
        self.setObjectName("emptyNote")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._view = view
        view.viewport().installEventFilter(self)
        model = view.model()
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            signal.connect(self.follow)
        self.follow()

    def say(self, text: str) -> None:
        self.setText(text)
        self.follow()

    def follow(self) -> None:
        """Shown while the list is empty and there is something to say."""
        empty = self._view.model().rowCount() == 0
        self.setVisible(empty and bool(self.text()))
        self._fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._fit()
        return False

    def _fit(self) -> None:
        area = self._view.viewport().rect()
        self.setGeometry(area.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN))

"""The window's right column (call panel and lead card): it scrolls down on a short screen,
never sideways, and is always as wide as what it shows at its narrowest.

Its width cannot be fixed once when the window opens: the call panel's buttons change with the
call (Hang up comes in mid-call), and a width fixed before that cut the timer and "Put back"
off at the column's right edge.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget


class SideColumn(QScrollArea):
    def __init__(self, content: QWidget) -> None:
        super().__init__()
        self.setWidget(content)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to what is in it
        content.installEventFilter(self)

    def minimumSizeHint(self) -> QSize:
        content = self.widget()
        hint = super().minimumSizeHint()
        if content is None:
            return hint
        # Room for the vertical scroll bar too: on a short screen it takes its width from
        # the content's, and the content would be cut by that much.
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(content.minimumSizeHint().width() + bar, hint.height())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # the content's narrowest may have changed
        return super().eventFilter(watched, event)

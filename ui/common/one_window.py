"""One window per person per store: claim it when the window opens (asking before taking over
another), keep it with a heartbeat, and say so on screen once another window took it."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QVBoxLayout, QWidget

from leaddesk.desk import HEARTBEAT, Desk, WindowTaken, WindowTakenOver
from leaddesk.errors import LeadDeskError
from ui.common import dialogs
from ui.common.operations import Operations


def claim_window(desk: Desk, parent: QWidget | None = None) -> bool:
    """Hold the person's window on this store; when another window of theirs is open, ask
    whether to take over from it. False when they chose not to (close this desk then)."""
    try:
        desk.people.claim_window()
    except WindowTaken as taken:
        question = (
            f"{taken.message}\n\nTake over here? The other window stops saving anything and "
            "says so."
        )
        if not dialogs.ask(parent, "LeadDesk — already open", question):
            return False
        desk.people.claim_window(take_over=True)
    return True


class WindowKeeper(QObject):
    """Beats for the window's lease on the worker; ``taken_over`` (with the words to show) once
    the heartbeat or any write finds another window holds it."""

    taken_over = Signal(str)

    def __init__(self, desk: Desk, ops: Operations, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.ops = ops
        self.stopped = False
        self.timer = QTimer(self)
        self.timer.setInterval(int(HEARTBEAT.total_seconds() * 1000))
        self.timer.timeout.connect(self.beat)
        ops.refused.connect(self._refused)

    def start(self) -> None:
        self.timer.start()

    def beat(self) -> None:
        if not self.stopped:
            self.ops.run(self.desk.people.keep_window, failed=self._refused)

    def _refused(self, error: LeadDeskError) -> None:
        # Anything else (the store busy a moment) waits for the next beat.
        if isinstance(error, WindowTakenOver) and not self.stopped:
            self.stopped = True
            self.timer.stop()
            self.taken_over.emit(error.message)


def show_taken_over(window: QMainWindow, text: str) -> QLabel:
    """A banner across the top of the window (above whatever it shows): it was taken over,
    close it."""
    banner = QLabel(text)
    banner.setObjectName("takenOverText")
    banner.setWordWrap(True)
    banner.setStyleSheet(
        "QLabel { background: #b3261e; color: white; font-weight: 600; padding: 8px 12px; }"
    )
    body = window.takeCentralWidget()
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(0)
    column.addWidget(banner)
    if body is not None:
        column.addWidget(body, 1)
    window.setCentralWidget(holder)
    if body is not None:
        body.show()  # moved while the window is on screen: shown again explicitly
    holder.show()
    window.setWindowTitle(f"{window.windowTitle()} — taken over")
    return banner

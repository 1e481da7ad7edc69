"""The status bar's word on the sync: "3 hand-offs waiting to sync", "All hand-offs synced to
Salesforce", or why nothing can go."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from leaddesk.desk import Desk


class SyncStatusLine(QLabel):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.setObjectName("syncStatus")
        self.setContentsMargins(16, 0, 4, 0)  # apart from the day's figures beside it
        self.setAccessibleName("Sync to sales' CRM")
        self.setToolTip("Hand-offs are sent to sales' CRM as they happen (leaddesk sync status)")

    def show_line(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))

    def look(self) -> None:
        """Read the outbox now (on opening, before the first run ends)."""
        self.show_line(self.desk.sync.status().line)

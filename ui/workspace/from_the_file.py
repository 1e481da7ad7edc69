"""The lead card's "File" tab: what the import file brought beyond the lead's fields (other
numbers, the CRM's record id, the extra columns, values as typed, an assumed country)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from leaddesk.desk import LeadFile

TITLE = "File"  # a tab among five in a narrow column: what the import file brought
NOTHING = "Nothing beyond the fields above: the lead was not imported, or its row had no more."


class FromTheFile(QListWidget):
    """One line per kept value, "what: value", selectable to copy."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setAccessibleName("What the import kept from the file")
        self.setTextElideMode(Qt.TextElideMode.ElideNone)

    def show_file(self, lead: LeadFile) -> int:
        """Show ``lead``'s kept values; returns how many."""
        self.clear()
        for what, value in lead.from_the_file:
            item = QListWidgetItem(f"{what}: {value}")
            item.setToolTip(value)
            self.addItem(item)
        if not lead.from_the_file:
            self.addItem(NOTHING)
        return len(lead.from_the_file)

    def lines(self) -> list[str]:
        return [self.item(index).text() for index in range(self.count())]

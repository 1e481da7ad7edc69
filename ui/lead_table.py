"""A table model over the rep's open leads that fetches pages from the desk, never every row."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from leaddesk.leads import LeadSummary

PAGE = 100
Index = QModelIndex | QPersistentModelIndex
Fetch = Callable[[int, int], list[LeadSummary]]

COLUMNS: tuple[tuple[str, Callable[[LeadSummary], str]], ...] = (
    ("Person", lambda s: s.person),
    ("Company", lambda s: s.company or "—"),
    ("Source", lambda s: s.source.replace("_", " ")),
    ("Arrived", lambda s: _ago(s.arrived_at)),
    ("Stage", lambda s: s.stage.value.replace("_", " ")),
    ("Attempts", lambda s: str(s.attempts)),
)


def _ago(moment: datetime) -> str:
    minutes = int((datetime.now(UTC) - moment).total_seconds() // 60)
    if minutes < 60:
        return f"{max(minutes, 0)} min ago"
    if minutes < 48 * 60:
        return f"{minutes // 60} h ago"
    return f"{minutes // (60 * 24)} days ago"


class LeadTableModel(QAbstractTableModel):
    def __init__(self, fetch: Fetch, total: int) -> None:
        super().__init__()
        self._fetch = fetch
        self._total = total
        self._rows: list[LeadSummary] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        summary = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[index.column()][1](summary)
        if role == Qt.ItemDataRole.ToolTipRole:
            return summary.inquiry
        if role == Qt.ItemDataRole.UserRole:
            return summary.lead_id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section][0]
        return None

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid():
            return
        page = self._fetch(PAGE, len(self._rows))
        if not page:
            self._total = len(self._rows)
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def summary_at(self, row: int) -> LeadSummary | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

"""What a salesperson sees on signing in: the handed-off leads still waiting for their answer
(longest waiting first, escalated ones marked) and the way to record decisions.

Sales has no call queue; the loop closes here: accepted (with the CRM opportunity) or rejected
(with a reason), recorded from the decisions file.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from leaddesk.desk import Desk
from leaddesk.handoff import PendingReport
from ui.icons import icon
from ui.operations import Operations

COLUMNS = ("Lead", "Person", "Company", "Batch", "Qualified by", "Waiting", "")
ESCALATED = QColor("#c0392b")


class SalesHome(QWidget):
    record_requested = Signal()

    def __init__(self, desk: Desk, ops: Operations) -> None:
        super().__init__()
        self._desk = desk
        self._ops = ops
        self.report: PendingReport | None = None
        title = QLabel("WAITING FOR SALES")
        title.setObjectName("panelTitle")
        self.headline = QLabel("Reading the hand-offs…")
        self.headline.setObjectName("headline")
        self.headline.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.record_button = QPushButton(icon("feedback"), "Record sales' decisions…")
        self.record_button.setObjectName("primary")
        self.record_button.clicked.connect(self.record_requested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.record_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addWidget(title)
        layout.addWidget(self.headline)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        ops.changed.connect(self._changed)

    def refresh(self) -> None:
        desk = self._desk
        self._ops.run(desk.handoff_pending, done=self._show)

    def _changed(self, changes: frozenset[str]) -> None:
        if changes & {"queue", "status"}:
            self.refresh()

    def _show(self, report: PendingReport) -> None:
        self.report = report
        late = len(report.leads)
        self.headline.setText(
            f"<b>{late} handed-off lead{'s' if late != 1 else ''}</b> past the "
            f"{report.followup_hours:g} h follow-up window ({report.escalated} escalated after "
            f"{report.escalation_hours:g} h); {report.waiting_within_window} more still within "
            f"it. Answered so far: {report.accepted} accepted, {report.rejected} rejected."
            if late or report.waiting_within_window
            else "Nothing is waiting for sales. Every hand-off has its answer."
        )
        self.table.setRowCount(late)
        for row, lead in enumerate(report.leads):
            cells = (
                str(lead.lead_id),
                lead.name,
                lead.company or "",
                lead.batch,
                lead.qualified_by or "",
                f"{lead.hours_waiting:.0f} h",
                "escalated" if lead.level == "escalated" else "",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in (0, 5):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if column == 6 and text:
                    item.setForeground(QBrush(ESCALATED))
                self.table.setItem(row, column, item)

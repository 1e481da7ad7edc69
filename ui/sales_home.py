"""What a salesperson sees on signing in: the handed-off leads still waiting for their answer
(longest waiting first, escalated ones marked) and the way to record decisions.

Sales has no call queue; the loop closes here: accepted (with the CRM opportunity) or rejected
(with a reason), recorded from the decisions file.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from leaddesk.desk import Desk
from leaddesk.handoff import PendingReport
from ui.empty_note import EmptyNote
from ui.icons import icon
from ui.operations import Operations
from ui.text_tables import set_row, text_table
from ui.theme import colours

COLUMNS = ("Lead", "Person", "Company", "Batch", "Qualified by", "Waiting", "")
NUMBERS = (0, 5)


def waiting_words(hours: float) -> str:
    """How long a hand-off has waited: hours within two days, then days and hours
    ("53 d 18 h", not "1290 h")."""
    whole = int(hours)
    if whole < 48:
        return f"{whole} h"
    days, rest = divmod(whole, 24)
    return f"{days} d {rest} h" if rest else f"{days} d"


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
        self.table = text_table(COLUMNS, stretch=(1, 2), numbers=NUMBERS)
        self.note = EmptyNote(self.table)
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

    def changeEvent(self, event: QEvent) -> None:
        # View ▸ Look: draw the rows again in the new look's colours.
        if event.type() == QEvent.Type.StyleChange and self.report is not None:
            self._show(self.report)
        super().changeEvent(event)

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
            if report.accepted or report.rejected
            else "Nothing has been handed off to sales yet."
        )
        self.note.say(
            "Hand-offs show here when a rep exports them at the end of the day, and "
            "wait until you record sales' decisions."
            if not late
            else ""
        )
        self.table.setRowCount(late)
        escalated = colours().qcolor("breach")  # the look's red, readable on light and dark
        for row, lead in enumerate(report.leads):
            cells = (
                str(lead.lead_id),
                lead.name,
                lead.company or "",
                lead.batch,
                lead.qualified_by_name or lead.qualified_by or "",
                waiting_words(lead.hours_waiting),
                "escalated" if lead.level == "escalated" else "",
            )
            set_row(self.table, row, cells, numbers=NUMBERS, ink={6: escalated})

"""What a salesperson sees on signing in: every handed-off lead still waiting for their answer
(longest waiting first, late and escalated ones marked) and the ways to answer.

Sales has no call queue; the loop closes here: accepted (with the CRM opportunity) or rejected
(with a reason), one lead at a time (A, R) or many from the decisions file.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from leaddesk.desk import Desk
from leaddesk.handoff import PendingLead, PendingReport
from ui.icons import icon
from ui.operations import Operations
from ui.sales_answer import AnswerDialog
from ui.text_tables import set_row, text_table
from ui.theme import colours

COLUMNS = ("Lead", "Person", "Company", "Batch", "Qualified by", "Waiting", "")
LEVEL_WORDS = {"escalated": "escalated", "overdue": "late", "waiting": ""}
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
        self.table = text_table(COLUMNS, stretch=(1, 2), numbers=NUMBERS, single=True)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.answer(accept=True))
        self.accept_button = QPushButton("Accept…  A")
        self.accept_button.setObjectName("primary")
        self.accept_button.setToolTip("Accepted: record the opportunity it opened in your CRM")
        self.accept_button.clicked.connect(lambda: self.answer(accept=True))
        self.reject_button = QPushButton("Reject…  R")
        self.reject_button.setToolTip("Rejected: say why, so the qualifiers learn")
        self.reject_button.clicked.connect(lambda: self.answer(accept=False))
        self.record_button = QPushButton(icon("feedback"), "Record decisions from a file…")
        self.record_button.clicked.connect(self.record_requested)
        for key, accept in (("A", True), ("R", False)):
            action = QAction(self)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _=False, yes=accept: self.answer(accept=yes))
            self.addAction(action)
        buttons = QHBoxLayout()
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.reject_button)
        buttons.addStretch(1)
        buttons.addWidget(self.record_button)
        self._selection_changed()
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
        self._ops.run(lambda: desk.handoff_pending(everything=True), done=self._show)

    def selected(self) -> PendingLead | None:
        row = self.table.currentRow()
        if self.report is None or not 0 <= row < len(self.report.leads):
            return None
        return self.report.leads[row] if self.table.selectedItems() else None

    def answer(self, *, accept: bool) -> AnswerDialog | None:
        """Accept or reject the selected hand-off, in a small dialog."""
        lead = self.selected()
        if lead is None:
            return None
        dialog = AnswerDialog(self._desk, self._ops, lead, accept=accept, parent=self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _selection_changed(self) -> None:
        chosen = self.selected() is not None
        self.accept_button.setEnabled(chosen)
        self.reject_button.setEnabled(chosen)

    def _changed(self, changes: frozenset[str]) -> None:
        if changes & {"queue", "status"}:
            self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        # View ▸ Look: draw the rows again in the new look's colours.
        if event.type() == QEvent.Type.StyleChange and self.report is not None:
            self._show(self.report)
        super().changeEvent(event)

    def _show(self, report: PendingReport) -> None:
        chosen = self.selected()  # in the list shown until now
        self.report = report
        late = report.late
        self.headline.setText(
            f"<b>{late} handed-off lead{'s' if late != 1 else ''}</b> past the "
            f"{report.followup_hours:g} h follow-up window ({report.escalated} escalated after "
            f"{report.escalation_hours:g} h); {report.waiting_within_window} more still within "
            f"it. Answered so far: {report.accepted} accepted, {report.rejected} rejected. "
            "Pick one and press A to accept it or R to reject it."
            if report.leads
            else "Nothing is waiting for sales. Every hand-off has its answer."
        )
        self.table.setRowCount(len(report.leads))
        look = colours()  # the look's red and amber, readable on light and dark
        inks = {"escalated": look.qcolor("breach"), "overdue": look.qcolor("warn")}
        for row, lead in enumerate(report.leads):
            cells = (
                str(lead.lead_id),
                lead.name,
                lead.company or "",
                lead.batch,
                lead.qualified_by_name or lead.qualified_by or "",
                waiting_words(lead.hours_waiting),
                LEVEL_WORDS.get(lead.level, ""),
            )
            ink = inks.get(lead.level)
            set_row(self.table, row, cells, numbers=NUMBERS, ink={6: ink} if ink else None)
        # The row the salesperson was on stays chosen (or the next one, once it is answered).
        keep = [lead.lead_id for lead in report.leads]
        if chosen is not None and report.leads:
            at = keep.index(chosen.lead_id) if chosen.lead_id in keep else 0
            self.table.selectRow(min(at, len(keep) - 1))
        self._selection_changed()

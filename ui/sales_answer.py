"""Sales answers one hand-off in the window: accepted, with the opportunity it opened in the
CRM, or rejected with a reason. The same checks as a row of the decisions file (in the core);
a refusal is said in the dialog, so nothing typed is lost."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from leaddesk.desk import Desk
from leaddesk.errors import LeadDeskError
from leaddesk.handoff import PendingLead, RejectReason, decision_from_form
from ui.forms import error_line, keep_wrapped_lines, labelled, lines_high
from ui.operations import Operations

REASON_LABELS = {
    RejectReason.NO_BUDGET: "No budget",
    RejectReason.BAD_TIMING: "Bad timing",
    RejectReason.NOT_DECISION_MAKER: "Not the decision maker",
    RejectReason.ALREADY_CUSTOMER: "Already a customer",
    RejectReason.DUPLICATE: "Duplicate of a lead sales has",
    RejectReason.UNREACHABLE: "Could not reach them",
    RejectReason.OTHER: "Other (say why below)",
}


class AnswerDialog(QDialog):
    answered = Signal(int)  # the lead id, once the answer is stored

    def __init__(
        self,
        desk: Desk,
        ops: Operations,
        lead: PendingLead,
        *,
        accept: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self._ops = ops
        self.lead = lead
        self.accepting = accept
        who = f"{lead.name} ({lead.company})" if lead.company else lead.name
        self.setWindowTitle(f"{'Accept' if accept else 'Reject'} lead #{lead.lead_id}")
        self.setMinimumWidth(440)
        about = QLabel(
            f"<b>{who}</b><br>Qualified by {lead.qualified_by_name or lead.qualified_by or '—'}, "
            f"handed off in batch {lead.batch}."
        )
        about.setWordWrap(True)
        self.opportunity = QLineEdit()
        self.opportunity.setPlaceholderText("the id your CRM gave the opportunity")
        self.owner = QLineEdit(desk.actor.display_name)
        today = desk.clock().astimezone().date()
        self.created = QDateEdit(QDate(today.year, today.month, today.day))
        self.created.setMaximumDate(self.created.date())  # opened already, not in the future
        self.created.setCalendarPopup(True)
        self.created.setDisplayFormat("yyyy-MM-dd")
        self.reason = QComboBox()
        for reason, label in REASON_LABELS.items():
            self.reason.addItem(label, reason.value)
        self.comment = QPlainTextEdit()
        self.comment.setPlaceholderText(
            "For the qualifier: what you found" if accept else "Why, in a line: the team learns"
        )
        self.comment.setTabChangesFocus(True)
        self.comment.setFixedHeight(lines_high(self.comment, 3))
        self.error = error_line()
        form = QFormLayout()
        if accept:
            labelled(form, "&Opportunity id:", self.opportunity, "The id your CRM gave it")
            labelled(form, "O&wner:", self.owner, "Who owns the opportunity")
            labelled(form, "Created o&n:", self.created, "When the opportunity was opened")
        else:
            labelled(form, "&Reason:", self.reason, "Why sales rejects the lead")
        labelled(form, "&Comment:", self.comment, "For the qualifier who handed it off")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            "Accept lead" if accept else "Reject lead"
        )
        self.buttons.accepted.connect(self.record)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        keep_wrapped_lines(self)
        (self.opportunity if accept else self.reason).setFocus()

    def form(self) -> dict[str, str]:
        values = {
            "lead_id": str(self.lead.lead_id),
            "decision": "accepted" if self.accepting else "rejected",
            "comment": self.comment.toPlainText(),
        }
        if self.accepting:
            created: date = self.created.date().toPython()  # type: ignore[assignment]
            values.update(
                opportunity_id=self.opportunity.text(),
                owner=self.owner.text(),
                date=created.isoformat(),
            )
        else:
            values["reason"] = str(self.reason.currentData())
        return values

    def record(self) -> None:
        try:
            decision = decision_from_form(self.form())
        except LeadDeskError as error:
            self._refused(error)
            return
        desk = self._desk
        self.buttons.setEnabled(False)
        self._ops.run(
            lambda: desk.record_sales_decision(decision),
            done=lambda _changed: self._recorded(),
            failed=self._refused,
            changes={"queue", "status"},
        )

    def _recorded(self) -> None:
        self.buttons.setEnabled(True)
        self.answered.emit(self.lead.lead_id)
        self.accept()

    def _refused(self, error: LeadDeskError) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(error.message)
        self.error.show()
        self.adjustSize()
        if error.message.startswith("opportunity id"):
            self.opportunity.setFocus()

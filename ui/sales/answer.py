"""Sales answers one hand-off in the window: accepted, with the opportunity it opened in the
CRM, or rejected with a reason. The same checks as a row of the decisions file (in the core);
a refusal is said in the dialog, so nothing typed is lost."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from leaddesk.desk import Desk, PendingLead, decision_from_form
from leaddesk.errors import LeadDeskError
from ui.common.core_form import CoreForm
from ui.common.forms import labelled, lines_high
from ui.common.operations import Operations


class AnswerDialog(CoreForm):
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
        who = f"{lead.name} ({lead.company})" if lead.company else lead.name
        super().__init__(
            ops,
            f"{'Accept' if accept else 'Reject'} lead #{lead.lead_id}",
            f"<b>{who}</b><br>Qualified by {lead.qualified_by_name or lead.qualified_by or '—'}, "
            + (
                f"handed off in batch {lead.batch}."
                if lead.batch
                else "routed to you; not exported yet: your answer hands it off now."
            ),
            "Accept lead" if accept else "Reject lead",
            parent,
        )
        self.intro.setObjectName("")  # the lead it is about, in the text's own colour
        self._desk = desk
        self.lead = lead
        self.accepting = accept
        self.setMinimumWidth(440)
        self.opportunity = QLineEdit()
        self.opportunity.setPlaceholderText("the id your CRM gave the opportunity")
        self.owner = QLineEdit(desk.actor.display_name)
        today = desk.clock().astimezone().date()
        self.created = QDateEdit(QDate(today.year, today.month, today.day))
        self.created.setMaximumDate(self.created.date())  # opened already, not in the future
        self.created.setCalendarPopup(True)
        self.created.setDisplayFormat("yyyy-MM-dd")
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("optional, e.g. 12,500")
        self.reason = QComboBox()
        # The team's reasons, from the published lead definition.
        for reason in desk.handoff.reject_reasons():
            self.reason.addItem(reason.label, reason.key)
            self.reason.setItemData(
                self.reason.count() - 1,
                f"The lead goes {reason.route.said}",
                Qt.ItemDataRole.ToolTipRole,
            )
        self.comment = QPlainTextEdit()
        self.comment.setPlaceholderText(
            "For the qualifier: what you found" if accept else "Why, in a line: the team learns"
        )
        self.comment.setTabChangesFocus(True)
        self.comment.setFixedHeight(lines_high(self.comment, 3))
        form = self.form
        if accept:
            labelled(form, "&Opportunity id:", self.opportunity, "The id your CRM gave it")
            labelled(form, "O&wner:", self.owner, "Who owns the opportunity")
            labelled(form, "Created o&n:", self.created, "When the opportunity was opened")
            labelled(form, "A&mount:", self.amount, "What the opportunity is worth")
        else:
            labelled(form, "&Reason:", self.reason, "Why sales rejects the lead")
        labelled(form, "&Comment:", self.comment, "For the qualifier who handed it off")
        self.buttons.accepted.connect(self.record)
        self.fields = {
            "opportunity_id": self.opportunity,
            "owner": self.owner,
            "date": self.created,
            "amount": self.amount,
            "reason": self.reason,
            "comment": self.comment,
        }
        self.lay_out()
        (self.opportunity if accept else self.reason).setFocus()

    def values(self) -> dict[str, str]:
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
                amount=self.amount.text(),
            )
        else:
            values["reason"] = str(self.reason.currentData())
        return values

    def record(self) -> None:
        try:
            decision = decision_from_form(self.values())
        except LeadDeskError as error:
            self._refused(error)
            return
        desk, lead_id = self._desk, self.lead.lead_id
        self.send(
            lambda: desk.handoff.record_decision(decision),
            lambda _changed: self.answered.emit(lead_id),
            {"queue", "status"},
        )

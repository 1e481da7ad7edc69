"""Reopen… on a closed lead's card (team leads): why, and who works it now.

The core withdraws the verdict and opens the lead, due now; a refusal (the lead is with
sales, the person may not be called) is said in the dialog, nothing typed lost.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from leaddesk.desk import Desk
from leaddesk.domain import Role
from leaddesk.errors import LeadDeskError
from leaddesk.lead_file import LeadFile
from leaddesk.team.moves import POOL
from leaddesk.team.reopen import KEEP, Reopened
from ui.forms import error_line, keep_wrapped_lines, labelled, say_refusal
from ui.operations import Operations


class ReopenDialog(QDialog):
    reopened = Signal(object)  # Reopened

    def __init__(
        self, desk: Desk, ops: Operations, lead: LeadFile, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self._ops = ops
        self.lead_id = lead.lead_id
        self.setWindowTitle("Reopen lead")
        self.setMinimumWidth(460)
        intro = QLabel(
            f"{lead.person}: closed as {lead.stage.value.replace('_', ' ')}. Reopening "
            "withdraws its verdict (the timeline keeps it) and puts the lead back in a queue, "
            "due now."
        )
        intro.setWordWrap(True)
        intro.setObjectName("muted")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("e.g. their colleague confirmed the project")
        self.owner = QComboBox()
        keeper = lead.assigned_to or "the open pool"
        self.owner.addItem(f"{keeper} (who had it)", KEEP)
        for user in desk.users():
            takes_leads = user.active and user.role in (Role.QUALIFIER, Role.TEAM_LEAD)
            if takes_leads and (user.display_name or user.name) != lead.assigned_to:
                self.owner.addItem(user.display_name or user.name, user.name)
        if lead.assigned_to is not None:
            self.owner.addItem("The open pool", POOL)
        self.error = error_line()
        form = QFormLayout()
        labelled(form, "&Reason:", self.reason, "Why the lead is reopened: the rep reads it")
        labelled(form, "&Give it to:", self.owner, "Who works the lead now")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Reopen")
        self.buttons.accepted.connect(self.reopen)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        keep_wrapped_lines(self)
        self.reason.setFocus()

    def reopen(self) -> None:
        desk, lead_id = self._desk, self.lead_id
        reason, to_user = self.reason.text(), str(self.owner.currentData())
        self.buttons.setEnabled(False)
        self._ops.run(
            lambda: desk.reopen_lead(lead_id, reason, to_user=to_user),
            done=self._reopened,
            failed=self._refused,
            changes={"lead", "queue", "team"},
        )

    def _reopened(self, reopened: Reopened) -> None:
        self.buttons.setEnabled(True)
        self.reopened.emit(reopened)
        self.accept()

    def _refused(self, error: LeadDeskError) -> None:
        self.buttons.setEnabled(True)
        say_refusal(self, self.error, error.message, {"reason": self.reason})

"""Reopen… on a closed lead's card (team leads): why, and who works it now.

The core withdraws the verdict and opens the lead, due now; a refusal (the lead is with
sales, the person may not be called) is said in the dialog, nothing typed lost.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from leaddesk.desk import KEEP, POOL, Desk, LeadFile
from leaddesk.domain import Role
from ui.common.core_form import CoreForm
from ui.common.forms import labelled
from ui.common.operations import Operations


class ReopenDialog(CoreForm):
    reopened = Signal(object)  # Reopened

    def __init__(
        self, desk: Desk, ops: Operations, lead: LeadFile, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            ops,
            "Reopen lead",
            f"{lead.person}: closed as {lead.stage_label}. Reopening "
            "withdraws its verdict (the timeline keeps it) and puts the lead back in a queue, "
            "due now.",
            "Reopen",
            parent,
        )
        self._desk = desk
        self.lead_id = lead.lead_id
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("e.g. their colleague confirmed the project")
        self.owner = QComboBox()
        keeper = lead.assigned_to or "the open pool"
        self.owner.addItem(f"{keeper} (who had it)", KEEP)
        for user in desk.people.users():
            takes_leads = user.active and user.role in (Role.QUALIFIER, Role.TEAM_LEAD)
            if takes_leads and (user.display_name or user.name) != lead.assigned_to:
                self.owner.addItem(user.display_name or user.name, user.name)
        if lead.assigned_to is not None:
            self.owner.addItem("The open pool", POOL)
        labelled(self.form, "&Reason:", self.reason, "Why the lead is reopened: the rep reads it")
        labelled(self.form, "&Give it to:", self.owner, "Who works the lead now")
        self.buttons.accepted.connect(self.reopen)
        self.fields = {"reason": self.reason}
        self.lay_out()
        self.reason.setFocus()

    def reopen(self) -> None:
        desk, lead_id = self._desk, self.lead_id
        reason, to_user = self.reason.text(), str(self.owner.currentData())
        self.send(
            lambda: desk.team.reopen(lead_id, reason, to_user=to_user),
            self.reopened.emit,
            {"lead", "queue", "team"},
        )

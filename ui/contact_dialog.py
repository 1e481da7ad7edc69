"""Call ▸ Correct contact details… (F2): the person on the line spells their name, gives their
mobile or their work address.

The form starts from what is on file; Save sends only what the rep changed, and the core
cleans and checks it (a refusal is said inside the dialog, the field it names focused, nothing
typed lost). The lead card, the timeline and the number on the call panel follow the change.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from leaddesk.contact_details import WORDS, ContactChanged, ContactDetails
from leaddesk.desk import Desk
from leaddesk.errors import LeadDeskError
from leaddesk.lead_file import LeadFile
from ui.forms import error_line, keep_wrapped_lines, labelled, say_refusal
from ui.operations import Operations


class ContactDialog(QDialog):
    saved = Signal(object)  # ContactChanged

    def __init__(
        self, desk: Desk, ops: Operations, lead: LeadFile, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self._ops = ops
        self.lead_id = lead.lead_id
        self.setWindowTitle("Correct contact details")
        self.setMinimumWidth(460)
        intro = QLabel(
            f"{lead.person or 'This person'}, as on file. Change what they told you; "
            "the lead's timeline keeps the old details."
        )
        intro.setWordWrap(True)
        intro.setObjectName("muted")
        self.first_name = QLineEdit(lead.first_name)
        self.last_name = QLineEdit(lead.last_name)
        self.title = QLineEdit(lead.title or "")
        self.email = QLineEdit(lead.email or "")
        self.phone = QLineEdit(lead.phone_raw or lead.phone or lead.phone_as_typed or "")
        self.phone.setPlaceholderText("any format; +country code if abroad")
        self._on_file = self.details()
        if not lead.phone:
            # The typed number is not on file (it could not be read): saving it means to fix it.
            self._on_file = ContactDetails(**{**self._on_file.given(), "phone": ""})
        self.error = error_line()

        form = QFormLayout()
        labelled(form, "&First name:", self.first_name)
        labelled(form, "&Last name:", self.last_name)
        labelled(form, "&Job title:", self.title)
        labelled(form, "&Email:", self.email)
        labelled(form, "&Phone:", self.phone)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._fields = {
            WORDS["first_name"]: self.first_name,
            WORDS["last_name"]: self.last_name,
            WORDS["title"]: self.title,
            WORDS["email"]: self.email,
            WORDS["phone"]: self.phone,
        }
        keep_wrapped_lines(self)
        self.phone.setFocus()  # the usual correction: "call my mobile instead"
        self.phone.selectAll()

    def details(self) -> ContactDetails:
        return ContactDetails(
            first_name=self.first_name.text(),
            last_name=self.last_name.text(),
            title=self.title.text(),
            email=self.email.text(),
            phone=self.phone.text(),
        )

    def save(self) -> None:
        typed, on_file = self.details().given(), self._on_file.given()
        # Only what the rep changed: a number on file in an odd format is not re-cleaned.
        changed = ContactDetails(**{k: v for k, v in typed.items() if v != on_file.get(k)})
        if not changed.given():
            self.reject()
            return
        desk, lead_id = self._desk, self.lead_id
        self.buttons.setEnabled(False)
        self._ops.run(
            lambda: desk.change_contact(lead_id, changed),
            done=self._saved,
            failed=self._refused,
            changes={"lead", "queue"},
        )

    def _saved(self, changed: ContactChanged) -> None:
        self.buttons.setEnabled(True)
        self.saved.emit(changed)
        self.accept()

    def _refused(self, error: LeadDeskError) -> None:
        self.buttons.setEnabled(True)
        say_refusal(self, self.error, error.message, self._fields)

"""Call ▸ Correct contact details… (F2): the person on the line spells their name, gives their
mobile, direct line or work address.

The form starts from what is on file; Save sends only what the rep changed, and the core
cleans and checks it (a refusal is said inside the dialog, the field it names focused, nothing
typed lost). The lead card, the timeline and the number on the call panel follow the change.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit, QWidget

from leaddesk.desk import ContactDetails, Desk, LeadFile
from ui.common.core_form import CoreForm
from ui.common.forms import labelled
from ui.common.operations import Operations


class ContactDialog(CoreForm):
    saved = Signal(object)  # ContactChanged

    def __init__(
        self, desk: Desk, ops: Operations, lead: LeadFile, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            ops,
            "Correct contact details",
            f"{lead.person or 'This person'}, as on file. Change what they told you; "
            "the lead's timeline keeps the old details.",
            "Save",
            parent,
            ok_button=QDialogButtonBox.StandardButton.Save,
        )
        self._desk = desk
        self.lead_id = lead.lead_id
        self.first_name = QLineEdit(lead.first_name)
        self.last_name = QLineEdit(lead.last_name)
        self.title = QLineEdit(lead.title or "")
        self.email = QLineEdit(lead.email or "")
        self.phone = QLineEdit(lead.phone_raw or lead.phone or lead.phone_as_typed or "")
        where = f"as dialled in {lead.country}" if lead.country else "any format"
        self.phone.setPlaceholderText(f"{where}; +country code if from elsewhere")
        self.mobile = QLineEdit(lead.mobile or "")
        self.mobile.setPlaceholderText(self.phone.placeholderText())
        self.direct_line = QLineEdit(lead.direct_line or "")
        self.direct_line.setPlaceholderText(self.phone.placeholderText())
        self._on_file = self.details()
        if not lead.phone:
            # The typed number is not on file (it could not be read): saving it means to fix it.
            self._on_file = ContactDetails(**{**self._on_file.given(), "phone": ""})
        labelled(self.form, "&First name:", self.first_name)
        labelled(self.form, "&Last name:", self.last_name)
        labelled(self.form, "&Job title:", self.title)
        labelled(self.form, "&Email:", self.email)
        labelled(self.form, "&Phone:", self.phone)
        labelled(self.form, "&Mobile:", self.mobile)
        labelled(self.form, "&Direct line:", self.direct_line)
        self.buttons.accepted.connect(self.save)
        self.fields = {
            "first_name": self.first_name,
            "last_name": self.last_name,
            "title": self.title,
            "email": self.email,
            "phone": self.phone,
            "mobile": self.mobile,
            "direct_line": self.direct_line,
        }
        self.lay_out()
        self.phone.setFocus()  # the usual correction: "call my mobile instead"
        self.phone.selectAll()

    def details(self) -> ContactDetails:
        return ContactDetails(
            first_name=self.first_name.text(),
            last_name=self.last_name.text(),
            title=self.title.text(),
            email=self.email.text(),
            phone=self.phone.text(),
            mobile=self.mobile.text(),
            direct_line=self.direct_line.text(),
        )

    def save(self) -> None:
        typed, on_file = self.details().given(), self._on_file.given()
        # Only what the rep changed: a number on file in an odd format is not re-cleaned.
        changed = ContactDetails(**{k: v for k, v in typed.items() if v != on_file.get(k)})
        if not changed.given():
            self.reject()
            return
        desk, lead_id = self._desk, self.lead_id
        self.send(
            lambda: desk.calls.change_contact(lead_id, changed), self.saved.emit, {"lead", "queue"}
        )

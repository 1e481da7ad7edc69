"""Choosing who works at this desk: pick a profile, or create the first one."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from leaddesk.users import UserInfo


class SignInDialog(QDialog):
    """Lists the active profiles; with none yet, asks for a name to create a qualifier."""

    def __init__(self, users: list[UserInfo]) -> None:
        super().__init__()
        self.setWindowTitle("LeadDesk — sign in")
        self.setMinimumWidth(380)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.users = QComboBox()
        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText("e.g. anna")
        active = [u for u in users if u.active]
        if active:
            layout.addWidget(QLabel("Who is working today?"))
            for user in active:
                role = user.role.value.replace("_", " ")
                self.users.addItem(f"{user.display_name} ({role})", user.name)
            form.addRow("Profile:", self.users)
        else:
            layout.addWidget(QLabel("Welcome to LeadDesk. Create your profile to start."))
            form.addRow("Your name:", self.new_name)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.creating = not active

    def chosen_name(self) -> str:
        if self.creating:
            return self.new_name.text().strip().lower()
        return str(self.users.currentData())

"""Choosing who works at this desk: pick a profile (with a password on a store that has them),
or create the first one."""

from __future__ import annotations

import re

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from leaddesk.desk import NO_PASSWORDS_NOTE, UserInfo
from leaddesk.domain import Role

# The first profile on a new store: a rep, or a team lead (who also calls, and can add the
# rest of the team from the team console).
FIRST_ROLES = (
    (Role.QUALIFIER, "Qualifier: I call and qualify leads"),
    (Role.TEAM_LEAD, "Team lead: I also add my team and share out leads"),
)


class SignInDialog(QDialog):
    """Lists the active profiles; with none yet, asks for a name to create a qualifier.

    ``passwords``: the store asks for each user's password (a field, and a box to remember it
    in the system keyring when ``can_remember``). Without passwords on a store several people
    share, a note says that anyone can pick any name.
    """

    def __init__(
        self,
        users: list[UserInfo],
        last: str = "",
        *,
        passwords: bool = False,
        can_remember: bool = False,
        problem: str = "",
    ) -> None:
        super().__init__()
        self.setWindowTitle("LeadDesk — sign in")
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("your LeadDesk password")
        self.remember = QCheckBox("Remember on this computer (system keyring)")
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.problem = QLabel(problem)
        self.problem.setWordWrap(True)
        self.problem.setObjectName("signInProblem")
        self.problem.setStyleSheet("color: #b3261e; font-weight: 600;")
        self.users = QComboBox()
        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText("e.g. Anna Berg")
        self.role = QComboBox()
        for first_role, words in FIRST_ROLES:
            self.role.addItem(words, first_role.value)
        active = [u for u in users if u.active]
        if active:
            layout.addWidget(QLabel("Who is working today?"))
            for user in active:
                role = user.role.label
                self.users.addItem(f"{user.display_name} ({role})", user.name)
            if last:
                self.users.setCurrentIndex(max(0, self.users.findData(last)))
            form.addRow("Profile:", self.users)
            if passwords:
                form.addRow("Password:", self.password)
                if can_remember:
                    form.addRow("", self.remember)
            elif len(active) > 1:
                self.note.setText(NO_PASSWORDS_NOTE)
        else:
            welcome = QLabel(
                "Welcome to LeadDesk. Create your profile to start; it lives on this computer."
            )
            welcome.setWordWrap(True)
            layout.addWidget(welcome)
            form.addRow("Your name:", self.new_name)
            form.addRow("You are:", self.role)
        layout.addLayout(form)
        for label in (self.note, self.problem):
            if label.text():
                layout.addWidget(label)
        layout.addSpacing(6)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.creating = not active
        self.asks_password = passwords and not self.creating
        self.can_remember = self.asks_password and can_remember
        if self.asks_password:
            self.password.setFocus()
        if self.creating:
            ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
            ok.setText("Create profile")
            ok.setEnabled(False)
            self.new_name.textChanged.connect(lambda: ok.setEnabled(bool(self.chosen_name())))

    def chosen_role(self) -> Role:
        """The new profile's role (a qualifier unless the first user says otherwise)."""
        # Qt hands the item's data back as a plain string.
        return Role(self.role.currentData() or Role.QUALIFIER)

    def display_name(self) -> str:
        return " ".join(self.new_name.text().split()) or self.chosen_name()

    def chosen_name(self) -> str:
        """The profile's login name: the typed name lower-cased, words joined by dots."""
        if self.creating:
            words = re.findall(r"[a-z0-9]+", self.new_name.text().lower())
            return ".".join(words)[:64]
        return str(self.users.currentData())

    def typed_password(self) -> str:
        return self.password.text() if self.asks_password else ""

    def wants_remembered(self) -> bool:
        return self.can_remember and self.remember.isChecked()

"""The window's first start: where the leads live. A store of one's own on this computer, the
team's database (tried before it is kept), or a demo team to look around in.

Also the later starts on a team database: the remembered address, with the password from the
OS keyring or asked for. The modal questions sit behind ``ask_first_run`` and
``ask_password`` so tests answer them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from leaddesk.desk import ENV_URL, default_store_path
from leaddesk.desk.setting_up import team_connection
from leaddesk.errors import LeadDeskError
from leaddesk.settings import LAST_USER, TEAM_URL, Settings

OWN, TEAM, DEMO = 0, 1, 2
DEMO_LEADS = 2_000  # the CLI's demo size: a full queue, made in seconds
DEMO_USER = "rep1"


@dataclass(frozen=True)
class Start:
    """Where the window opens (None: the default store) and as whom (None: ask at sign-in)."""

    location: str | None
    as_user: str | None = None


def demo_store_path() -> Path:
    return default_store_path().with_name("demo.sqlite3")


class FirstRunDialog(QDialog):
    """Three choices; the team's shows its address, login and password fields."""

    def __init__(
        self,
        settings: Settings,
        *,
        team_url: str = "",
        problem: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.start: Start | None = None
        self._tried: tuple[str, str, str] | None = None
        self._found: team_connection.TeamLogin | None = None
        self.setWindowTitle("LeadDesk — where your leads live")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        welcome = QLabel("<b>Welcome to LeadDesk.</b> Where should your leads live?")
        layout.addWidget(welcome)

        self.choices = QButtonGroup(self)
        self.own = self._choice(
            layout,
            OWN,
            "&My own store",
            "A store on this computer, for you alone. It can become a team's later.",
        )
        self.team = self._choice(
            layout,
            TEAM,
            "&Connect to my team's database",
            "The address your team lead gave you, your login and your password.",
        )
        self.team_fields = QWidget()
        fields = QVBoxLayout(self.team_fields)
        fields.setContentsMargins(28, 0, 0, 8)
        form = QFormLayout()
        fields.addLayout(form)
        self.url = QLineEdit()
        self.url.setPlaceholderText("postgresql://you@db.example:5432/sales_team")
        self.login = QLineEdit()
        self.login.setPlaceholderText("your LeadDesk user name, e.g. anna")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("&Address:", self.url)
        form.addRow("&Login:", self.login)
        form.addRow("&Password:", self.password)
        test_row = QHBoxLayout()
        self.test_button = QPushButton("&Test connection")
        # The theme's padding would otherwise cut the label's last letter.
        self.test_button.setMinimumWidth(self.test_button.sizeHint().width() + 24)
        self.test_button.clicked.connect(self.test_connection)
        test_row.addWidget(self.test_button)
        test_row.addStretch(1)
        form.addRow("", test_row)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.hide()
        fields.addWidget(self.status)
        layout.addWidget(self.team_fields)
        can_demo = demo_store_path().exists() or _demo_available()
        self.demo = self._choice(
            layout,
            DEMO,
            "A &demo",
            f"A made-up team with {DEMO_LEADS:,} leads to try LeadDesk on; nothing in it is real."
            if can_demo
            else "Not in this copy of LeadDesk: the demo comes with pip install 'leaddesk[demo]'.",
        )
        self.demo.setEnabled(can_demo)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Start")
        self.buttons.accepted.connect(self.start_here)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.choices.idToggled.connect(lambda _id, _on: self._follow_choice())
        if team_url:
            found = team_connection.login_of(team_url)
            self.url.setText(team_url)
            self.url.setCursorPosition(0)
            self.login.setText(found[1] if found else "")
            self.team.setChecked(True)
            self._say(problem, ok=False)
        else:
            self.own.setChecked(True)
        self._follow_choice()
        self.adjustSize()

    def _choice(self, layout: QVBoxLayout, number: int, title: str, words: str) -> QRadioButton:
        button = QRadioButton(title)
        self.choices.addButton(button, number)
        layout.addWidget(button)
        hint = QLabel(words)  # one line each: wrapped labels make a dialog needlessly tall
        hint.setContentsMargins(28, 0, 0, 6)
        hint.setEnabled(False)  # drawn greyed: it explains, it is not a control
        layout.addWidget(hint)
        return button

    def _follow_choice(self) -> None:
        self.team_fields.setEnabled(self.choices.checkedId() == TEAM)

    def _say(self, text: str, *, ok: bool) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))
        self.adjustSize()
        self.status.setStyleSheet("" if ok else "color: #b3261e;")

    def _entered(self) -> tuple[str, str, str]:
        return self.url.text().strip(), self.login.text().strip(), self.password.text()

    def test_connection(self) -> bool:
        """Sign in with what is typed; say who that is, or what to fix."""
        url, login, password = self._entered()
        self._say("Connecting…", ok=True)
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            found = team_connection.try_login(url, login, password)
        except LeadDeskError as exc:
            self._tried = None
            self._say(exc.message, ok=False)
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        self._tried = self._entered()
        self._found = found
        role = found.role.label
        kept = (
            "Your password will be kept in this computer's keyring."
            if team_connection.keyring_available()
            else "This computer has no keyring, so LeadDesk will ask for your password at "
            "each start."
        )
        self._say(f"Connected: you are {found.display_name} ({role}). {kept}", ok=True)
        return True

    def start_here(self) -> None:
        chosen = self.choices.checkedId()
        if chosen == OWN:
            self.start = Start(None)
        elif chosen == DEMO:
            self.start = self._demo()
        else:
            if self._tried != self._entered() and not self.test_connection():
                return
            found = self._found
            assert found is not None
            password = self.password.text()
            self.settings[TEAM_URL] = found.remembered_url
            # Without a keyring it is asked at each start: never written to a file.
            team_connection.save_password(found.remembered_url, password)
            remembered = team_connection.team_url(found.remembered_url)
            self.start = Start(team_connection.with_password(remembered, password), found.name)
        if self.start is not None:
            self.accept()

    def _demo(self) -> Start | None:
        path = demo_store_path()
        if not path.exists():
            self._say("Making the demo team…", ok=True)
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                make_demo(path)
            except LeadDeskError as exc:
                QGuiApplication.restoreOverrideCursor()
                self._say(exc.message, ok=False)
                return None
            QGuiApplication.restoreOverrideCursor()
        if not self.settings[LAST_USER]:
            self.settings[LAST_USER] = DEMO_USER
        return Start(str(path))


def _demo_available() -> bool:
    from leaddesk.desk.setting_up import demo_available

    return demo_available()


def make_demo(path: Path) -> None:
    """The README's demo store, made once; a half-made one is removed."""
    from leaddesk.desk import setup_desk
    from leaddesk.desk.setting_up import fill_demo  # Faker is slow: only the demo needs it

    try:
        with setup_desk(path) as setup:
            fill_demo(setup.store, leads=DEMO_LEADS, now=setup.clock())
    except BaseException:
        for leftover in path.parent.glob(path.name + "*"):
            leftover.unlink(missing_ok=True)
        raise


def ask_first_run(settings: Settings, team_url: str = "", problem: str = "") -> Start | None:
    dialog = FirstRunDialog(settings, team_url=team_url, problem=problem)
    return dialog.start if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_password(address: str) -> str | None:
    """The team database password for ``address`` (never kept by this dialog)."""
    password, ok = QInputDialog.getText(
        None,
        "LeadDesk — team database",
        f"Your password for {address}:",
        QLineEdit.EchoMode.Password,
    )
    return password if ok and password else None


def _libpq_has_password() -> bool:
    """PostgreSQL's own ways to give a password without asking (PGPASSWORD, a .pgpass file)."""
    if os.environ.get("PGPASSWORD"):
        return True
    passfile = os.environ.get("PGPASSFILE") or str(Path.home() / ".pgpass")
    return Path(passfile).is_file()


def choose_store(db: str | None, as_user: str | None, settings: Settings) -> Start | None:
    """Where the window opens, asking what it must; None when the user cancelled."""
    given = db or os.environ.get(ENV_URL)
    if given:
        pasted = team_connection.login_of(given)
        if pasted is None or _libpq_has_password():
            return Start(db, as_user or (pasted[1] if pasted else None))
        url, login = pasted
        key = team_connection.remembered(url)
        password = team_connection.saved_password(key) or ask_password(key.split("?")[0])
        if password is None:
            return None
        return Start(team_connection.with_password(url, password), as_user or login)
    remembered = settings[TEAM_URL]
    if remembered:
        found = team_connection.login_of(remembered)
        if found is not None:
            url, login = found
            password = team_connection.saved_password(remembered)
            if password is None:
                password = ask_password(remembered.split("?")[0])
                if password is None:
                    return None
            try:
                team_connection.try_login(remembered, login, password)
            except LeadDeskError as exc:
                return ask_first_run(settings, remembered, exc.message)
            return Start(team_connection.with_password(url, password), as_user or login)
    if default_store_path().exists():
        return Start(None, as_user)
    return ask_first_run(settings)

"""The console's Users tab: add users, change role, capacity and territories, deactivate and
reactivate. A deactivated rep's open leads go back to the pool (the core does it)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from leaddesk.desk import QUEUE_ROLES, Desk, UserChange, UserInfo
from leaddesk.domain import Role
from ui.common import dialogs
from ui.common.forms import labelled
from ui.common.operations import Operations
from ui.console import dialogs as team_dialogs
from ui.console.dialogs import split_territories
from ui.console.leads import panel
from ui.console.models import ITEM_ROLE, role_words, row_table, user_model
from ui.console.moves import MOVED, plural

USERS = frozenset({"users"})


class UsersTab(QWidget):
    changed_user = Signal(object)  # UserChange

    def __init__(self, desk: Desk, ops: Operations, say: Callable[[str], None]) -> None:
        super().__init__()
        self._desk = desk
        self._ops = ops
        self._say = say
        self.model = user_model()
        self.table = row_table(self.model, single=True)
        self.table.setAccessibleName("Users")
        # A team's users fit their longest name (never cut short); the status takes the rest.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self._admin = desk.actor.role is Role.ADMIN
        self.add_button = QPushButton("Add user…")
        top = QHBoxLayout()
        title = QLabel("USERS")
        title.setObjectName("panelTitle")
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.add_button)
        left = QVBoxLayout()
        left.addLayout(top)
        left.addWidget(self.table, 1)

        edit, column = panel("Selected user")
        self.who = QLabel("Pick a user in the list.")
        self.who.setObjectName("sectionTitle")
        self.who.setWordWrap(True)
        self.display_name = QLineEdit()
        self.display_name.setPlaceholderText("the name the team sees")
        self.display_name.setMaxLength(128)
        self.role = QComboBox()
        for role in Role:
            self.role.addItem(role_words(role.value).capitalize(), role.value)
        choices = self.role.model()
        if not self._admin and isinstance(choices, QStandardItemModel):
            # Shown on an admin's row, never offered: only admins make admins.
            choices.item(self.role.findData(Role.ADMIN.value)).setEnabled(False)
        self.capacity = QSpinBox()
        self.capacity.setRange(0, 10_000)
        self.capacity.setSuffix(" open leads")
        self.territories = QLineEdit()
        self.territories.setPlaceholderText("e.g. DE AT CH (empty: anywhere)")
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        labelled(form, "&Name", self.display_name, "The name the team sees")
        labelled(form, "&Role", self.role)
        labelled(form, "&Capacity", self.capacity, "How many open leads they hold at most")
        labelled(form, "&Territories", self.territories, "Country codes; empty: anywhere")
        self.save = QPushButton("Save changes")
        self.save.setObjectName("primary")
        self.deactivate = QPushButton("Deactivate…")
        self.reactivate = QPushButton("Reactivate")
        note = QLabel("A deactivated rep's open leads go back to the open pool.")
        note.setObjectName("help")
        note.setWordWrap(True)
        self.locked = QLabel("Only an admin can change an admin.")
        self.locked.setObjectName("help")
        self.locked.setWordWrap(True)
        self.locked.setVisible(False)
        column.addWidget(self.who)
        column.addWidget(self.locked)
        column.addLayout(form)
        column.addWidget(self.save)
        column.addSpacing(12)
        column.addWidget(self.deactivate)
        column.addWidget(self.reactivate)
        column.addWidget(note)
        column.addStretch(1)
        edit.setFixedWidth(330)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.setSpacing(10)
        layout.addLayout(left, 1)
        layout.addWidget(edit)

        self.add_button.clicked.connect(self.add_user)
        self.save.clicked.connect(self.save_changes)
        self.role.currentIndexChanged.connect(self._queue_fields)
        self.deactivate.clicked.connect(self.deactivate_selected)
        self.reactivate.clicked.connect(self.reactivate_selected)
        self.table.selectionModel().currentRowChanged.connect(self._picked)
        self._show_user(None)

    # -- showing ----------------------------------------------------------------------------------

    def set_users(self, users: list[UserInfo]) -> None:
        chosen = self.selected()
        self.model.set_items(users)
        if chosen is not None:
            self.select(chosen.name)
        else:
            self._show_user(None)

    def select(self, name: str) -> None:
        for row, user in enumerate(self.model.items):
            if user.name == name:
                self.table.selectRow(row)
                self._show_user(user)
                return

    def selected(self) -> UserInfo | None:
        index = self.table.currentIndex()
        user = index.data(ITEM_ROLE) if index.isValid() else None
        return user if isinstance(user, UserInfo) else None

    def _picked(self, current: QModelIndex, _previous: QModelIndex) -> None:
        user = current.data(ITEM_ROLE) if current.isValid() else None
        self._show_user(user if isinstance(user, UserInfo) else None)

    def _show_user(self, user: UserInfo | None) -> None:
        # A team lead sees an admin's row but may not change it: say so, offer nothing.
        locked = user is not None and user.role is Role.ADMIN and not self._admin
        editable = user is not None and not locked
        self.locked.setVisible(locked)
        for widget in (self.display_name, self.role, self.capacity, self.territories, self.save):
            widget.setEnabled(editable)
        self._queue_fields()
        self.deactivate.setEnabled(editable and user is not None and user.active)
        self.reactivate.setEnabled(editable and user is not None and not user.active)
        if user is None:
            self.who.setText("Pick a user in the list.")
            return
        status = "" if user.active else " — deactivated"
        self.who.setText(f"{user.display_name or user.name} ({user.name}){status}")
        self.display_name.setText(user.display_name or user.name)
        self.role.setCurrentIndex(max(0, self.role.findData(user.role.value)))
        self.capacity.setValue(user.capacity)
        self.territories.setText(" ".join(user.territories))

    def _queue_fields(self) -> None:
        """Capacity and territories are about a call queue: off for sales and admins."""
        user = self.selected()
        locked = user is not None and user.role is Role.ADMIN and not self._admin
        queue = Role(self.role.currentData()) in QUEUE_ROLES
        for widget in (self.capacity, self.territories):
            widget.setEnabled(user is not None and not locked and queue)

    # -- changing ---------------------------------------------------------------------------------

    def add_user(self) -> None:
        new = team_dialogs.ask_new_user(self, self._desk.actor.role is Role.ADMIN)
        if new is None:
            return
        desk = self._desk

        def added(user: UserInfo) -> None:
            self._tell(
                f"Added {user.display_name or user.name} ({role_words(user.role.value)}), "
                f"who signs in as {user.name}."
            )

        self._ops.run(
            lambda: desk.people.add(
                new.name,
                new.role,
                capacity=new.capacity,
                display_name=new.display_name or None,
                territories=new.territories,
            ),
            done=added,
            changes=USERS,
        )

    def save_changes(self) -> None:
        user = self.selected()
        if user is None:
            return
        role = Role(self.role.currentData())
        capacity = self.capacity.value()
        territories = split_territories(self.territories.text())
        shown = self.display_name.text()
        desk = self._desk
        self._ops.run(
            lambda: desk.people.change(
                user.name,
                role=role if role is not user.role else None,
                capacity=capacity,
                territories=territories,
                display_name=shown if shown.strip() != user.display_name else None,
            ),
            done=self._changed_user,
            changes=USERS | MOVED,
        )

    def deactivate_selected(self) -> None:
        user = self.selected()
        if user is None or not user.active:
            return
        if not dialogs.ask(
            self,
            "Deactivate user",
            f"Deactivate {user.display_name} ({user.name})? They can no longer sign in, and "
            "their open leads go back to the open pool.",
        ):
            return
        desk = self._desk
        self._ops.run(
            lambda: desk.people.deactivate(user.name),
            done=self._changed_user,
            changes=USERS | MOVED,
        )

    def reactivate_selected(self) -> None:
        user = self.selected()
        if user is None or user.active:
            return
        desk = self._desk
        self._ops.run(
            lambda: desk.people.reactivate(user.name), done=self._changed_user, changes=USERS
        )

    def _changed_user(self, change: UserChange) -> None:
        who = change.user.display_name or change.user.name
        if not change.changes:
            self._tell(f"{who}: nothing to change.")
        else:
            words = [f"{who}: {'; '.join(change.changes)}."]
            if change.returned_to_pool:
                words.append(
                    f"{plural(len(change.returned_to_pool), 'open lead')} back to the pool."
                )
            words.extend(change.warnings)
            self._tell(" ".join(words))
        self.changed_user.emit(change)

    def _tell(self, text: str) -> None:
        self._say(text)

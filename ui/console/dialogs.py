"""The team console's questions: a reason for a move, the preview to confirm, a new user.

Every modal question goes through a function here, so tests can answer for the team lead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from leaddesk.desk import DEFAULT_CAPACITY, PlannedMove
from leaddesk.domain import Role
from ui.console.models import moves_model, role_words, size_lead_columns

# The confirmation's room for the person's name, the scroll bar and the margins; its widest.
PERSON_ROOM = 260
WIDEST = 1280


class MoveChoice(Enum):
    APPLY = "apply"  # nobody is on a call with these leads
    AFTER_CALL = "after_call"  # leads on a call move when the call ends
    FORCE = "force"  # take them from the call now


@dataclass(frozen=True)
class MovesToConfirm:
    title: str
    summary: str
    moves: tuple[PlannedMove, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class NewUser:
    name: str
    display_name: str
    role: Role
    capacity: int
    territories: tuple[str, ...]


def ask_reason(parent: QWidget | None, title: str, prompt: str, default: str) -> str | None:
    """Why the leads move (kept in the audit trail); None if the team lead cancelled."""
    text, ok = QInputDialog.getText(parent, title, prompt, QLineEdit.EchoMode.Normal, default)
    if not ok:
        return None
    return text.strip() or default


def confirm_moves(parent: QWidget | None, request: MovesToConfirm) -> MoveChoice | None:
    dialog = ConfirmMovesDialog(request, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.choice


def ask_new_user(parent: QWidget | None, can_make_admins: bool) -> NewUser | None:
    dialog = NewUserDialog(can_make_admins, parent)
    return dialog.new_user() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_definition_file(parent: QWidget | None) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(
        parent, "Load a lead definition", "", "Lead definitions (*.toml);;All files (*)"
    )
    return Path(name) if name else None


def ask_note(parent: QWidget | None, version_hint: str) -> str | None:
    """An optional note for the published version; None if the team lead cancelled."""
    text, ok = QInputDialog.getText(
        parent, "Publish the lead definition", f"{version_hint}\nNote for the team (optional):"
    )
    return text.strip() if ok else None


class ConfirmMovesDialog(QDialog):
    """Who gets what, before anything is written; leads on a call get their own choice."""

    def __init__(self, request: MovesToConfirm, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(request.title)
        self.choice = MoveChoice.APPLY
        summary = QLabel(request.summary)
        summary.setWordWrap(True)
        summary.setObjectName("sectionTitle")
        self.model = moves_model()
        self.model.set_items(request.moves)
        table = QTableView()
        table.setModel(self.model)
        table.setAlternatingRowColors(True)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        table.verticalHeader().hide()
        size_lead_columns(table, self.model)
        # Long names widen the dialog rather than squeeze the person's name to nothing.
        others = sum(table.columnWidth(c) for c in range(self.model.columnCount()) if c != 1)
        self.resize(min(max(820, others + PERSON_ROOM), WIDEST), 480)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        for text in request.warnings:
            note = QLabel(f"⚠ {text}")
            note.setObjectName("badgeWarn")
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addWidget(table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        on_call = sum(1 for m in request.moves if m.on_call_with)
        if on_call:
            later = QPushButton(f"Move now, {on_call} on a call after the call")
            later.setObjectName("primary")
            force = QPushButton(f"Take all now (ends {on_call} call{'s' if on_call > 1 else ''})")
            buttons.addButton(later, QDialogButtonBox.ButtonRole.AcceptRole)
            buttons.addButton(force, QDialogButtonBox.ButtonRole.AcceptRole)
            later.clicked.connect(lambda: self._choose(MoveChoice.AFTER_CALL))
            force.clicked.connect(lambda: self._choose(MoveChoice.FORCE))
            later.setDefault(True)
        else:
            apply = QPushButton(
                f"Move {len(request.moves)} lead{'s' if len(request.moves) != 1 else ''}"
            )
            apply.setObjectName("primary")
            apply.setEnabled(bool(request.moves))
            buttons.addButton(apply, QDialogButtonBox.ButtonRole.AcceptRole)
            apply.clicked.connect(lambda: self._choose(MoveChoice.APPLY))
            apply.setDefault(True)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _choose(self, choice: MoveChoice) -> None:
        self.choice = choice
        self.accept()


class NewUserDialog(QDialog):
    def __init__(self, can_make_admins: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a user")
        self.setMinimumWidth(500)
        self.name = QLineEdit()
        self.name.setPlaceholderText("sign-in name, e.g. anna.berg")
        self.display_name = QLineEdit()
        self.display_name.setPlaceholderText("Anna Berg")
        self.role = QComboBox()
        for role in Role:
            if role is Role.ADMIN and not can_make_admins:
                continue
            self.role.addItem(role_words(role.value).capitalize(), role.value)
        self.capacity = QSpinBox()
        self.capacity.setRange(0, 10_000)
        self.capacity.setValue(DEFAULT_CAPACITY)
        self.capacity.setSuffix(" open leads")
        self.territories = QLineEdit()
        self.territories.setPlaceholderText("country codes, e.g. DE AT CH (empty: anywhere)")
        form = QFormLayout()
        form.addRow("Sign-in name", self.name)
        form.addRow("Full name", self.display_name)
        form.addRow("Role", self.role)
        form.addRow("Capacity", self.capacity)
        form.addRow("Territories", self.territories)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Add user")
        ok.setEnabled(False)
        self.name.textChanged.connect(lambda text: ok.setEnabled(bool(text.strip())))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def new_user(self) -> NewUser:
        return NewUser(
            name=self.name.text().strip().lower(),
            display_name=self.display_name.text().strip(),
            role=Role(self.role.currentData()),
            capacity=self.capacity.value(),
            territories=split_territories(self.territories.text()),
        )


def split_territories(text: str) -> tuple[str, ...]:
    return tuple(part for part in text.replace(",", " ").split() if part)


def moves_summary(moves: Sequence[PlannedMove]) -> str:
    """'Anna Berg 34, Tom Ode 40' — who receives how many, by the names the team knows."""
    counts: dict[int | None, int] = {}
    shown: dict[int | None, str] = {}
    for move in moves:
        counts[move.to_user_id] = counts.get(move.to_user_id, 0) + 1
        shown[move.to_user_id] = move.to_display_name or move.to_user or "open pool"
    order = sorted(counts, key=lambda user_id: (shown[user_id].casefold(), user_id or 0))
    return ", ".join(f"{shown[user_id]} {counts[user_id]}" for user_id in order)

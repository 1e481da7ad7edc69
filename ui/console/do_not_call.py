"""Team console ▸ Do not call (team leads and admins): the team's do-not-call list, with Add…,
Import… and Remove.

Everything happens in the core (``Desk.privacy.add_do_not_call`` and its siblings): adding flags
everyone with the number or email and holds their open leads; removing un-flags nobody.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from leaddesk.desk import Added, Desk, Entry, Removed
from leaddesk.errors import LeadDeskError
from ui.common import dialogs
from ui.common.operations import Operations
from ui.common.text_tables import filling, set_row, text_table

COLUMNS = ("Phone or email", "Reason", "Added by", "Added")
SHOWN = 2_000  # the newest entries shown; a registry scrub can hold far more
CHANGES = ("leads", "queue", "team")


class EntryDialog(QDialog):
    """A phone number or email, and why."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add to the do-not-call list")
        self.value = QLineEdit()
        self.value.setPlaceholderText("+1 212 555 0142 or name@example.com")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("e.g. opt-out email, asked on a call")
        form = QFormLayout()
        form.addRow("Phone or email:", self.value)
        form.addRow("Reason:", self.reason)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(500)


def ask_entry(parent: QWidget | None) -> tuple[str, str] | None:
    """(phone or email, reason); None if cancelled. Tests answer here."""
    dialog = EntryDialog(parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.value.text(), dialog.reason.text()


def ask_list_file(parent: QWidget | None) -> Path | None:
    """A CSV/XLSX file with a phone and/or email column; None if cancelled. Tests answer here."""
    chosen, _ = QFileDialog.getOpenFileName(
        parent, "Import a do-not-call list", "", "Lists (*.csv *.txt *.xlsx);;All files (*)"
    )
    return Path(chosen) if chosen else None


class DoNotCallTab(QWidget):
    def __init__(self, desk: Desk, ops: Operations, say: Callable[[str], None]) -> None:
        super().__init__()
        self._desk = desk
        self._ops = ops
        self._say = say
        self.entries: list[Entry] = []

        title = QLabel("DO NOT CALL")
        title.setObjectName("panelTitle")
        explained = QLabel(
            "Numbers and emails nobody may call: opt-outs, registry scrubs, suppression lists, "
            "people who asked on a call. Adding one takes everyone who has it out of every "
            "queue, and imports hold their leads. Removing one un-flags nobody. Erased people "
            "stay here as a digest only."
        )
        explained.setObjectName("muted")
        explained.setWordWrap(True)
        self.table = text_table(COLUMNS, stretch=(1,))
        self.table.setAccessibleName("Do-not-call list")
        self.table.itemSelectionChanged.connect(self._update)
        self.said = QLabel()
        self.said.setWordWrap(True)
        self.add_button = QPushButton("Add…")
        self.add_button.setObjectName("primary")
        self.add_button.clicked.connect(self.add)
        self.import_button = QPushButton("Import…")
        self.import_button.clicked.connect(self.import_file)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self.remove)
        row = QHBoxLayout()
        row.addWidget(self.said, 1)
        row.addWidget(self.remove_button)
        row.addWidget(self.import_button)
        row.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 8)
        layout.addWidget(title)
        layout.addWidget(explained)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self._update()
        self.load()

    def load(self) -> None:
        desk = self._desk
        self._ops.run(
            lambda: (desk.privacy.do_not_call_list(limit=SHOWN), desk.privacy.count_do_not_call()),
            done=self._show,
        )

    def _show(self, loaded: tuple[list[Entry], int]) -> None:
        entries, total = loaded
        self.entries = entries
        with filling(self.table, len(entries)):
            for number, entry in enumerate(entries):
                added = entry.added_at.astimezone().strftime("%d %b %Y %H:%M")
                cells = (entry.shown, entry.reason, entry.added_by or "", added)
                set_row(self.table, number, cells)
        if not entries:
            self.said.setText("The list is empty.")
        elif total > len(entries):
            self.said.setText(f"The newest {len(entries):,} of {total:,} entries.")
        else:
            self.said.setText(f"{total:,} entr{'y' if total == 1 else 'ies'}.")
        self._update()

    def _update(self) -> None:
        self.remove_button.setEnabled(self.chosen() is not None)

    def chosen(self) -> Entry | None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        if len(rows) != 1:
            return None
        (row,) = rows
        return self.entries[row] if row < len(self.entries) else None

    def add(self) -> None:
        answer = ask_entry(self)
        if answer is None:
            return
        value, reason = answer
        desk = self._desk
        self._ops.run(
            lambda: desk.privacy.add_do_not_call(value, reason),
            done=self._added,
            failed=self._failed,
            changes=CHANGES,
        )

    def import_file(self) -> None:
        path = ask_list_file(self)
        if path is None:
            return
        desk = self._desk
        self.said.setText(f"Reading {path.name}…")
        self._ops.run(
            lambda: desk.privacy.import_do_not_call(path),
            done=lambda added: self._imported(path, added),
            failed=self._failed,
            changes=CHANGES,
        )

    def remove(self) -> None:
        entry = self.chosen()
        if entry is None:
            return
        if not dialogs.ask(
            self,
            "Remove from the do-not-call list",
            f"Take {entry.shown} off the do-not-call list?\n\nPeople already flagged "
            "do-not-call stay flagged, and their held leads stay held.",
        ):
            return
        desk = self._desk
        self._ops.run(
            lambda: desk.privacy.remove_do_not_call(entry.id),
            done=self._removed,
            failed=self._failed,
            changes=CHANGES,
        )

    def _added(self, added: Added) -> None:
        self._tell(added.message())

    def _imported(self, path: Path, added: Added) -> None:
        self._tell(
            f"{path.name}: {added.added:,} new, {added.already:,} already on the list; "
            f"{added.people:,} flagged do-not-call, {added.leads_held:,} open lead(s) held."
        )

    def _removed(self, removed: Removed) -> None:
        self._tell(removed.message())

    def _tell(self, text: str) -> None:
        self._say(text)
        self.load()

    def _failed(self, error: LeadDeskError) -> None:
        self.load()
        dialogs.warn(self, error.message)

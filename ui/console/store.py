"""Team console ▸ Store (admins): where the store is, the backups taken of it, and "Back up
now", which runs off the GUI thread with a progress bar while everyone keeps working.

The backup itself is the core's (``desk.admin.take_backup``): one snapshot, one file, written
under a temporary name and renamed into place. Restoring goes into a new store that nobody has
open: File ▸ Restore a backup… (``ui.start.restore``) or ``leaddesk restore``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from leaddesk.desk import BackupSummary, BackupTaken, Desk, default_backup_folder
from leaddesk.errors import LeadDeskError
from ui.common import dialogs
from ui.common.operations import Operations
from ui.common.text_tables import filling, set_row, text_table

COLUMNS = ("Taken", "By", "File", "Rows", "Size")
NUMBERS = (3, 4)


def choose_backup_folder(parent: QWidget, suggested: Path) -> Path | None:
    """The folder a backup goes to; None if the admin cancelled. Tests answer here."""
    chosen = QFileDialog.getExistingDirectory(parent, "Save the backup in", str(suggested))
    return Path(chosen) if chosen else None


def size_text(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1e6:.1f} MB"
    return f"{max(1, round(size / 1000))} kB"


class _Progress(QObject):
    moved = Signal(int, int)  # rows done, rows in all; emitted from the worker thread


class StoreTab(QWidget):
    def __init__(self, desk: Desk, ops: Operations, say: Callable[[str], None]) -> None:
        super().__init__()
        self._desk = desk
        self._ops = ops
        self._say = say
        self.folder = default_backup_folder()
        self.backups: list[BackupTaken] = []
        self._target = self.folder

        title = QLabel("BACKUPS")
        title.setObjectName("panelTitle")
        where = QLabel(f"Store: {desk.store.label}")
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        explained = QLabel(
            "A backup copies every row of the store to one file, as it stands when the backup "
            "starts; the team can keep working meanwhile. To restore one into a new store: "
            "File ▸ Restore a backup…, or leaddesk --db NEW restore FILE."
        )
        explained.setObjectName("muted")
        explained.setWordWrap(True)
        self.table = text_table(COLUMNS, stretch=(2,), numbers=NUMBERS)
        self.table.setAccessibleName("Store")
        self.progress = QProgressBar()  # a thin bar: the rows done are said beside it
        self.progress.setVisible(False)
        self.progress.setTextVisible(False)
        self.said = QLabel()
        self.said.setWordWrap(True)
        self.backup_button = QPushButton("Back up now…")
        self.backup_button.setObjectName("primary")
        self.backup_button.clicked.connect(self.back_up)
        row = QHBoxLayout()
        row.addWidget(self.said, 1)
        row.addWidget(self.progress, 1)
        row.addWidget(self.backup_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 8)
        layout.addWidget(title)
        layout.addWidget(where)
        layout.addWidget(explained)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)

        self._moved = _Progress()
        self._moved.moved.connect(self._show_progress)
        self.load()

    def load(self) -> None:
        desk = self._desk
        self._ops.run(lambda: desk.admin.recent_backups(limit=20), done=self._show)

    def _show(self, backups: list[BackupTaken]) -> None:
        self.backups = backups
        with filling(self.table, len(backups)):
            for number, taken in enumerate(backups):
                cells = (
                    _when(taken.at),
                    taken.by,
                    taken.file,
                    f"{taken.rows:,}",
                    size_text(taken.size),
                )
                set_row(self.table, number, cells, numbers=NUMBERS)
        if not backups:
            self.said.setText("No backup taken yet.")

    def back_up(self) -> None:
        folder = choose_backup_folder(self, self.folder)
        if folder is None:
            return
        self.folder = folder
        self.backup_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self._target = folder
        self.said.setText(f"Backing up to {folder}…")
        desk, moved = self._desk, self._moved.moved.emit
        self._ops.run(
            lambda: desk.admin.take_backup(folder, progress=moved),
            done=self._done,
            failed=self._failed,
        )

    def _show_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.said.setText(f"Backing up to {self._target}: {done:,} of {total:,} rows…")

    def _done(self, summary: BackupSummary) -> None:
        self._idle()
        rows = sum(summary.rows.values())
        text = f"Backed up {rows:,} rows ({size_text(summary.size)}) to {summary.path}"
        self.said.setText(text)
        self._say(text)
        self.load()

    def _failed(self, error: LeadDeskError) -> None:
        self._idle()
        self.said.setText("The backup was not taken.")
        self._say("The backup was not taken.")  # not an earlier "Backed up …" left standing
        dialogs.warn(self, error.message)

    def _idle(self) -> None:
        self.progress.setVisible(False)
        self.backup_button.setEnabled(True)


def _when(moment: datetime) -> str:
    return moment.astimezone().strftime("%d %b %Y %H:%M")

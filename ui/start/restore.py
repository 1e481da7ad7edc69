"""File ▸ Restore a backup… (admins): choose the backup and where the restored store goes,
check the whole file first and show what it holds, then restore it, each step off the GUI
thread with a progress bar and Cancel; at the end, open the restored store in a new window.

The reading, checking and writing are the core's (``Desk.admin.restore``); the store the
admin has open is never touched.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from leaddesk.desk import BACKUP_SUFFIX as SUFFIX
from leaddesk.desk import (
    BackupUnreadable,
    Desk,
    RestoreCancelled,
    RestoreSummary,
    default_backup_folder,
)
from leaddesk.errors import LeadDeskError, NotPermitted
from ui.common.forms import error_line, keep_wrapped_lines, labelled
from ui.common.icons import icon
from ui.common.operations import Operations
from ui.common.stoppable import StoppableDialog
from ui.common.text_tables import filling, set_row, text_table

BACKUP_FILTER = f"LeadDesk backups (*{SUFFIX});;All files (*)"
STORE_FILTER = "LeadDesk store (*.sqlite3);;All files (*)"
CONTENTS_HEIGHT = 700
# Opens the restored store in a new window; returns a message when it cannot.
OpenStore = Callable[[str], str | None]


def choose_backup_file(parent: QWidget, folder: Path) -> Path | None:
    """The backup to restore; None if the admin cancelled. Tests answer here."""
    name, _filter = QFileDialog.getOpenFileName(
        parent, "Restore which backup?", str(folder), BACKUP_FILTER
    )
    return Path(name) if name else None


def choose_new_store_file(parent: QWidget, suggested: Path) -> Path | None:
    """A new file for the restored store; None if the admin cancelled. Tests answer here."""
    name, _filter = QFileDialog.getSaveFileName(
        parent,
        "Restore into a new file",
        str(suggested),
        STORE_FILTER,
        options=QFileDialog.Option.DontConfirmOverwrite,  # the check refuses a file that exists
    )
    return Path(name) if name else None


class Step(Enum):
    CHOOSING = "choosing"
    CHECKING = "checking"
    CHECKED = "checked"
    RESTORING = "restoring"
    DONE = "done"


@dataclass
class _Run:
    """One check or restore in flight: the flag the worker reads as the rows go by."""

    cancelled: bool = False


class RestoreDialog(StoppableDialog):
    progressed = Signal(int, int)  # rows done, rows in all; emitted from the worker thread

    def __init__(
        self,
        desk: Desk,
        ops: Operations,
        parent: QWidget | None = None,
        *,
        open_store: OpenStore | None = None,
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self._ops = ops
        self._open_store = open_store
        self._run: _Run | None = None
        self.step = Step.CHOOSING
        self.checked: RestoreSummary | None = None
        self.restored: RestoreSummary | None = None
        self.setWindowTitle("Restore a backup")
        self.setWindowIcon(icon("leaddesk"))
        self.resize(760, 420)  # grows when there is a backup's contents to show

        headline = QLabel("Restore a backup into a new store")
        headline.setObjectName("headline")
        explained = QLabel(
            "The store you have open stays as it is. The backup goes into a new SQLite file "
            "or an empty PostgreSQL database. It is checked first; nothing is written until "
            "you press Restore."
        )
        explained.setObjectName("muted")
        explained.setWordWrap(True)

        self.source = QLineEdit()
        self.source.setPlaceholderText(f"a file ending in {SUFFIX}")
        self.browse_button = QPushButton("B&rowse…")
        self.browse_button.clicked.connect(self.choose_backup)
        self.target = QLineEdit()
        self.target.setPlaceholderText("a new .sqlite3 file, or postgresql://user@host/database")
        self.new_file_button = QPushButton("&New file…")
        self.new_file_button.clicked.connect(self.choose_target)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        labelled(form, "&Backup file:", _with_button(self.source, self.browse_button))
        self.source.setAccessibleName("Backup file")
        labelled(form, "Restore &into:", _with_button(self.target, self.new_file_button))
        self.target.setAccessibleName("Restore into")
        self.target.setAccessibleDescription(
            "A new SQLite file, or the URL of an empty PostgreSQL database"
        )
        self._buddies(form)
        where_hint = QLabel(
            "A file that does not exist yet, or the URL of an empty PostgreSQL database "
            "(make the database first; a restore sets it up)."
        )
        where_hint.setObjectName("help")
        where_hint.setWordWrap(True)
        form.addRow("", where_hint)
        self.source.textEdited.connect(self._edited)
        self.target.textEdited.connect(self._edited)

        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts.hide()
        self.table = text_table(("Table", "Rows"), stretch=(0,), numbers=(1,))
        self.table.setAccessibleName("Rows in the backup, per table")
        self.table.hide()
        self.problem = error_line()
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.said = QLabel()
        self.said.setWordWrap(True)
        self.said.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.check_button = QPushButton("&Check backup")
        self.check_button.setObjectName("primary")
        self.check_button.clicked.connect(self.check)
        self.restore_button = QPushButton(icon("import"), "&Restore")
        self.restore_button.setObjectName("primary")
        self.restore_button.clicked.connect(self.restore)
        self.open_button = QPushButton("&Open in a new window")
        self.open_button.setObjectName("primary")
        self.open_button.clicked.connect(self.open_restored)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        buttons.addStretch(0)
        for button in (self.check_button, self.restore_button, self.open_button):
            buttons.addWidget(button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.setSpacing(10)
        layout.addWidget(headline)
        layout.addWidget(explained)
        layout.addLayout(form)
        layout.addWidget(self.facts)
        layout.addWidget(self.table, 1)
        layout.addStretch(0)
        layout.addWidget(self.problem)
        layout.addWidget(self.said)
        layout.addLayout(buttons)
        QWidget.setTabOrder(self.source, self.browse_button)
        QWidget.setTabOrder(self.browse_button, self.target)
        QWidget.setTabOrder(self.target, self.new_file_button)
        QWidget.setTabOrder(self.new_file_button, self.check_button)
        QWidget.setTabOrder(self.check_button, self.restore_button)
        QWidget.setTabOrder(self.restore_button, self.open_button)
        QWidget.setTabOrder(self.open_button, self.close_button)
        keep_wrapped_lines(self)

        self.progressed.connect(self._moved)
        self._enter(Step.CHOOSING)

    def _buddies(self, form: QFormLayout) -> None:
        # Alt+B and Alt+I jump into the boxes, not onto the row that holds box and button.
        for row, box in enumerate((self.source, self.target)):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            label = item.widget() if item is not None else None
            if isinstance(label, QLabel):
                label.setBuddy(box)

    # -- choosing ------------------------------------------------------------------------------

    def choose_backup(self) -> None:
        """Ask for the backup file; the restored store's file is suggested beside it."""
        current = Path(self.source.text().strip()).expanduser()
        folder = current.parent if self.source.text().strip() else default_backup_folder()
        chosen = choose_backup_file(self, folder)
        if chosen is None:
            return
        self.source.setText(str(chosen))
        self._edited()
        if not self.target.text().strip():
            self.choose_target()
        else:
            self.check_button.setFocus()

    def choose_target(self) -> None:
        text = self.target.text().strip()
        if text and "://" not in text:
            suggested = Path(text).expanduser()
        else:
            suggested = self._suggested_target()
        chosen = choose_new_store_file(self, suggested)
        if chosen is None:
            return
        self.target.setText(str(chosen))
        self._edited()
        self.check_button.setFocus()

    def _suggested_target(self) -> Path:
        source = self.source.text().strip()
        if not source:
            return default_backup_folder().parent / "restored.sqlite3"
        path = Path(source).expanduser()
        stem = path.name.removesuffix(SUFFIX).removesuffix(".gz")
        return path.parent / f"{stem.replace('leaddesk-backup', 'restored')}.sqlite3"

    def _edited(self, _text: str = "") -> None:
        """A different file or place: what was checked no longer stands."""
        if self.step in (Step.CHECKED, Step.DONE):
            self.checked = None
            self._enter(Step.CHOOSING)
        self.problem.hide()

    def _chosen(self) -> tuple[Path, str] | None:
        source, target = self.source.text().strip(), self.target.text().strip()
        if not source:
            self._refused("Choose the backup file to restore (Browse…).", self.source)
            return None
        if not target:
            self._refused(
                "Say where the restored store goes: a new file (New file…) or the URL of an "
                "empty PostgreSQL database.",
                self.target,
            )
            return None
        return Path(source).expanduser(), target

    # -- the two steps -----------------------------------------------------------------------

    def check(self) -> None:
        """Read and check the whole backup and the place it goes; nothing is written."""
        chosen = self._chosen()
        if chosen is None or self._run is not None:
            return
        self._start(Step.CHECKING, *chosen, dry_run=True)

    def restore(self) -> None:
        """Restore what was checked: every row or none."""
        if self.step is not Step.CHECKED or self._run is not None:
            return
        chosen = self._chosen()
        if chosen is None:
            return
        self._start(Step.RESTORING, *chosen, dry_run=False)

    def _start(self, step: Step, source: Path, target: str, *, dry_run: bool) -> None:
        run = _Run()
        self._run = run
        self.problem.hide()
        self._enter(step)
        desk, moved = self._desk, self.progressed.emit
        self._ops.run(
            lambda: desk.admin.restore(
                source, target, dry_run=dry_run, progress=moved, cancelled=lambda: run.cancelled
            ),
            done=self._checked if dry_run else self._restored,
            failed=self._failed,
        )

    def _moved(self, done: int, total: int) -> None:
        if self._run is None or self._run.cancelled:
            return
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))
        doing = "Checking" if self.step is Step.CHECKING else "Restoring"
        self.said.setText(f"{doing}: {done:,} of {total:,} rows…")

    def _checked(self, summary: RestoreSummary) -> None:
        self._run = None
        self.checked = summary
        self._show_contents(summary)
        self._enter(Step.CHECKED)
        rows = sum(summary.rows.values())
        self.said.setText(
            f"The backup is whole: {rows:,} rows. Nothing is written yet; press Restore to put "
            f"them into {self._target_shown()}."
        )
        self.restore_button.setFocus()

    def _restored(self, summary: RestoreSummary) -> None:
        self._run = None
        self.restored = summary
        self._enter(Step.DONE)
        rows = sum(summary.rows.values())
        on_server = "://" in self.target.text()
        where = self._target_shown() if on_server else summary.store
        lines = [
            f"<b>Restored {rows:,} rows</b> into {_html(where)}.",
            "To open it later from the command line: "
            f"<code>{_html(f'leaddesk --db {shlex.quote(where)}')}</code>"
            + (" (with the password)" if on_server and "***" in where else ""),
        ]
        if on_server:
            lines.append(
                "Database logins are not in a backup: give them again with "
                "<code>leaddesk users login</code>."
            )
        self.said.setText("<br>".join(lines))
        self.open_button.setFocus()

    def _target_shown(self) -> str:
        """The place as the admin typed it, a URL's password hidden."""
        typed = self.target.text().strip()
        if "://" not in typed:
            return typed
        try:
            return make_url(typed).render_as_string(hide_password=True)
        except ArgumentError:
            return typed

    def _failed(self, error: LeadDeskError) -> None:
        was = self.step
        self._run = None
        if isinstance(error, RestoreCancelled):
            self._enter(Step.CHECKED if was is Step.RESTORING else Step.CHOOSING)
            self.said.setText(
                "Restore stopped. Nothing was written."
                if was is Step.RESTORING
                else "Check stopped. Nothing was written."
            )
            return
        self.checked = None
        self._enter(Step.CHOOSING)
        self.said.clear()
        said = error.message.rstrip(".")
        if isinstance(error, NotPermitted):
            self._refused(error.message, self.source)
        elif isinstance(error, BackupUnreadable):
            self._refused(
                f"<b>This backup cannot be restored.</b> {_html(said)}. Choose another backup "
                "file: an earlier one, or a fresh copy of this one.",
                self.source,
            )
        else:
            self._refused(f"<b>The restored store cannot go there.</b> {_html(said)}.", self.target)

    def _refused(self, message: str, field: QLineEdit) -> None:
        self.problem.setText(message)
        self.problem.show()
        field.setFocus()
        field.selectAll()

    def _show_contents(self, summary: RestoreSummary) -> None:
        taken = _when(summary.taken_at)
        by = _html(summary.taken_by) if summary.taken_by else "someone unknown"
        filled = [(name, count) for name, count in summary.rows.items() if count]
        empty = len(summary.rows) - len(filled)
        self.facts.setText(
            f"<b>{_html(summary.source.name)}</b><br>"
            f"Taken {taken} by {by} · schema {_html(summary.schema)} · "
            f"{sum(summary.rows.values()):,} rows in {len(filled)} tables"
            + (f" ({empty} more tables are empty)" if empty else "")
        )
        with filling(self.table, len(filled)):
            for row, (name, count) in enumerate(filled):
                set_row(self.table, row, (name.replace("_", " "), f"{count:,}"), numbers=(1,))

    # -- opening what was restored ---------------------------------------------------------------

    def open_restored(self) -> None:
        if self.restored is None:
            return
        if self._open_store is None:
            return
        trouble = self._open_store(self.target.text().strip())
        if trouble is not None:
            self.problem.setText(f"{trouble} Open it from the command line as shown above.")
            self.problem.show()
            return
        self.accept()

    # -- steps -----------------------------------------------------------------------------

    def _enter(self, step: Step) -> None:
        self.step = step
        busy = step in (Step.CHECKING, Step.RESTORING)
        for widget in (self.source, self.target, self.browse_button, self.new_file_button):
            widget.setEnabled(not busy and step is not Step.DONE)
        shown = step in (Step.CHECKED, Step.RESTORING, Step.DONE)
        self.facts.setVisible(shown)
        self.table.setVisible(shown)
        self.check_button.setVisible(step in (Step.CHOOSING, Step.CHECKING))
        self.check_button.setEnabled(step is Step.CHOOSING)
        self.restore_button.setVisible(step in (Step.CHECKED, Step.RESTORING))
        self.restore_button.setEnabled(step is Step.CHECKED)
        self.open_button.setVisible(step is Step.DONE and self._open_store is not None)
        self.progress.setVisible(busy or step is Step.DONE)
        if busy:
            self.progress.setRange(0, 0)  # until the first rows are counted
            self.said.setText("Checking the backup…" if step is Step.CHECKING else "Restoring…")
        if shown and self.height() < CONTENTS_HEIGHT:
            self.resize(self.width(), CONTENTS_HEIGHT)  # room for the rows per table
        if step is Step.DONE:
            self.progress.setRange(0, 1)
            self.progress.setValue(1)
        self.close_button.setText("Cancel" if busy else "Close")
        self.close_button.setEnabled(True)
        default = {
            Step.CHOOSING: self.check_button,
            Step.CHECKED: self.restore_button,
            Step.DONE: self.open_button if self._open_store is not None else self.close_button,
        }.get(step)
        for button in (self.check_button, self.restore_button, self.open_button):
            button.setDefault(button is default)
            button.setAutoDefault(button is default)

    def reject(self) -> None:
        # While a check or restore runs, Cancel (or Esc) stops it; the dialog stays to say so.
        if self._run is not None:
            self._run.cancelled = True
            self.close_button.setEnabled(False)
            self.said.setText("Stopping…")
            return
        super().reject()

    def is_idle(self) -> bool:
        """No check or restore running (tests)."""
        return self._run is None and not self._ops.is_busy


def _with_button(box: QLineEdit, button: QPushButton) -> QWidget:
    row = QWidget()
    line = QHBoxLayout(row)
    line.setContentsMargins(0, 0, 0, 0)
    line.addWidget(box, 1)
    line.addWidget(button)
    return row


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _when(moment: datetime) -> str:
    return moment.astimezone().strftime("%d %b %Y %H:%M")

"""File ▸ Recent imports: the latest import runs (file, source, when, who ran it, how it ended,
what it did) and undo of a chosen run, for the file imported by mistake yesterday.

Undo is the core's (``Desk.intake.undo``): it removes what the run added and gives merged
interest back, refuses once a rep has worked one of its leads or has one open now (not when
they only looked at them), and lets a qualifier undo only their own runs. The window asks
before it undoes and says what was removed, or why nothing was.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from leaddesk.desk import BY_HAND, Desk, UndoSummary
from leaddesk.errors import LeadDeskError
from ui.common import dialogs
from ui.common.empty_note import EmptyNote
from ui.common.operations import Operations
from ui.common.text_tables import filling, set_row, text_table
from ui.intake.results import TILES, plural
from ui.workspace.queue_model import source_text

COLUMNS = (
    "Run",
    "File",
    "Source",
    "Started",
    "By",
    "Status",
    "New",
    "Merged",
    "Attached",
    "Invalid",
)
STATUS_WORDS = {
    "finished": "imported",
    "running": "interrupted (import it again to finish)",
    "cancelled": "stopped (import it again to finish)",
    "undone": "undone",
}
UNDOABLE = frozenset({"finished", "running", "cancelled"})
NUMBERS = (0, 6, 7, 8, 9)
# The short headings of the counts, said in full as the import's summary says them.
COUNTS = (
    ("created", "New"),
    ("merged", "Merged"),
    ("attached", "Attached"),
    ("invalid", "Invalid"),
)
COUNT_TIPS = dict(TILES)


def _count(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value or "")


def _source(run: dict[str, Any]) -> str:
    source = str(run["source"] or "")
    # A typed-in lead's source is one of the lead sources ("inbound_call"): said in words.
    return source_text(source) if run["file"] == BY_HAND else source


def _when(value: object) -> str:
    return value.astimezone().strftime("%d %b %H:%M") if isinstance(value, datetime) else ""


class ImportRunsDialog(QDialog):
    def __init__(self, desk: Desk, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._ops = ops
        self.runs: list[dict[str, Any]] = []
        self.setWindowTitle("Recent imports")
        self.resize(1040, 420)
        self.table = text_table(COLUMNS, stretch=(1,), single=True, numbers=NUMBERS)
        for key, heading in COUNTS:
            item = self.table.horizontalHeaderItem(COLUMNS.index(heading))
            if item is not None:
                item.setToolTip(COUNT_TIPS[key])
        self.table.itemSelectionChanged.connect(self._selected)
        self.table.setAccessibleName("Recent imports")
        self.note = EmptyNote(self.table)
        self.said = QLabel("The latest imports, newest first.")
        self.said.setWordWrap(True)
        # Each lead typed in by hand is a one-row run: shown on request, not crowding the files.
        self.by_hand_box = QCheckBox("Show leads &entered by hand")
        self.by_hand_box.setToolTip(
            "Each lead added with File ▸ New lead is kept as a one-row import, undone the same way."
        )
        self.by_hand_box.toggled.connect(self._by_hand_toggled)
        self.undo_button = QPushButton("Undo this import…")
        self.undo_button.setEnabled(False)
        self.undo_button.clicked.connect(self.undo_selected)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.said, 1)
        buttons.addWidget(self.by_hand_box)
        buttons.addWidget(self.undo_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.load()

    def load(self) -> None:
        desk, by_hand = self._desk, self.by_hand_box.isChecked()
        self._ops.run(lambda: desk.intake.runs(limit=50, by_hand=by_hand), done=self._show)

    def _by_hand_toggled(self) -> None:
        self.said.setText("The latest imports, newest first.")
        self.load()

    def _show(self, runs: list[dict[str, Any]]) -> None:
        self.runs = runs
        with filling(self.table, len(runs)):
            for row, run in enumerate(runs):
                cells = (
                    str(run["run"]),
                    str(run["file"] or ""),
                    _source(run),
                    _when(run["started_at"]),
                    str(run["started_by"] or ""),
                    STATUS_WORDS.get(str(run["status"]), str(run["status"])),
                    *(_count(run.get(key)) for key, _heading in COUNTS),
                )
                set_row(self.table, row, cells, numbers=NUMBERS)
                file_cell = self.table.item(row, 1)
                if file_cell is not None:
                    file_cell.setToolTip(cells[1])  # a long name is cut short
        if not runs:
            self.said.setText(
                "Nothing has been imported into this store yet."
                if self.by_hand_box.isChecked()
                else "No file has been imported into this store yet."
            )
            self.note.say(
                "Each import you make shows here, and can be undone until a rep works its "
                "leads.\n\nImport a lead list: File ▸ Import leads (Ctrl+I)."
            )
        self._selected()

    def selected_run(self) -> dict[str, Any] | None:
        rows = self.table.selectionModel().selectedRows()
        return self.runs[rows[0].row()] if rows else None

    def _selected(self) -> None:
        run = self.selected_run()
        self.undo_button.setEnabled(run is not None and str(run["status"]) in UNDOABLE)

    def undo_selected(self) -> None:
        run = self.selected_run()
        if run is None:
            return
        question = (
            f"Undo import {run['run']} ({run['file']})? The leads it added and the people "
            "only it brought in are removed, and interest it added to open leads is taken back."
        )
        if not dialogs.ask(self, "Undo an import", question):
            return
        desk, run_id = self._desk, int(run["run"])
        self.undo_button.setEnabled(False)
        self.said.setText(f"Undoing import {run_id}…")
        self._ops.run(
            lambda: desk.intake.undo(run_id),
            done=self._undone,
            failed=self._failed,
            changes={"queue", "lead", "status"},
        )

    def _undone(self, summary: UndoSummary) -> None:
        restored = summary.leads_restored
        self.said.setText(
            f"Import {summary.run_id} undone: {plural(summary.leads_removed, 'lead')} and "
            f"{plural(summary.people_removed, 'person', 'people')} removed, "
            f"{plural(restored, 'open lead')} given back {'its' if restored == 1 else 'their'} "
            f"earlier interest.{_kept_in_the_trail(summary)}"
        )
        self.load()

    def _failed(self, error: LeadDeskError) -> None:
        self.said.setText(f"Nothing was undone. {error.message}")
        self._selected()


def _kept_in_the_trail(summary: UndoSummary) -> str:
    """What the undo took along that was not work: the audit trail keeps those events."""
    kept = []
    if summary.looked_at:
        kept.append(f"reps had only looked at {summary.looked_at:,} of the leads")
    if summary.flagged:
        kept.append(f"the sweep had flagged {summary.flagged:,} as untouched")
    if not kept:
        return ""
    said = " and ".join(kept)
    return f" {said[0].upper()}{said[1:]}: the audit trail keeps those events."

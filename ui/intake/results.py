"""What an import would do or did, for the import dialog: the counts, the rows with their
reason (read from the report CSV the core writes), and the closing summary in words."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from leaddesk.desk import Counts, ImportSummary

ROWS_SHOWN = 500
ALL, TO_CHECK = "all", "check"
# (kind, shown as): which report entries the preview's rows table shows.
ROW_KINDS: tuple[tuple[str, str], ...] = (
    (ALL, "All rows"),
    (TO_CHECK, "Rows to check (skipped or flagged)"),
    ("to decide", "To decide (same email, another name)"),
    ("new lead", "New leads"),
    ("merged", "Merged into existing people"),
    ("attached", "Attached to open leads"),
    ("existing account", "Existing account"),
    ("unchanged", "Already imported"),
)

# (counts field, caption); a row can be both a new lead and an existing account.
TILES: tuple[tuple[str, str], ...] = (
    ("created", "New leads"),
    ("merged", "Merged into existing people"),
    ("attached", "Attached to open leads"),
    ("existing_account", "Existing account"),
    ("invalid", "Invalid rows (skipped)"),
    ("unchanged", "Already imported"),
)


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


@dataclass(frozen=True)
class ImportOutcome:
    """A finished or stopped import as the dialog shows it; ``checkpoint`` is the last row
    committed when it stopped."""

    summary: ImportSummary
    stopped: bool
    checkpoint: int | None = None


class CountsView(QWidget):
    """The counts as a row of big numbers with captions, and a line of the rest below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(0)
        self.values: dict[str, QLabel] = {}
        for column, (name, caption) in enumerate(TILES):
            value = QLabel("–")
            # The looks' style sheets fix every widget's font size: a font set in code loses.
            value.setStyleSheet("font-size: 17pt; font-weight: 700;")
            value.setAccessibleName(caption)
            words = QLabel(caption)
            words.setObjectName("muted")
            words.setWordWrap(True)
            grid.addWidget(value, 0, column)
            grid.addWidget(words, 1, column)
            grid.setColumnStretch(column, 1)
            self.values[name] = value
        self.line = QLabel()
        self.line.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(grid)
        layout.addSpacing(4)
        layout.addWidget(self.line)

    def show_counts(
        self, counts: Counts, assigned_to: dict[str, int] | None = None, kept_for: str | None = None
    ) -> None:
        for name, label in self.values.items():
            label.setText(f"{getattr(counts, name):,}")
        parts = [plural(counts.rows, "row") + " read"]
        if counts.flagged:
            parts.append(plural(counts.flagged, "row") + " kept with a value to check")
        if counts.do_not_call:
            parts.append(plural(counts.do_not_call, "row") + " held: on the do-not-call list")
        if counts.erased:
            parts.append(plural(counts.erased, "erased person", "erased people") + " not imported")
        if counts.to_decide:
            parts.append(plural(counts.to_decide, "row") + " to decide: email already someone's")
        if counts.shared_phone:
            parts.append(plural(counts.shared_phone, "shared phone number") + " kept, not merged")
        given = ", ".join(f"{name} {n:,}" for name, n in (assigned_to or {}).items())
        if kept_for and counts.assigned:
            parts.append(f"{counts.assigned:,} kept for {kept_for}: their own import")
        elif counts.assigned or counts.pool:
            reps = f"{counts.assigned:,} to reps" + (f" ({given})" if given else "")
            parts.append(f"{reps}, {counts.pool:,} to the open pool")
        self.line.setText(" · ".join(parts))

    def number(self, name: str) -> int:
        return int(self.values[name].text().replace(",", ""))


class RowsTable(QTableWidget):
    """Row, column, what happens and the value, from a report CSV (its first rows only)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        self.setHorizontalHeaderLabels(["Row", "Column", "What happens", "Value"])
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        self.verticalHeader().setDefaultSectionSize(26)
        self.setColumnWidth(0, 64)
        self.setColumnWidth(1, 150)
        self.setColumnWidth(3, 180)
        self.more = 0

    def load(self, report: Path | None, *, kind: str = ALL) -> int:
        """Show the report's first entries of ``kind`` (one of ``ROW_KINDS``); returns how
        many such entries the report has in all."""
        rows: list[list[str]] = []
        total = 0
        if report is not None and report.exists():
            with report.open(encoding="utf-8-sig", newline="") as handle:
                reader = (row for row in csv.reader(handle) if len(row) >= 3)
                next(reader, None)
                if kind != ALL:
                    reader = (row for row in reader if is_kind(row[2], kind))
                rows = list(islice(reader, ROWS_SHOWN))
                total = len(rows) + sum(1 for _ in reader)
        self.setRowCount(len(rows))
        for index, row in enumerate(rows):
            for column, text in enumerate(row[:4]):
                shown = as_typed(text) if column == 3 else text
                item = QTableWidgetItem(shown)
                item.setToolTip(shown)  # the columns are narrow: the whole text on hover
                self.setItem(index, column, item)
        self.more = total - len(rows)
        return total

    def reasons(self) -> list[tuple[str, str]]:
        """(row, what happens) as shown, for tests and screen readers alike."""
        shown = []
        for index in range(self.rowCount()):
            row, reason = self.item(index, 0), self.item(index, 2)
            shown.append((row.text() if row else "", reason.text() if reason else ""))
        return shown


FINE = ("unchanged:", "merged:", "attached:")
# The report is a CSV for spreadsheets: a value that would start a formula there is written with
# a leading apostrophe. The dialog shows the value as it was in the file.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def as_typed(value: str) -> str:
    """A report value without the apostrophe that keeps a spreadsheet from running it."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_START) else value


def is_kind(reason: str, kind: str) -> bool:
    """Whether a report entry's reason is of ``kind`` (see ``ROW_KINDS``)."""
    if kind == ALL:
        return True
    if kind == TO_CHECK:
        # A skipped row or a kept value to check, not a plain "what happens".
        return reason != "new lead" and not reason.startswith(FINE)
    return reason == kind or reason.startswith(kind + ":")


def finished_words(outcome: ImportOutcome, file_name: str) -> tuple[str, str]:
    """(title, text) for the last page."""
    summary, counts = outcome.summary, outcome.summary.counts
    got = [
        plural(counts.created, "new lead"),
        f"{counts.merged:,} merged into existing people",
        f"{counts.attached:,} attached to open leads",
    ]
    if counts.existing_account:
        got.append(f"{counts.existing_account:,} flagged existing account")
    if counts.unchanged:
        got.append(f"{counts.unchanged:,} already imported")
    if counts.invalid:
        got.append(plural(counts.invalid, "invalid row") + " skipped")
    if counts.do_not_call:
        got.append(f"{counts.do_not_call:,} held: on the do-not-call list")
    if counts.erased:
        got.append(plural(counts.erased, "erased person", "erased people") + " not imported")
    what = ", ".join(got)
    if outcome.stopped:
        upto = f"up to row {outcome.checkpoint:,}" if outcome.checkpoint else "so far"
        text = (
            f"Stopped between chunks: the rows of {file_name} {upto} are in, whole — {what}. "
            "No row was half imported.\n\nResume to import the rest (it starts after the last "
            "committed row), or undo to take this import out again."
        )
        return "Import stopped", text
    resumed = (
        f" (resumed after row {summary.resumed_after_row:,})" if summary.resumed_after_row else ""
    )
    text = f"{plural(counts.rows, 'row')} of {file_name} imported as “{summary.source}”{resumed}: "
    undo = "\n\nImported the wrong file? File ▸ Recent imports (undo)… takes it out again."
    return "Import finished", text + what + "." + (undo if summary.run_id is not None else "")

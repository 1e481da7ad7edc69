"""End of day: hand the leads with a hand-off verdict to sales as one batch folder.

The dialog shows what would go (count, list, what sales will miss in a row), where it goes
(remembered between days), writes the batch off the GUI thread with a progress bar that can
be cancelled, and then offers to open the folder. The export itself is the core's
(``Desk.handoff.export``): all or nothing, and safe to run again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import platformdirs
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import QBrush, QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from leaddesk.desk import Action, Desk, ExportResult, HandoffCancelled, HandoffPreview, PreviewLead
from leaddesk.errors import InputError, LeadDeskError
from leaddesk.settings import EXPORT_FOLDER, Settings
from ui.common.empty_note import EmptyNote
from ui.common.icons import icon
from ui.common.operations import Operations
from ui.common.stoppable import StoppableDialog
from ui.common.theme import colours

_Index = QModelIndex | QPersistentModelIndex
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
COLUMNS = ("Lead", "Name", "Company", "Qualified by", "Qualified", "Fit", "Interest", "Warnings")
NUMBERS = (0, 5, 6)
SCORES = (5, 6)
SCORE_TIP = "A score out of 100, as the lead pane's bar shows it"


def default_export_folder() -> Path:
    return platformdirs.user_documents_path() / "LeadDesk handoffs"


def open_in_file_manager(folder: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


class PreviewModel(QAbstractTableModel):
    """The leads the export would take, one row each."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._leads: tuple[PreviewLead, ...] = ()

    def show(self, leads: tuple[PreviewLead, ...]) -> None:
        self.beginResetModel()
        self._leads = leads
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._leads)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:  # over their figures, as in the console
            return int(_RIGHT if section in NUMBERS else _LEFT)
        if role == Qt.ItemDataRole.ToolTipRole and section in SCORES:
            return SCORE_TIP
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._leads):
            return None
        lead, column = self._leads[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                lead.lead_id,
                lead.name,
                lead.company or "",
                lead.qualified_by_name or lead.qualified_by,
                lead.qualified_at.astimezone().strftime("%d %b %H:%M"),  # the viewer's clock
                lead.fit_score,
                lead.interest_score,
                ", ".join(lead.warnings),
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole and column in (1, 2):  # cut short when long
            return lead.name if column == 1 else lead.company
        if role == Qt.ItemDataRole.ToolTipRole and column in SCORES:
            return SCORE_TIP
        if role == Qt.ItemDataRole.ForegroundRole and column == 7 and lead.warnings:
            return QBrush(colours().qcolor("warn"))  # the look's amber, on light and dark
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMBERS:
            return int(_RIGHT)
        return None


class State(Enum):
    LOADING = "loading"
    READY = "ready"
    NOTHING = "nothing"
    EXPORTING = "exporting"
    CANCELLING = "cancelling"
    DONE = "done"


@dataclass
class _Run:
    """One export in flight: the flag the worker reads between steps."""

    cancelled: bool = False


class _Progress(QObject):
    """Carries the worker thread's progress calls to the GUI thread (queued signal)."""

    moved = Signal(int, int, str)


class EndOfDayExport(StoppableDialog):
    def __init__(
        self,
        desk: Desk,
        ops: Operations,
        settings: Settings,
        parent: QWidget | None = None,
        *,
        open_folder: Callable[[Path], bool] = open_in_file_manager,
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self._ops = ops
        self._settings = settings
        self._open_folder = open_folder
        self._run: _Run | None = None
        self.state = State.LOADING
        self.preview: HandoffPreview | None = None
        self.exported: ExportResult | None = None
        self.setWindowTitle("End of day — hand off to sales")
        self.setWindowIcon(icon("export"))
        self.resize(1040, 560)

        self.headline = QLabel()
        self.headline.setObjectName("headline")
        self.headline.setWordWrap(True)
        self.team = QCheckBox("The whole team's hand-offs, not only mine")
        self.team.setVisible(desk.can(Action.EXPORT_TEAM))
        if not desk.can(Action.EXPORT_OWN):  # an admin hands off no leads of their own
            self.team.setChecked(desk.can(Action.EXPORT_TEAM))
            self.team.setVisible(False)
        self.team.toggled.connect(self.load)

        self.model = PreviewModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Leads waiting to be handed off")
        self.note = EmptyNote(
            self.table,
            "Leads you qualify with a hand-off verdict wait here until you export them for sales.",
        )
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)

        self.folder = QLineEdit(settings[EXPORT_FOLDER] or str(default_export_folder()))
        self.folder.setToolTip("The batch is written in its own folder inside this one.")
        self.folder.setAccessibleName("Save to folder")
        self.folder.setAccessibleDescription(
            "The batch is written in its own folder inside this one"
        )
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self.browse)
        self.xlsx = QCheckBox("Also write an E&xcel workbook (.xlsx)")
        save_to = QLabel("&Save to:")
        save_to.setBuddy(self.folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(save_to)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)

        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setVisible(False)
        self.said = QLabel()
        self.said.setWordWrap(True)
        self.said.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.export_button = QPushButton(icon("export"), "Export")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export)
        self.open_button = QPushButton("Open folder")
        self.open_button.setVisible(False)
        self.open_button.clicked.connect(self.open_batch_folder)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        buttons.addStretch(0)  # keeps the buttons their size while the bar is hidden
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.setSpacing(10)
        layout.addWidget(self.headline)
        layout.addWidget(self.team)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.warnings)
        layout.addLayout(folder_row)
        layout.addWidget(self.xlsx)
        layout.addWidget(self.said)
        layout.addLayout(buttons)
        # Tab follows the buttons as they stand: Open folder (once exported), Export, Close.
        QWidget.setTabOrder(self.xlsx, self.open_button)
        QWidget.setTabOrder(self.open_button, self.export_button)
        QWidget.setTabOrder(self.export_button, self.close_button)

        self._progress = _Progress(self)
        self._progress.moved.connect(self._moved)
        self.load()

    # -- preview -----------------------------------------------------------------------------

    def load(self) -> None:
        self._enter(State.LOADING)
        desk, team = self._desk, self.team.isChecked()
        self._ops.run(lambda: desk.handoff.preview(team=team), done=self._previewed)

    def _previewed(self, preview: HandoffPreview) -> None:
        self.preview = preview
        self.model.show(preview.leads)
        whose = "the team's" if preview.scope.value == "team" else "your"
        if preview.count:
            self.headline.setText(
                f"<b>{preview.count} lead{'s' if preview.count != 1 else ''}</b> with "
                f"{whose} hand-off verdict {'is' if preview.count == 1 else 'are'} waiting for "
                "sales. They go out as one batch: a CSV a CRM imports, the full records "
                "(.jsonl) and a manifest with checksums."
            )
        else:
            team_too = self.team.isVisibleTo(self) and not self.team.isChecked()
            self.headline.setText(
                f"<b>Nothing to hand off.</b> None of {whose} leads wait."
                + (" Tick the box below to see the whole team's." if team_too else "")
            )
        self.warnings.setText(self._warning_words(preview))
        self.warnings.setVisible(bool(self.warnings.text()))
        self._enter(State.READY if preview.count or preview.unfinished_batches else State.NOTHING)

    @staticmethod
    def _warning_words(preview: HandoffPreview) -> str:
        counts: dict[str, int] = {}
        for lead in preview.leads:
            for warning in lead.warnings:
                counts[warning] = counts.get(warning, 0) + 1
        said = [f"{n} with {w}" for w, n in counts.items()]
        parts = [f"Sales will miss something in some rows: {'; '.join(said)}."] if said else []
        if preview.unfinished_batches:
            parts.append(
                "An earlier export was interrupted; it is finished first: "
                + ", ".join(preview.unfinished_batches)
                + "."
            )
        return " ".join(parts)

    # -- export ------------------------------------------------------------------------------

    def browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, "Save handoff batches in", self.folder.text()
        )
        if chosen:
            self.folder.setText(chosen)

    def export(self) -> None:
        if self.state is not State.READY:
            return
        text = self.folder.text().strip()
        if not text:
            self.said.setText("Choose the folder the batch goes to.")
            self.folder.setFocus()
            return
        folder = Path(text).expanduser()
        run = _Run()
        self._run = run
        self._enter(State.EXPORTING)
        desk, team, xlsx = self._desk, self.team.isChecked(), self.xlsx.isChecked()
        progress = self._progress.moved.emit

        def work() -> ExportResult | None:
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise InputError(f"{folder}: cannot make this folder ({exc.strerror}).") from exc
            try:
                return desk.handoff.export(
                    folder,
                    team=team,
                    xlsx=xlsx,
                    progress=lambda done, total, step: progress(done, total, step),
                    cancelled=lambda: run.cancelled,
                )
            except HandoffCancelled:
                return None

        self._ops.run(work, done=self._exported, failed=self._failed, changes={"status"})

    def _moved(self, done: int, total: int, step: str) -> None:
        if self.state is not State.EXPORTING:
            return
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))
        self.said.setText("Reading the leads…" if step == "reading" else "Writing the files…")

    def _exported(self, result: ExportResult | None) -> None:
        self._run = None
        if result is None:
            self.said.setText("Export cancelled. Nothing was handed off.")
            self.load()
            return
        self.exported = result
        self._settings[EXPORT_FOLDER] = self.folder.text().strip()
        batch = result.new_batch or (result.batches[-1] if result.batches else None)
        if batch is None:
            self.said.setText("Nothing was waiting any more (another export took it).")
            self.load()
            return
        # The list stays as the record of what went; the headline no longer says it waits.
        count = f"{batch.lead_count} lead{'s' if batch.lead_count != 1 else ''}"
        self.headline.setText(
            f"<b>Handed off: {count}</b> went to sales in batch {batch.code}. "
            "The list shows what went."
        )
        files = "<br>".join(f"&nbsp;&nbsp;{name}" for name in batch.files)
        earlier = [b.code for b in result.batches if b.finished_earlier_run]
        also = f"<br>Also finished the interrupted batch {', '.join(earlier)}." if earlier else ""
        self.said.setText(
            f"<b>Batch {batch.code}</b>: {batch.lead_count} lead"
            f"{'s' if batch.lead_count != 1 else ''} handed off to sales.<br>"
            f"In {batch.folder}:<br>{files}{also}"
        )
        self._enter(State.DONE)
        self.open_button.setFocus()

    def _failed(self, error: LeadDeskError) -> None:
        self._run = None
        self.said.setText(error.message)
        self.load()

    def open_batch_folder(self) -> None:
        if self.exported is None:
            return
        batch = self.exported.new_batch or self.exported.batches[-1]
        if not self._open_folder(batch.folder):
            self.said.setText(f"Could not open {batch.folder}; it is there all the same.")

    # -- states ------------------------------------------------------------------------------

    def _enter(self, state: State) -> None:
        self.state = state
        busy = state in (State.EXPORTING, State.CANCELLING)
        self.export_button.setEnabled(state is State.READY)
        self.export_button.setVisible(state is not State.DONE)
        self.open_button.setVisible(state is State.DONE)
        self.team.setEnabled(state in (State.READY, State.NOTHING))
        self.folder.setEnabled(not busy and state is not State.DONE)
        self.xlsx.setEnabled(not busy and state is not State.DONE)
        self.progress.setVisible(busy or state is State.DONE)
        if state is State.EXPORTING:
            self.progress.setRange(0, 0)
            self.said.setText("Handing off…")
        if state is State.DONE:
            self.progress.setRange(0, 1)
            self.progress.setValue(1)
        self.close_button.setText("Cancel" if busy else "Close")
        self.close_button.setEnabled(True)
        if state is State.NOTHING:
            self.close_button.setDefault(True)

    def reject(self) -> None:
        # While files are written, Cancel asks the export to stop; it stops with nothing
        # handed off, and the dialog stays to say so.
        if self._run is not None:
            self._run.cancelled = True
            self.state = State.CANCELLING
            self.close_button.setEnabled(False)
            self.said.setText("Cancelling…")
            return
        super().reject()

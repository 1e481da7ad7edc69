"""File ▸ Import… (or a file dropped on the window): choose the file, confirm its columns, see a
dry run, then import with progress and a cancel that stops between chunks.

Nothing is written before the last step: the file look and the preview only read. The core
remembers the confirmed columns for the source once an import finishes.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from datetime import datetime
from pathlib import Path

import platformdirs
from PySide6.QtCore import QEvent, QMimeData, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from leaddesk.desk import Desk, ImportCancelled, ImportLook, ImportSummary, UndoSummary
from leaddesk.domain import Role
from leaddesk.errors import LeadDeskError
from leaddesk.settings import IMPORT_FOLDER, Settings
from ui.common.operations import Operations
from ui.common.theme import colours
from ui.intake.mapping import MappingEditor
from ui.intake.results import (
    ROW_KINDS,
    CountsView,
    ImportOutcome,
    RowsTable,
    finished_words,
    plural,
)

IMPORTABLE = (".csv", ".tsv", ".txt", ".xlsx")
FILE_FILTER = "Lead exports (*.csv *.tsv *.txt *.xlsx);;All files (*)"
STEPS = ("File", "Columns", "Preview", "Import")
FILE, COLUMNS, PREVIEW, IMPORT = range(4)


def importable_path(mime: QMimeData) -> Path | None:
    """The one local file a drag carries, if it looks like an export we read."""
    urls = [url for url in mime.urls() if url.isLocalFile()]
    if len(urls) != 1:
        return None
    path = Path(urls[0].toLocalFile())
    return path if path.suffix.lower() in IMPORTABLE else None


def choose_file(parent: QWidget | None, folder: str) -> Path | None:
    """Ask for the file to import (tests replace this)."""
    name, _filter = QFileDialog.getOpenFileName(parent, "Import leads from", folder, FILE_FILTER)
    return Path(name) if name else None


def open_report(path: Path) -> bool:
    """Show a report in the system's spreadsheet app (tests replace this)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def report_path_for(file: Path, at: datetime) -> Path:
    """The error report goes beside the file, or to Documents if that folder is read-only."""
    name = f"{file.stem}-import-report-{at:%Y%m%d-%H%M%S}.csv"
    folder = file.parent
    if not os.access(folder, os.W_OK):
        folder = platformdirs.user_documents_path() / "LeadDesk imports"
        folder.mkdir(parents=True, exist_ok=True)
    return folder / name


def _describe(look: ImportLook) -> str:
    if look.format == "xlsx":
        kind = f"Excel workbook, sheet “{look.sheet}”" if look.sheet else "Excel workbook"
    else:
        separators = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
        separated = separators.get(look.delimiter or ",", "comma")
        kind = f"CSV, {(look.encoding or 'utf-8').upper()}, {separated}-separated"
    return f"{kind} · {plural(len(look.header), 'column')}"


class ImportDialog(QDialog):
    """The four steps in one window. ``outcome`` holds the finished or stopped import."""

    progressed = Signal(int, int)  # rows done, rows in all (emitted from the worker thread)
    imported = Signal(object)  # ImportOutcome, once an import finished or stopped

    def __init__(
        self,
        desk: Desk,
        ops: Operations,
        settings: Settings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.ops = ops
        self.settings = settings
        self.look: ImportLook | None = None
        self.preview: ImportSummary | None = None
        self.outcome: ImportOutcome | None = None
        self.undone: UndoSummary | None = None
        self.running: str | None = None  # "look", "preview", "import", "undo"
        self._stop = threading.Event()
        self._advance = False
        self._looks = 0
        self._scratch = Path(tempfile.mkdtemp(prefix="leaddesk-import-"))
        self.setWindowTitle("Import leads")
        self.setMinimumSize(760, 520)
        self.setAcceptDrops(True)  # the window behind is blocked while this is open
        self.resize(940, 640)

        self.steps = QLabel()
        self.steps.setTextFormat(Qt.TextFormat.RichText)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._file_page())
        self.mapping = MappingEditor()
        self.pages.addWidget(self.mapping)
        self.pages.addWidget(self._preview_page())
        self.pages.addWidget(self._import_page())
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        ink = colours()
        self.problem.setStyleSheet(
            f"color: {ink.breach}; background: {ink.breach_back}; border-radius: 4px; "
            "padding: 6px 8px;"
        )
        self.problem.hide()
        self.back_button = QPushButton("&Back")
        self.cancel_button = QPushButton("Cancel")
        self.next_button = QPushButton("&Next")
        self.next_button.setObjectName("primary")
        self.next_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)
        layout.addWidget(self.steps)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.problem)
        layout.addLayout(buttons)
        # Tab goes down the file page as it reads: the sheet row sits under the file.
        QWidget.setTabOrder(self.choose_button, self.sheet_box)
        QWidget.setTabOrder(self.sheet_box, self.source_box)

        self.back_button.clicked.connect(self.back)
        self.cancel_button.clicked.connect(self.reject)
        self.next_button.clicked.connect(self.next_step)
        self.mapping.changed.connect(self._update)
        self.progressed.connect(self._progress)
        if parent is not None:
            parent.installEventFilter(self)  # closing the window stops a running import
        self._show_page(FILE)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.running not in ("preview", "import") and importable_path(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = importable_path(event.mimeData())
        if path is not None and self.running not in ("preview", "import"):
            event.acceptProposedAction()
            self.set_file(path)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Close:
            self.stop()
        return super().eventFilter(watched, event)

    # -- pages ---------------------------------------------------------------------------------

    def _file_page(self) -> QWidget:
        page = QWidget()
        intro = QLabel(
            "Import new interest from a marketing or CRM export: Salesforce, HubSpot, Marketo, "
            "LinkedIn lead-gen forms or any sheet with names, emails and phone numbers. "
            "Nothing is stored until you have seen the preview."
        )
        intro.setWordWrap(True)
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("A .csv, .tsv, .txt or .xlsx file — or drop one here")
        self.path_edit.editingFinished.connect(self._path_typed)
        self.choose_button = QPushButton("&Choose file…")
        self.choose_button.clicked.connect(self.choose)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.choose_button)
        self.file_info = QLabel()
        self.file_info.setObjectName("muted")
        self.source_box = QComboBox()
        self.source_box.setEditable(True)
        self.source_box.setMinimumWidth(260)
        self.source_box.setMaximumWidth(440)
        self.source_box.setToolTip(
            "Where these leads came from. The columns you confirm are remembered for it."
        )
        line = self.source_box.lineEdit()
        assert line is not None
        line.setPlaceholderText("e.g. Webinar sign-ups")
        line.setMaxLength(64)
        line.setAccessibleName("Source")
        line.textEdited.connect(lambda _text: self._update())
        source_help = QLabel(
            "Each source keeps its own columns, reused the next time you import from it."
        )
        source_help.setObjectName("help")
        source_help.setWordWrap(True)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        file_label = QLabel("&File:")
        file_label.setBuddy(self.path_edit)
        form.addRow(file_label, row)
        form.addRow("", self.file_info)
        source_label = QLabel("&Source:")
        source_label.setBuddy(self.source_box)
        form.addRow(source_label, self.source_box)
        form.addRow("", source_help)
        # A rep's own import stays theirs unless they tick this; others' follow the policy.
        self.share_box = QCheckBox("Gi&ve the new leads out by the team's policy")
        self.share_box.setToolTip("Unticked, the new leads of your own import stay yours")
        self.share_box.setAccessibleName("Give the new leads out by the team's policy")
        form.addRow("", self.share_box)
        form.setRowVisible(self.share_box, self.desk.actor.role == Role.QUALIFIER)
        self.sheet_box = QComboBox()
        self.sheet_box.setMaximumWidth(440)
        self.sheet_box.activated.connect(self._sheet_chosen)
        sheet_label = QLabel("S&heet:")
        sheet_label.setBuddy(self.sheet_box)
        form.insertRow(2, sheet_label, self.sheet_box)  # under the file it belongs to
        form.setRowVisible(self.sheet_box, False)
        self.path_edit.setAccessibleName("File")
        self.sheet_box.setAccessibleName("Sheet")
        self.source_box.setAccessibleName("Source")
        self.source_box.setAccessibleDescription(
            "Where these leads came from; its columns are remembered"
        )
        self._form = form
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(intro)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addStretch(1)
        return page

    def _preview_page(self) -> QWidget:
        page = QWidget()
        self.preview_status = QLabel()
        self.preview_status.setWordWrap(True)
        self.preview_bar = QProgressBar()
        self.preview_bar.setTextVisible(False)
        self.preview_counts = CountsView()
        self.preview_rows = RowsTable()
        self.preview_more = QLabel()
        self.preview_more.setObjectName("muted")
        self.row_kind = QComboBox()
        for kind, words in ROW_KINDS:
            self.row_kind.addItem(words, kind)
        self.row_kind.currentIndexChanged.connect(self._show_rows)
        shown = QLabel("&Show:")
        shown.setBuddy(self.row_kind)
        self.row_kind.setAccessibleName("Show rows")
        self.preview_rows.setAccessibleName("Preview of the rows")
        self.preview_counts.setAccessibleName("What would happen to the rows")
        under = QHBoxLayout()
        under.addWidget(shown)
        under.addWidget(self.row_kind)
        under.addStretch(1)
        under.addWidget(self.preview_more)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.preview_status)
        layout.addWidget(self.preview_bar)
        layout.addWidget(self.preview_counts)
        layout.addWidget(self.preview_rows, 1)
        layout.addLayout(under)
        return page

    def _import_page(self) -> QWidget:
        page = QWidget()
        self.import_title = QLabel()
        self.import_title.setObjectName("sectionTitle")
        self.import_status = QLabel()
        self.import_status.setWordWrap(True)
        self.import_bar = QProgressBar()
        self.import_bar.setTextVisible(False)
        self.stop_button = QPushButton("&Stop import")
        self.stop_button.clicked.connect(self.stop)
        stop_row = QHBoxLayout()
        stop_row.addWidget(self.import_bar, 1)
        stop_row.addWidget(self.stop_button)
        self.import_counts = CountsView()
        self.import_counts.setAccessibleName("What happened to the rows")
        self.report_label = QLabel()
        self.report_label.setWordWrap(True)
        self.report_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_report_button = QPushButton("&Open report")
        self.open_report_button.clicked.connect(self._open_report)
        self.resume_button = QPushButton("&Resume import")
        self.resume_button.clicked.connect(self._start_import)
        self.undo_button = QPushButton("&Undo this import")
        self.undo_button.clicked.connect(self._undo)
        actions = QHBoxLayout()
        actions.addWidget(self.open_report_button)
        actions.addWidget(self.resume_button)
        actions.addWidget(self.undo_button)
        actions.addStretch(1)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.import_title)
        layout.addWidget(self.import_status)
        layout.addLayout(stop_row)
        layout.addSpacing(6)
        layout.addWidget(self.import_counts)
        layout.addSpacing(6)
        layout.addWidget(self.report_label)
        layout.addLayout(actions)
        layout.addStretch(1)
        return page

    # -- moving between steps --------------------------------------------------------------------

    @property
    def page(self) -> int:
        return self.pages.currentIndex()

    def _show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        shown = []
        for number, name in enumerate(STEPS):
            text = f"{number + 1} · {name}"
            shown.append(f"<b>{text}</b>" if number == index else f"<span>{text}</span>")
        self.steps.setText("&nbsp;&nbsp;›&nbsp;&nbsp;".join(shown))
        self._say(None)
        self._update()
        if index == COLUMNS:
            self.mapping.focus_first()
        elif index == FILE:
            self.path_edit.setFocus()

    def _update(self) -> None:
        """Buttons as the step and any running work allow."""
        page, busy = self.page, self.running is not None
        self.back_button.setVisible(page in (COLUMNS, PREVIEW))
        self.back_button.setEnabled(not busy)
        labels = {FILE: "&Next", COLUMNS: "&Preview", PREVIEW: "&Import", IMPORT: "Done"}
        self.next_button.setText(labels[page])
        new_rows = 0
        if page == PREVIEW and self.preview is not None:
            counts = self.preview.counts
            new_rows = counts.rows - counts.invalid - counts.unchanged - counts.erased
            self.next_button.setText(
                f"&Import {plural(new_rows, 'row')}" if new_rows else "Nothing new to import"
            )
        ready = {
            FILE: bool(self.path_edit.text().strip() and self._source_text()),
            COLUMNS: self.mapping.look is not None and self.mapping.identifies(),
            PREVIEW: new_rows > 0,
            IMPORT: self.outcome is not None or self.undone is not None,
        }[page]
        self.next_button.setEnabled(ready and not busy)
        # On the last step the import has its own Stop button; Esc stops it too.
        self.cancel_button.setVisible(page != IMPORT)
        self.cancel_button.setText("&Stop" if self.running == "preview" else "Cancel")
        if page == COLUMNS and self.mapping.look is not None and not self.mapping.identifies():
            self.mapping.note.setText(
                "Pick at least one column holding an email, a phone number or a name."
            )

    def next_step(self) -> None:
        if self.running is not None or not self.next_button.isEnabled():
            return
        page = self.page
        if page == FILE:
            look = self.look
            path = Path(self.path_edit.text().strip())
            if look is None or look.path != path or look.source != self._source_text():
                sheet = look.sheet if look is not None and look.path == path else None
                self._look(path, self._source_text() or None, advance=True, sheet=sheet)
            else:
                self._show_columns()
        elif page == COLUMNS:
            self._start_preview()
        elif page == PREVIEW:
            self._start_import()
        else:
            self.accept()

    def back(self) -> None:
        if self.running is None and self.page in (COLUMNS, PREVIEW):
            self._show_page(self.page - 1)

    def reject(self) -> None:
        # Esc or Cancel while work runs stops it (between chunks) instead of walking away.
        if self.running in ("preview", "import"):
            self.stop()
            return
        if self.running is not None:
            return
        super().reject()

    def done(self, result: int) -> None:
        shutil.rmtree(self._scratch, ignore_errors=True)
        super().done(result)

    def stop(self) -> None:
        if self.running in ("preview", "import"):
            self._stop.set()
            self.stop_button.setEnabled(False)
            status = self.import_status if self.running == "import" else self.preview_status
            status.setText("Stopping after the rows in hand…")

    def _say(self, text: str | None) -> None:
        self.problem.setText(text or "")
        self.problem.setVisible(bool(text))

    def _failed(self, error: LeadDeskError) -> None:
        """A file or input the user can fix: said in the dialog, nothing changed."""
        was = self.running
        self.running = None
        if was == "preview":
            self.preview = None
            self.preview_bar.hide()
            self.preview_status.setText("No preview: the file could not be read to the end.")
        elif was == "import":
            self.import_title.setText("Nothing imported")
            self.import_status.setText("The file was checked before anything was stored.")
            self.import_bar.hide()
            self.stop_button.hide()
        self._update()
        self._say(f"Can't import this file. {error.message}")

    # -- step 1: the file ------------------------------------------------------------------------

    def choose(self) -> None:
        folder = self.settings[IMPORT_FOLDER] or str(Path.home())
        path = choose_file(self, folder)
        if path is not None:
            self.set_file(path)

    def set_file(self, path: Path) -> None:
        """Start from this file (chosen, typed or dropped): look at it and suggest a source."""
        if self.running not in (None, "look"):
            return  # a preview or import is running: finish or stop it first
        self.path_edit.setText(str(path))
        self.look = None
        self.source_box.setEditText("")
        if self.page != FILE:
            self._show_page(FILE)
        self._look(path, None, advance=False)

    def _path_typed(self) -> None:
        text = self.path_edit.text().strip()
        if text and (self.look is None or str(self.look.path) != text):
            self.set_file(Path(text))

    def _source_text(self) -> str:
        return " ".join(self.source_box.currentText().split())

    def _sheet_chosen(self, _index: int) -> None:
        look, sheet = self.look, self.sheet_box.currentText()
        if look is not None and sheet != look.sheet and self.running is None:
            self._look(look.path, self._source_text() or None, advance=False, sheet=sheet)

    def _look(
        self, path: Path, source: str | None, *, advance: bool, sheet: str | None = None
    ) -> None:
        self.running = "look"
        self._advance = advance
        self._looks += 1
        token = self._looks
        self.file_info.setText("Reading the file…")
        self._say(None)
        self._update()
        desk = self.desk
        # A newer file (chosen while this one was read) wins: earlier answers are dropped.
        self.ops.run(
            lambda: desk.intake.look(path, source=source, sheet=sheet),
            done=lambda look: self._looked(look) if token == self._looks else None,
            failed=lambda error: self._look_failed(error) if token == self._looks else None,
        )

    def _look_failed(self, error: LeadDeskError) -> None:
        self.look = None
        self.file_info.setText("")
        self._failed(error)

    def _looked(self, look: ImportLook) -> None:
        self.running = None
        self.look = look
        self.settings[IMPORT_FOLDER] = str(look.path.parent)
        self.file_info.setText(_describe(look))
        self.source_box.clear()
        self.source_box.addItems(look.saved_sources)
        self.source_box.setEditText(look.source)
        self.sheet_box.clear()
        self.sheet_box.addItems(list(look.sheets))
        self.sheet_box.setCurrentText(look.sheet or "")
        self._form.setRowVisible(self.sheet_box, len(look.sheets) > 1)
        self._update()
        if self._advance:
            self._show_columns()
        else:
            self.next_button.setFocus()

    # -- step 2: the columns ---------------------------------------------------------------------

    def _show_columns(self) -> None:
        assert self.look is not None
        if self.mapping.look is not self.look:
            self.mapping.show_look(self.look)
        self._show_page(COLUMNS)
        if self.look.problem is not None:
            self._say(self.look.problem)

    # -- step 3: the preview (a dry run) -----------------------------------------------------------

    def _mapping_file(self) -> Path:
        path = self._scratch / "mapping.json"
        self.mapping.mapping().save(path)
        return path

    def _start_preview(self) -> None:
        assert self.look is not None
        self.preview = None
        self._stop.clear()
        self._show_page(PREVIEW)
        self.preview_status.setText(f"Checking every row of {self.look.path.name}…")
        self.preview_bar.setRange(0, 0)
        self.preview_bar.show()
        self.preview_counts.hide()
        self.preview_rows.setRowCount(0)
        self.preview_more.setText("")
        self.running = "preview"
        self._update()
        desk, path, source, sheet = self.desk, self.look.path, self._source_text(), self.look.sheet
        mapping, report, stop = str(self._mapping_file()), self._scratch / "preview.csv", self._stop
        keep = self._keep_mine()

        def dry_run() -> ImportSummary:
            try:
                return desk.intake.import_file(
                    path, source=source, mapping=mapping, dry_run=True, report_path=report,
                    sheet=sheet, progress=self.progressed.emit, cancelled=stop.is_set,
                    keep_mine=keep,
                )  # fmt: skip
            except ImportCancelled as stopped:
                return stopped.summary

        self.ops.run(dry_run, done=self._previewed, failed=self._failed)

    def _keep_mine(self) -> bool | None:
        """False when a rep chose to give their import out by the policy; None: the default."""
        return False if self.share_box.isChecked() else None

    def _previewed(self, summary: ImportSummary) -> None:
        self.running = None
        self.preview_bar.hide()
        if self._stop.is_set():
            self.preview = None
            self.preview_status.setText("Preview stopped. Go back to change the columns.")
            self._update()
            return
        self.preview = summary
        counts = summary.counts
        self.preview_status.setText(
            f"This is what importing {Path(summary.file).name} as “{summary.source}” would do. "
            "Nothing has been stored yet."
        )
        self.preview_counts.show_counts(counts, summary.assigned_to, summary.kept_for)
        self.preview_counts.show()
        self._show_rows()
        warnings = [*summary.warnings]
        if warnings:
            self._say(" ".join(warnings))
        self._update()
        self.next_button.setFocus()

    def _show_rows(self) -> None:
        report = self.preview.report if self.preview is not None else None
        table = self.preview_rows
        total = table.load(Path(report) if report else None, kind=self.row_kind.currentData())
        shown = table.rowCount()
        if table.more:
            self.preview_more.setText(f"The first {shown:,} of {total:,}")
        else:
            self.preview_more.setText("" if shown or report is None else "No such rows")

    # -- step 4: the import ----------------------------------------------------------------------

    def _start_import(self) -> None:
        assert self.look is not None
        self._stop.clear()
        self.outcome = None
        self.undone = None
        self._show_page(IMPORT)
        self.import_title.setText(f"Importing {self.look.path.name}")
        self.import_status.setText("Checking the whole file before storing anything…")
        self.import_bar.setRange(0, 0)
        self.import_bar.show()
        self.stop_button.show()
        self.stop_button.setEnabled(True)
        self.stop_button.setFocus()
        self.import_counts.hide()
        self.report_label.hide()
        for button in (self.open_report_button, self.resume_button, self.undo_button):
            button.hide()
        self.running = "import"
        self._update()
        desk, path, source, stop = self.desk, self.look.path, self._source_text(), self._stop
        mapping, sheet = str(self._mapping_file()), self.look.sheet
        report = report_path_for(path, desk.clock())
        keep = self._keep_mine()

        def run() -> ImportOutcome:
            try:
                summary = desk.intake.import_file(
                    path, source=source, mapping=mapping, report_path=report, sheet=sheet,
                    progress=self.progressed.emit, cancelled=stop.is_set, keep_mine=keep,
                )  # fmt: skip
            except ImportCancelled as stopped:
                runs = desk.intake.runs(limit=10)
                checkpoint = next(
                    (r["checkpoint_row"] for r in runs if r["run"] == stopped.summary.run_id), None
                )
                return ImportOutcome(
                    stopped.summary, True, checkpoint if isinstance(checkpoint, int) else None
                )
            return ImportOutcome(summary, False)

        self.ops.run(
            run, done=self._imported, failed=self._failed, changes={"queue", "status", "lead"}
        )

    def _progress(self, done: int, total: int) -> None:
        bar = self.import_bar if self.running == "import" else self.preview_bar
        status = self.import_status if self.running == "import" else self.preview_status
        if total > 0:
            bar.setRange(0, total)
            bar.setValue(min(done, total))
        if not self._stop.is_set():
            status.setText(f"{done:,} of about {total:,} rows…")

    def _imported(self, outcome: ImportOutcome) -> None:
        self.running = None
        self.outcome = outcome
        summary = outcome.summary
        title, text = finished_words(outcome, Path(summary.file).name)
        self.import_title.setText(title)
        self.import_status.setText(text)
        self.import_bar.hide()
        self.stop_button.hide()
        self.import_counts.show_counts(summary.counts, summary.assigned_to, summary.kept_for)
        self.import_counts.show()
        if summary.report:
            self.report_label.setText(f"Report of rejected and flagged rows: {summary.report}")
            self.report_label.show()
            self.open_report_button.show()
        self.resume_button.setVisible(outcome.stopped)
        self.undo_button.setVisible(outcome.stopped and summary.run_id is not None)
        self._update()
        self.next_button.setFocus()
        self.imported.emit(outcome)

    def _open_report(self) -> None:
        if self.outcome is not None and self.outcome.summary.report:
            open_report(Path(self.outcome.summary.report))

    def _undo(self) -> None:
        if self.outcome is None or self.outcome.summary.run_id is None:
            return
        run_id, desk = self.outcome.summary.run_id, self.desk
        self.running = "undo"
        self._update()
        self.ops.run(
            lambda: desk.intake.undo(run_id),
            done=self._undone,
            failed=self._failed,
            changes={"queue", "status", "lead"},
        )

    def _undone(self, undone: UndoSummary) -> None:
        self.running = None
        self.undone = undone
        self.outcome = None
        self.import_title.setText("Import undone")
        self.import_status.setText(
            f"Took out {plural(undone.leads_removed, 'lead')}, "
            f"{plural(undone.people_removed, 'person', 'people')} and "
            f"{plural(undone.accounts_removed, 'account')} this import had added."
        )
        self.import_counts.hide()
        for button in (self.open_report_button, self.resume_button, self.undo_button):
            button.hide()
        self._update()
        self.next_button.setFocus()

"""The import's third step: a dry run of the whole file, off the GUI thread. It shows what
importing would do, row by row, and stores nothing; Import (the commit) goes on from here."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QProgressBar, QWizard

from leaddesk.desk import ImportCancelled, ImportSummary
from leaddesk.errors import LeadDeskError
from ui.intake.job import ImportJob, Step, Work
from ui.intake.results import ROW_KINDS, CountsView, RowsTable, plural

STOP = QWizard.WizardButton.CancelButton


def new_rows(summary: ImportSummary) -> int:
    counts = summary.counts
    return counts.rows - counts.invalid - counts.unchanged - counts.erased


class PreviewPage(Step):
    def __init__(self, job: ImportJob) -> None:
        super().__init__(job, 2)
        self.setCommitPage(True)  # past here the import stores rows: no way back, only undo
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Import")
        self.summary: ImportSummary | None = None
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.counts = CountsView()
        self.counts.setAccessibleName("What would happen to the rows")
        self.rows = RowsTable()
        self.rows.setAccessibleName("Preview of the rows")
        self.more = QLabel()
        self.more.setObjectName("muted")
        self.row_kind = QComboBox()
        self.row_kind.setAccessibleName("Show rows")
        for kind, words in ROW_KINDS:
            self.row_kind.addItem(words, kind)
        self.row_kind.currentIndexChanged.connect(self._show_rows)
        shown = QLabel("&Show:")
        shown.setBuddy(self.row_kind)
        under = QHBoxLayout()
        under.addWidget(shown)
        under.addWidget(self.row_kind)
        under.addStretch(1)
        under.addWidget(self.more)
        layout = self.body
        layout.addWidget(self.status)
        layout.addWidget(self.bar)
        layout.addWidget(self.counts)
        layout.addWidget(self.rows, 1)
        layout.addLayout(under)
        job.progressed.connect(self._progress)
        job.busy_changed.connect(self._busy_changed)

    def isComplete(self) -> bool:
        ready = self.summary is not None and new_rows(self.summary) > 0
        return ready and self.job.running is None

    def validatePage(self) -> bool:
        return self.isComplete()

    def initializePage(self) -> None:
        """Arriving from the columns: check every row as the import would, storing nothing."""
        job, look = self.job, self.job.look
        assert look is not None
        self.summary = None
        self.say(None)
        self.status.setText(f"Checking every row of {look.path.name}…")
        self.bar.setRange(0, 0)
        self.bar.show()
        self.counts.hide()
        self.rows.setRowCount(0)
        self.more.setText("")
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Import")
        job.start(Work.PREVIEW)
        desk, path, source, sheet = job.desk, look.path, job.source, look.sheet
        mapping, report, stop = str(job.mapping_file()), job.scratch / "preview.csv", job.stopping
        keep, progress, campaign = job.keep_mine, job.progressed.emit, job.campaign

        def dry_run() -> ImportSummary:
            try:
                return desk.intake.import_file(
                    path, source=source, mapping=mapping, dry_run=True, report_path=report,
                    sheet=sheet, progress=progress, cancelled=stop.is_set, keep_mine=keep,
                    campaign=campaign,
                )  # fmt: skip
            except ImportCancelled as stopped:
                return stopped.summary

        job.ops.run(dry_run, done=self._previewed, failed=self._failed)

    def _busy_changed(self) -> None:
        running = self.job.running
        self.setButtonText(STOP, "&Stop" if running is Work.PREVIEW else "Cancel")
        if running is Work.PREVIEW and self.job.stopping.is_set():
            self.status.setText("Stopping after the rows in hand…")

    def _progress(self, done: int, total: int) -> None:
        if self.job.running is not Work.PREVIEW:
            return
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        if not self.job.stopping.is_set():
            self.status.setText(f"{done:,} of about {total:,} rows…")

    def _failed(self, error: LeadDeskError) -> None:
        """A file the user can fix: said on the page, nothing changed."""
        self.summary = None
        self.bar.hide()
        self.status.setText("No preview: the file could not be read to the end.")
        self.job.finish()
        self.say(f"Can't import this file. {error.message}")

    def _previewed(self, summary: ImportSummary) -> None:
        self.bar.hide()
        if self.job.stopping.is_set():
            self.summary = None
            self.status.setText("Preview stopped. Go back to change the columns.")
            self.job.finish()
            return
        self.summary = summary
        self.status.setText(
            f"This is what importing {Path(summary.file).name} as “{summary.source}” would do"
            f"{self._why_source(summary.source)}. Nothing has been stored yet."
        )
        self.counts.show_counts(summary.counts, summary.assigned_to, summary.kept_for)
        self.counts.show()
        self._show_rows()
        if summary.warnings:
            self.say(" ".join(summary.warnings))
        count = new_rows(summary)
        words = f"&Import {plural(count, 'row')}" if count else "Nothing new to import"
        self.setButtonText(QWizard.WizardButton.CommitButton, words)
        self.job.finish()
        commit = self.wizard().button(QWizard.WizardButton.CommitButton)
        if commit is not None:
            commit.setFocus()

    def _why_source(self, source: str) -> str:
        """Why the leads get this source, when it is the one the file was looked at with."""
        look = self.job.look
        if look is None or look.source != source or not look.source_how:
            return ""
        return f" ({look.source_how})"

    def _show_rows(self) -> None:
        report = self.summary.report if self.summary is not None else None
        table = self.rows
        total = table.load(Path(report) if report else None, kind=self.row_kind.currentData())
        shown = table.rowCount()
        if table.more:
            self.more.setText(f"The first {shown:,} of {total:,}")
        else:
            self.more.setText("" if shown or report is None else "No such rows")

    def cleanupPage(self) -> None:
        super().cleanupPage()
        self.setButtonText(STOP, "Cancel")

"""The import's last step: the import itself, with progress and a Stop that keeps whole chunks;
then what happened, the report of rejected rows, and Resume or Undo for a stopped import."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWizard

from leaddesk.desk import ImportCancelled, UndoSummary
from leaddesk.errors import LeadDeskError
from ui.intake.job import ImportJob, Step, Work, report_path_for
from ui.intake.results import CountsView, ImportOutcome, finished_words, plural

CHANGES = {"queue", "status", "lead"}


def open_report(path: Path) -> bool:
    """Show a report in the system's spreadsheet app (tests replace this)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class ResultPage(Step):
    imported = Signal(object)  # ImportOutcome, once an import finished or stopped

    def __init__(self, job: ImportJob) -> None:
        super().__init__(job, 3)
        self.setButtonText(QWizard.WizardButton.FinishButton, "Done")
        self.outcome: ImportOutcome | None = None
        self.undone: UndoSummary | None = None
        self.heading = QLabel()
        self.heading.setObjectName("sectionTitle")
        self.heading.setIndent(0)  # in line with the text under it
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.stop_button = QPushButton("&Stop import")
        self.stop_button.clicked.connect(job.stop)
        stop_row = QHBoxLayout()
        stop_row.addWidget(self.bar, 1)
        stop_row.addWidget(self.stop_button)
        self.counts = CountsView()
        self.counts.setAccessibleName("What happened to the rows")
        self.report_label = QLabel()
        self.report_label.setWordWrap(True)
        self.report_label.setTextInteractionFlags(self.problem.textInteractionFlags())
        self.open_report_button = QPushButton("&Open report")
        self.open_report_button.clicked.connect(self._open_report)
        self.resume_button = QPushButton("&Resume import")
        self.resume_button.clicked.connect(self.start_import)
        self.undo_button = QPushButton("&Undo this import")
        self.undo_button.clicked.connect(self._undo)
        actions = QHBoxLayout()
        for button in (self.open_report_button, self.resume_button, self.undo_button):
            actions.addWidget(button)
        actions.addStretch(1)
        layout = self.body
        layout.addWidget(self.heading)
        layout.addWidget(self.status)
        layout.addLayout(stop_row)
        layout.addSpacing(6)
        layout.addWidget(self.counts)
        layout.addSpacing(6)
        layout.addWidget(self.report_label)
        layout.addLayout(actions)
        layout.addStretch(1)
        job.progressed.connect(self._progress)
        job.busy_changed.connect(self._busy_changed)

    def initializePage(self) -> None:
        self.start_import()

    def isComplete(self) -> bool:
        finished = self.outcome is not None or self.undone is not None
        return finished and self.job.running is None

    def validatePage(self) -> bool:
        return self.isComplete()

    def arrived(self) -> None:
        if self.job.running is Work.IMPORT:
            self.stop_button.setFocus()

    def start_import(self) -> None:
        """Import the file as previewed (or resume a stopped import after its last chunk)."""
        job, look = self.job, self.job.look
        assert look is not None
        self.outcome = None
        self.undone = None
        self.say(None)
        self.heading.setText(f"Importing {look.path.name}")
        self.status.setText("Checking the whole file before storing anything…")
        self.bar.setRange(0, 0)
        self.bar.show()
        self.stop_button.show()
        self.stop_button.setEnabled(True)
        self.stop_button.setFocus()
        self.counts.hide()
        self.report_label.hide()
        for button in (self.open_report_button, self.resume_button, self.undo_button):
            button.hide()
        job.start(Work.IMPORT)
        desk, path, source, sheet = job.desk, look.path, job.source, look.sheet
        mapping, stop, keep = str(job.mapping_file()), job.stopping, job.keep_mine
        report, progress = report_path_for(path, desk.clock()), job.progressed.emit
        campaign = job.campaign

        def run() -> ImportOutcome:
            try:
                summary = desk.intake.import_file(
                    path, source=source, mapping=mapping, report_path=report, sheet=sheet,
                    progress=progress, cancelled=stop.is_set, keep_mine=keep,
                    campaign=campaign,
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

        job.ops.run(run, done=self._imported, failed=self._failed, changes=CHANGES)

    def _busy_changed(self) -> None:
        if self.job.running is Work.IMPORT and self.job.stopping.is_set():
            self.stop_button.setEnabled(False)
            self.status.setText("Stopping after the rows in hand…")

    def _progress(self, done: int, total: int) -> None:
        if self.job.running is not Work.IMPORT:
            return
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        if not self.job.stopping.is_set():
            self.status.setText(f"{done:,} of about {total:,} rows…")

    def _failed(self, error: LeadDeskError) -> None:
        """A file the user can fix: said on the page; the whole file was checked first. An
        undo the core refused (a rep has a lead open, or worked one) says why, as
        File ▸ Recent imports does; the import stays."""
        undoing = self.job.running is Work.UNDO
        if self.job.running is Work.IMPORT:
            self.heading.setText("Nothing imported")
            self.status.setText("The file was checked before anything was stored.")
            self.bar.hide()
            self.stop_button.hide()
        self.job.finish()
        said = "Nothing was undone." if undoing else "Can't import this file."
        self.say(f"{said} {error.message}")

    def _imported(self, outcome: ImportOutcome) -> None:
        self.outcome = outcome
        summary = outcome.summary
        title, text = finished_words(outcome, Path(summary.file).name)
        self.heading.setText(title)
        self.status.setText(text)
        self.bar.hide()
        self.stop_button.hide()
        self.counts.show_counts(summary.counts, summary.assigned_to, summary.kept_for)
        self.counts.show()
        if summary.report:
            self.report_label.setText(f"Report of rejected and flagged rows: {summary.report}")
            self.report_label.show()
            self.open_report_button.show()
        self.resume_button.setVisible(outcome.stopped)
        self.undo_button.setVisible(outcome.stopped and summary.run_id is not None)
        self.job.finish()
        self._focus_done()
        self.imported.emit(outcome)

    def _open_report(self) -> None:
        if self.outcome is not None and self.outcome.summary.report:
            open_report(Path(self.outcome.summary.report))

    def _undo(self) -> None:
        if self.outcome is None or self.outcome.summary.run_id is None:
            return
        run_id, desk = self.outcome.summary.run_id, self.job.desk
        self.job.start(Work.UNDO)
        self.job.ops.run(
            lambda: desk.intake.undo(run_id),
            done=self._undone,
            failed=self._failed,
            changes=CHANGES,
        )

    def _undone(self, undone: UndoSummary) -> None:
        self.undone = undone
        self.outcome = None
        self.heading.setText("Import undone")
        self.status.setText(
            f"Took out {plural(undone.leads_removed, 'lead')}, "
            f"{plural(undone.people_removed, 'person', 'people')} and "
            f"{plural(undone.accounts_removed, 'account')} this import had added."
        )
        self.counts.hide()
        for button in (self.open_report_button, self.resume_button, self.undo_button):
            button.hide()
        self.job.finish()
        self._focus_done()

    def _focus_done(self) -> None:
        done = self.wizard().button(QWizard.WizardButton.FinishButton)
        if done is not None:
            done.setFocus()

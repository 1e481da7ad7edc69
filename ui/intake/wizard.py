"""File ▸ Import… (or a file dropped on the window) as a wizard: choose the file, confirm its
columns, see a dry run, then import with progress and a stop between chunks
(docs/architecture.md §6). Each step is a page of its own; this window only strings them
together, takes dropped files and stops running work when asked to close.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QWidget, QWizard

from leaddesk.desk import Desk
from leaddesk.settings import Settings
from ui.common.operations import Operations
from ui.intake.choose_page import ChoosePage, importable_path
from ui.intake.columns_page import ColumnsPage
from ui.intake.job import STOPPABLE, ImportJob, Step, Work
from ui.intake.preview_page import PreviewPage
from ui.intake.result_page import ResultPage

FILE, COLUMNS, PREVIEW, IMPORT = range(4)
Button = QWizard.WizardButton
Option = QWizard.WizardOption


class ImportWizard(QWizard):
    def __init__(
        self, desk: Desk, ops: Operations, settings: Settings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.job = ImportJob(desk, ops, settings, self)
        self.choose_page = ChoosePage(self.job)
        self.columns_page = ColumnsPage(self.job)
        self.preview_page = PreviewPage(self.job)
        self.result_page = ResultPage(self.job)
        for number, page in enumerate(self.steps()):
            self.setPage(number, page)
        self.setWindowTitle("Import leads")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)  # the same on every platform
        self.setOptions(Option.NoBackButtonOnStartPage | Option.NoBackButtonOnLastPage)
        self.setButtonText(Button.BackButton, "&Back")
        self.setButtonText(Button.NextButton, "&Next")
        self.setMinimumSize(760, 560)
        self.resize(940, 660)
        for forward in (Button.NextButton, Button.CommitButton, Button.FinishButton):
            button = self.button(forward)
            if button is not None:
                button.setObjectName("primary")
                button.style().polish(button)  # the wizard made and styled it unnamed
        self.setAcceptDrops(True)  # the window behind is blocked while this is open
        self.currentIdChanged.connect(self._arrived)
        self.job.busy_changed.connect(self._busy_changed)
        if parent is not None:
            parent.installEventFilter(self)  # closing the window stops a running import

    def steps(self) -> tuple[Step, ...]:
        return (self.choose_page, self.columns_page, self.preview_page, self.result_page)

    def current_step(self) -> Step:
        return self.steps()[max(self.currentId(), 0)]

    def forward_button(self) -> QWidget:
        """The button that goes on from this page: Next, Import (the commit) or Done."""
        which = {PREVIEW: Button.CommitButton, IMPORT: Button.FinishButton}
        button = self.button(which.get(self.currentId(), Button.NextButton))
        assert button is not None
        return button

    def set_file(self, path: Path) -> None:
        """Start over from this file (chosen, typed or dropped) unless an import runs."""
        if self.job.running not in (None, Work.LOOK):
            return  # a preview or import is running: finish or stop it first
        if self.currentId() != FILE:
            self.restart()
        self.choose_page.set_file(path)

    def stop(self) -> None:
        self.job.stop()

    def reject(self) -> None:
        # Esc or Cancel while work runs stops it (between chunks) instead of walking away.
        if self.job.stop() or self.job.running is not None:
            return
        super().reject()

    def done(self, result: int) -> None:
        super().done(result)
        if not self.isVisible():
            self.job.discard()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.job.running not in STOPPABLE and importable_path(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = importable_path(event.mimeData())
        if path is not None and self.job.running not in STOPPABLE:
            event.acceptProposedAction()
            self.set_file(path)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Close:
            self.job.stop()
        return super().eventFilter(watched, event)

    def _arrived(self, page_id: int) -> None:
        # The last step has its own Stop button; Esc stops the import too.
        self.setOption(Option.NoCancelButton, page_id == IMPORT)
        if page_id >= 0:
            self.current_step().arrived()
        self._busy_changed()

    def _busy_changed(self) -> None:
        # The wizard enables Back by page history alone; while work runs it waits.
        back = self.button(Button.BackButton)
        if back is not None and self.job.running is not None:
            back.setEnabled(False)

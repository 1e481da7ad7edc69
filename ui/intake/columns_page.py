"""The import's second step: confirm which LeadDesk field each column of the file feeds."""

from __future__ import annotations

from PySide6.QtWidgets import QWizard

from ui.intake.job import ImportJob, Step
from ui.intake.mapping import MappingEditor

NEEDS_A_PERSON = "Pick at least one column holding an email or a phone number."


class ColumnsPage(Step):
    def __init__(self, job: ImportJob) -> None:
        super().__init__(job, 1)
        self.setButtonText(QWizard.WizardButton.NextButton, "&Preview")
        self.mapping = MappingEditor()
        self.mapping.changed.connect(self._edited)
        layout = self.body
        layout.addWidget(self.mapping, 1)

    def initializePage(self) -> None:
        look = self.job.look
        assert look is not None
        if self.mapping.look is not look:
            self.mapping.show_look(look)
        self.say(look.problem)

    def isComplete(self) -> bool:
        ready = self.mapping.look is not None and self.mapping.identifies()
        return ready and self.job.running is None

    def validatePage(self) -> bool:
        if not self.isComplete():
            return False
        self.job.mapping = self.mapping.mapping()
        return True

    def arrived(self) -> None:
        self.mapping.focus_first()

    def _edited(self) -> None:
        if self.mapping.look is not None and not self.mapping.identifies():
            self.mapping.note.setText(NEEDS_A_PERSON)
        self.completeChanged.emit()

"""The sweep's dry run in the team console: what the next untouched-lead check would flag,
move and leave waiting, in the words `leaddesk sweep --dry-run` prints; nothing changes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from leaddesk.desk import Desk, SweepResult, sweep_summary
from leaddesk.errors import LeadDeskError
from ui.common.operations import Operations

TITLE = "Preview the sweep"


class SweepPreview(QDialog):
    """The dry run's summary; not modal, so the team lead can look at the leads beside it."""

    def __init__(self, result: SweepResult, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.setMinimumWidth(560)
        at = result.at.astimezone().strftime("%H:%M")
        self.heading = QLabel(f"<b>If the sweep ran now ({at})</b> — nothing has been changed.")
        lines = sweep_summary(result)
        # The CLI's first line opens with "Dry run, nothing changed."; the heading says it.
        lines[0] = lines[0].removeprefix("Dry run, nothing changed. ")
        lines[0] = lines[0][:1].upper() + lines[0][1:]
        self.summary = QLabel("\n".join(lines))
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setAccessibleName("What the sweep would do")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)

    def text(self) -> str:
        return self.summary.text()


class SweepPreviewer:
    """Runs the dry run off the GUI thread and shows its summary in one window, reused."""

    def __init__(
        self, desk: Desk, ops: Operations, parent: QWidget, say: Callable[[str], None]
    ) -> None:
        self._desk = desk
        self._ops = ops
        self._parent = parent
        self._say = say
        self.dialog: SweepPreview | None = None

    def __call__(self) -> None:
        self._say("Working out what the sweep would do…")
        self._ops.run(
            lambda: self._desk.team.sweep(dry_run=True), done=self._show, failed=self._failed
        )

    def _show(self, result: SweepResult) -> None:
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = SweepPreview(result, self._parent)
        self.dialog.show()
        self._say("Sweep preview ready: nothing was changed.")

    def _failed(self, error: LeadDeskError) -> None:
        self._say(f"Could not preview the sweep: {error.message}")

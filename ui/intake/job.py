"""What the import wizard's steps share: the desk, the file as looked at, the columns confirmed,
and the one piece of work running (a look at the file, the dry run, the import or its undo).

Each step is a page of its own (docs/architecture.md §6); they talk through this object, not
through each other.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from datetime import datetime
from enum import StrEnum
from pathlib import Path

import platformdirs
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWizardPage

from leaddesk.desk import Desk, ImportLook, Mapping
from leaddesk.settings import Settings
from ui.common.operations import Operations
from ui.common.theme import colours


class Work(StrEnum):
    LOOK = "look"
    PREVIEW = "preview"
    IMPORT = "import"
    UNDO = "undo"


# Work a rep can stop between chunks (Esc, Cancel, Stop, closing the window).
STOPPABLE = (Work.PREVIEW, Work.IMPORT)
STEP_NAMES = ("File", "Columns", "Preview", "Import")


def steps_words(current: int) -> str:
    """The four steps in a line, the one on show in bold."""
    shown = []
    for number, name in enumerate(STEP_NAMES):
        text = f"{number + 1} · {name}"
        shown.append(f"<b>{text}</b>" if number == current else text)
    return "&nbsp;&nbsp;›&nbsp;&nbsp;".join(shown)


def report_path_for(file: Path, at: datetime) -> Path:
    """The error report goes beside the file, or to Documents if that folder is read-only."""
    name = f"{file.stem}-import-report-{at:%Y%m%d-%H%M%S}.csv"
    folder = file.parent
    if not os.access(folder, os.W_OK):
        folder = platformdirs.user_documents_path() / "LeadDesk imports"
        folder.mkdir(parents=True, exist_ok=True)
    return folder / name


class ImportJob(QObject):
    """One import from file to finish. Nothing is written before the import step: the look and
    the preview only read."""

    progressed = Signal(int, int)  # rows done, rows in all (emitted from the worker thread)
    busy_changed = Signal()

    def __init__(
        self, desk: Desk, ops: Operations, settings: Settings, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.ops = ops
        self.settings = settings
        self.look: ImportLook | None = None
        self.source = ""
        self.campaign = ""  # for rows without a campaign of their own
        self.mapping: Mapping | None = None
        self.share = False  # a rep gives their own import out by the team's policy
        self.running: Work | None = None
        self.stopping = threading.Event()
        self.scratch = Path(tempfile.mkdtemp(prefix="leaddesk-import-"))

    @property
    def keep_mine(self) -> bool | None:
        """False when a rep chose to give their import out by the policy; None: the default."""
        return False if self.share else None

    def start(self, work: Work) -> None:
        self.running = work
        if work in STOPPABLE:
            self.stopping.clear()
        self.busy_changed.emit()

    def finish(self) -> None:
        self.running = None
        self.busy_changed.emit()

    def stop(self) -> bool:
        """Ask running work to stop after the rows in hand; False if nothing stoppable runs."""
        if self.running not in STOPPABLE:
            return False
        self.stopping.set()
        self.busy_changed.emit()
        return True

    def mapping_file(self) -> Path:
        assert self.mapping is not None
        path = self.scratch / "mapping.json"
        self.mapping.save(path)
        return path

    def discard(self) -> None:
        shutil.rmtree(self.scratch, ignore_errors=True)


class Step(QWizardPage):
    """A page of the import: the steps on top, the page's own widgets in ``body``, and a line
    under them for what went wrong (the user can fix it)."""

    def __init__(self, job: ImportJob, number: int) -> None:
        super().__init__()
        self.job = job
        # The steps line is the page's own: the wizard's header would need a title and
        # sub-title, and Qt draws that taller on the last page than on the others.
        steps = QLabel(steps_words(number))
        steps.setTextFormat(Qt.TextFormat.RichText)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        ink = colours()
        self.problem.setStyleSheet(
            f"color: {ink.breach}; background: {ink.breach_back}; border-radius: 4px; "
            "padding: 6px 8px;"
        )
        self.problem.hide()
        self.body = QVBoxLayout()
        self.body.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(steps)
        layout.addLayout(self.body, 1)
        layout.addWidget(self.problem)
        job.busy_changed.connect(self.completeChanged)

    def say(self, text: str | None) -> None:
        self.problem.setText(text or "")
        self.problem.setVisible(bool(text))

    def arrived(self) -> None:
        """The page is on show (forward or back): put the keyboard where work continues."""

    def cleanupPage(self) -> None:
        # Going back keeps what was chosen (no registered fields to reset).
        self.say(None)

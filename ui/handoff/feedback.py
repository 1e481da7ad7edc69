"""Sales' answer, recorded from the window: pick the decisions file (accepted with the CRM
opportunity, or rejected with a reason), see what was applied and every row that was not.

The core reads and applies the file in one transaction (``Desk.handoff.import_feedback``): bad
rows, unknown leads and conflicting decisions are listed, not applied, and the same file again
changes nothing. Only a salesperson may do this; the menu entry is absent for everyone else.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from leaddesk.desk import Desk, FeedbackReport, resource_path
from leaddesk.errors import InputError, LeadDeskError
from ui.common.icons import icon
from ui.common.operations import Operations

TEMPLATE = ("feedback_template.csv",)


def choose_file(parent: QWidget | None) -> Path | None:
    chosen, _ = QFileDialog.getOpenFileName(
        parent, "Sales decisions to record", "", "CSV files (*.csv);;All files (*)"
    )
    return Path(chosen) if chosen else None


def choose_template_target(parent: QWidget | None) -> Path | None:
    chosen, _ = QFileDialog.getSaveFileName(
        parent, "Save the decisions template", "sales-decisions.csv", "CSV files (*.csv)"
    )
    return Path(chosen) if chosen else None


def save_template(target: Path) -> None:
    """A copy of the shipped template, written whole or not at all."""
    partial = target.with_name(target.name + ".part")
    try:
        shutil.copyfile(resource_path(*TEMPLATE), partial)
        partial.replace(target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise InputError(f"{target}: cannot write the template ({exc.strerror}).") from exc


class SalesFeedbackDialog(QDialog):
    def __init__(
        self,
        desk: Desk,
        ops: Operations,
        parent: QWidget | None = None,
        *,
        pick_file: Callable[[QWidget | None], Path | None] = choose_file,
        pick_target: Callable[[QWidget | None], Path | None] = choose_template_target,
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self._ops = ops
        self._pick_file = pick_file
        self._pick_target = pick_target
        self.report: FeedbackReport | None = None
        self.setWindowTitle("Record sales' decisions")
        self.setWindowIcon(icon("feedback"))
        self.resize(720, 460)

        intro = QLabel(
            "Record what sales decided on the leads handed to them: <b>accepted</b> (with the "
            "CRM opportunity and its owner) or <b>rejected</b> (with a reason). Start from the "
            "template; the same file again changes nothing."
        )
        intro.setWordWrap(True)
        self.said = QLabel("Choose the decisions file.")
        self.said.setObjectName("headline")
        self.said.setWordWrap(True)
        self.problems = QListWidget()
        # A problem names the allowed values: wrap it rather than hide its end off the side.
        self.problems.setWordWrap(True)
        self.problems.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.problems.setAccessibleName("Rows not recorded, with why")
        self.problems.setVisible(False)
        # Return chooses the decisions file: the other buttons never take the default over
        # when focused, and the dialog opens with the focus on the one it is for.
        self.template_button = QPushButton("Save the template…")
        self.template_button.setAutoDefault(False)
        self.template_button.clicked.connect(self.save_template)
        self.choose_button = QPushButton(icon("feedback"), "Choose file and record…")
        self.choose_button.setObjectName("primary")
        self.choose_button.setDefault(True)
        self.choose_button.clicked.connect(self.choose)
        close = QPushButton("Close")
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.template_button)
        buttons.addStretch(1)
        buttons.addWidget(self.choose_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addWidget(self.said)
        layout.addWidget(self.problems, 1)
        layout.addStretch(0)
        layout.addLayout(buttons)
        self.choose_button.setFocus()

    def choose(self) -> None:
        path = self._pick_file(self)
        if path is not None:
            self.record(path)

    def record(self, path: Path) -> None:
        desk = self._desk
        self.choose_button.setEnabled(False)
        self.said.setText(f"Recording {path.name}…")
        self._ops.run(
            lambda: desk.handoff.import_feedback(path),
            done=self._recorded,
            failed=self._failed,
            changes={"queue", "status"},
        )

    def _ready(self) -> None:
        """Enabled again, with the focus back where disabling it took it from."""
        self.choose_button.setEnabled(True)
        self.choose_button.setFocus()

    def _recorded(self, report: FeedbackReport) -> None:
        self.report = report
        self._ready()
        name = Path(report.file).name
        parts = [f"{len(report.accepted)} accepted", f"{len(report.rejected)} rejected"]
        if report.unchanged:
            parts.append(f"{len(report.unchanged)} already recorded")
        self.said.setText(
            f"<b>{name}</b>: {report.rows} row{'s' if report.rows != 1 else ''} read — "
            + ", ".join(parts)
            + (
                f". {len(report.problems)} not applied:"
                if report.problems
                else ". Every row applied."
            )
        )
        self.problems.clear()
        self.problems.addItems([str(problem) for problem in report.problems])
        self.problems.setVisible(bool(report.problems))

    def _failed(self, error: LeadDeskError) -> None:
        self._ready()
        self.problems.setVisible(False)
        self.said.setText(f"Nothing was recorded. {error.message}")

    def save_template(self) -> None:
        target = self._pick_target(self)
        if target is None:
            return
        try:
            save_template(target)
        except InputError as error:
            self.said.setText(error.message)
            return
        self.said.setText(f"Template saved as {target}. Fill one row per lead, then record it.")
